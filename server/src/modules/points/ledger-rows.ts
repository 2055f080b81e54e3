import type { EntityManager } from 'typeorm';
import type { EarnBreakdown, LedgerType } from '@huoyue/shared';
import {
  type Dialect,
  hasRowLocks,
  insertedValue,
  onDuplicateKey,
  touchUpdatedAt,
} from '../../infra/database/dialect.js';
import type { Tx } from '../../infra/events/unit-of-work.js';
import { PointsAccount } from './entities/points-account.entity.js';
import { PointsEntry } from './entities/points-entry.entity.js';
import { PointsLot } from './entities/points-lot.entity.js';

/**
 * Row-level steps of the points ledger that both the ledger (PointsService) and its jobs (PointsJobs) take inside
 * the caller's transaction: open and lock the account, upsert it for a credit, lock and consume lots, write an entry.
 */

export interface EntrySource {
  memberId: number;
  /** Unique per cause: the same key moves a balance once. */
  key: string;
  sourceType: string;
  sourceRef?: string | null;
  reason?: string | null;
  staffId?: number | null;
  at?: Date;
}

/** Creates the account row unless it exists. */
export async function ensureAccount(em: EntityManager, memberId: number): Promise<void> {
  await em
    .createQueryBuilder()
    .insert()
    .into(PointsAccount)
    .values({ memberId, balance: 0, growth: 0, pending: 0, owed: 0 })
    .orIgnore()
    .execute();
}

/** Takes the account's row lock (MySQL; SQLite has one writer) and returns its current values. */
export async function lockAccount(em: EntityManager, memberId: number): Promise<PointsAccount> {
  const bump = () =>
    em
      .createQueryBuilder()
      .update(PointsAccount)
      .set({ version: () => 'version + 1' })
      .where({ memberId })
      .execute();
  if (((await bump()).affected ?? 0) === 0) {
    await ensureAccount(em, memberId);
    await bump();
  }
  return (await em.findOneBy(PointsAccount, { memberId }))!;
}

export function lockedLots(
  em: EntityManager,
  kind: Dialect,
  where: string,
  params: Record<string, unknown>,
): Promise<PointsLot[]> {
  const qb = em.getRepository(PointsLot).createQueryBuilder('l').where(where, params);
  if (hasRowLocks(kind)) qb.setLock('pessimistic_write');
  return qb.getMany();
}

export async function consumeLots(
  em: EntityManager,
  kind: Dialect,
  memberId: number,
  points: number,
): Promise<void> {
  if (points === 0) return;
  const qb = em
    .getRepository(PointsLot)
    .createQueryBuilder('l')
    .where("l.member_id = :memberId AND l.status = 'available' AND l.remaining > 0", { memberId })
    .orderBy('CASE WHEN l.expires_at IS NULL THEN 1 ELSE 0 END')
    .addOrderBy('l.expires_at')
    .addOrderBy('l.id');
  if (hasRowLocks(kind)) qb.setLock('pessimistic_write');
  let left = points;
  for (const lot of await qb.getMany()) {
    const take = Math.min(left, lot.remaining);
    const r = await em
      .createQueryBuilder()
      .update(PointsLot)
      .set({ remaining: () => `remaining - ${take}` })
      .where('id = :id AND remaining >= :take', { id: lot.id, take })
      .execute();
    if ((r.affected ?? 0) !== 1) throw new Error(`lot ${lot.id} changed under a locked account`);
    left -= take;
    if (left === 0) return;
  }
  // The account said there was enough; the lots disagree. Refuse (rolls back) rather than book a wrong ledger.
  throw new Error(
    `lots of member ${memberId} hold ${points - left} points, account allowed ${points}`,
  );
}

export async function writeEntry(
  tx: Tx,
  source: EntrySource,
  type: LedgerType,
  points: number,
  growth: number,
  expiresAt: Date | null,
  breakdown: EarnBreakdown | null,
  at: Date,
): Promise<[PointsEntry, PointsAccount]> {
  const account = (await tx.em.findOneBy(PointsAccount, { memberId: source.memberId }))!;
  const entry = tx.em.create(PointsEntry, {
    memberId: source.memberId,
    type,
    points,
    growth,
    balanceAfter: account.balance,
    growthAfter: account.growth,
    idempotencyKey: source.key,
    sourceType: source.sourceType,
    sourceRef: source.sourceRef ?? null,
    reason: source.reason ?? null,
    expiresAt,
    breakdown,
    staffId: source.staffId ?? null,
    createdAt: at,
  });
  await tx.em.insert(PointsEntry, entry);
  await tx.publish('points.changed', {
    memberId: source.memberId,
    type,
    points,
    growth,
    balance: account.balance,
    growthTotal: account.growth,
    at: at.toISOString(),
  });
  return [entry, account];
}

/**
 * A credit's change of the account row, as one upsert: an UPDATE of a missing row would leave a gap lock that
 * concurrent first credits deadlock on, and INSERT IGNORE on an existing row a shared lock that concurrent writers
 * deadlock upgrading (MySQL).
 */
export async function upsertCredit(
  em: EntityManager,
  kind: Dialect,
  memberId: number,
  points: number,
  growth: number,
): Promise<void> {
  const added = (column: string) => `${column} = ${column} + ${insertedValue(kind, column)}`;
  const set = `${added('balance')}, ${added('growth')}, version = version + 1${touchUpdatedAt(kind)}`;
  await em.query(
    `INSERT INTO points_account (member_id, balance, growth, pending, owed, version)
     VALUES (?, ?, ?, 0, 0, 0) ${onDuplicateKey(kind, ['member_id'], set)}`,
    [memberId, points, growth],
  );
}
