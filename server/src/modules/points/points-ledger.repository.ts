import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EarnBreakdown, LedgerType } from '@huoyue/shared';
import {
  affectedRows,
  bulkInsert,
  insertReturningIds,
  sqlInstant,
} from '../../infra/database/bulk.js';
import {
  checkConstraintsEnforced,
  dialectOf,
  hasRowLocks,
  isCheckViolation,
  touchUpdatedAt,
  upsertAddMany,
  upsertReturning,
} from '../../infra/database/dialect.js';
import type { Tx } from '../../infra/events/unit-of-work.js';
import { PointsAccount } from './entities/points-account.entity.js';
import { PointsEntry } from './entities/points-entry.entity.js';
import { PointsLot } from './entities/points-lot.entity.js';

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

/** The account's values right after a change (what the entry records as "after"). */
export interface AccountAfter {
  memberId: number;
  balance: number;
  growth: number;
  owed: number;
}

/** One ledger entry to write: its cause, its change, and the account's values after it. */
export interface EntryRow {
  source: EntrySource;
  type: LedgerType;
  points: number;
  growth: number;
  expiresAt: Date | null;
  breakdown: EarnBreakdown | null;
  at: Date;
  after: AccountAfter;
}

/** A new available lot of a credit. */
export interface LotRow {
  memberId: number;
  points: number;
  expiresAt: Date | null;
  at: Date;
  sourceType: string;
  sourceRef: string | null;
  key: string;
}

const toAfter = (memberId: number, r: Record<string, unknown>): AccountAfter => ({
  memberId,
  balance: Number(r.balance),
  growth: Number(r.growth),
  owed: Number(r.owed),
});

/**
 * The row-level SQL of the points ledger, in the caller's transaction: the account (created, locked, credited,
 * debited by one statement that answers its values after), the lots (locked, consumed, inserted) and the entries
 * with their `points.changed` events. PointsService and PointsJobs decide; this class only reads and writes rows.
 * Dialect differences come from infra/database/dialect.ts.
 */
@Injectable()
export class PointsLedgerRepository {
  /** Creates the account row unless it exists. */
  async ensureAccount(tx: Tx, memberId: number): Promise<void> {
    await tx.em
      .createQueryBuilder()
      .insert()
      .into(PointsAccount)
      .values({ memberId, balance: 0, growth: 0, pending: 0, owed: 0 })
      .orIgnore()
      .updateEntity(false)
      .execute();
  }

  account(tx: Tx, memberId: number): Promise<PointsAccount | null> {
    return tx.em.findOneBy(PointsAccount, { memberId });
  }

  /** Takes the account's row lock (MySQL; SQLite has one writer) and returns its current values. */
  async lockAccount(tx: Tx, memberId: number): Promise<PointsAccount> {
    const { em } = tx;
    const bump = () =>
      em
        .createQueryBuilder()
        .update(PointsAccount)
        .set({ version: () => 'version + 1' })
        .where({ memberId })
        .execute();
    if (((await bump()).affected ?? 0) === 0) {
      await this.ensureAccount(tx, memberId);
      await bump();
    }
    return (await this.account(tx, memberId))!;
  }

  /**
   * A credit's change of the account row, as one upsert that answers the values after it: an UPDATE of a missing
   * row would leave a gap lock that concurrent first credits deadlock on, and INSERT IGNORE on an existing row a
   * shared lock that concurrent writers deadlock upgrading (MySQL).
   */
  async credit(tx: Tx, memberId: number, points: number, growth: number): Promise<AccountAfter> {
    const { em } = tx;
    const row = await upsertReturning(em, {
      table: 'points_account',
      key: { member_id: memberId },
      insert: { balance: points, growth, pending: 0, owed: 0, version: 0 },
      update: `balance = balance + ?, growth = growth + ?, version = version + 1${touchUpdatedAt(dialectOf(em))}`,
      updateParams: [points, growth],
      returning: ['balance', 'growth', 'owed'],
    });
    return toAfter(memberId, row);
  }

  /**
   * Many credits' changes of their accounts, as one multi-row upsert in member order (concurrent batches lock rows
   * in the same order), and the accounts' values after it, by member.
   */
  async creditMany(
    tx: Tx,
    changes: { memberId: number; points: number; growth: number }[],
  ): Promise<Map<number, AccountAfter>> {
    const { em } = tx;
    const byMember = new Map<number, { points: number; growth: number }>();
    for (const c of changes) {
      const sum = byMember.get(c.memberId) ?? { points: 0, growth: 0 };
      byMember.set(c.memberId, { points: sum.points + c.points, growth: sum.growth + c.growth });
    }
    const members = [...byMember.keys()].sort((a, b) => a - b);
    const rows = await upsertAddMany(em, {
      table: 'points_account',
      key: 'member_id',
      columns: ['balance', 'growth', 'pending', 'owed', 'version'],
      add: ['balance', 'growth'],
      also: 'version = version + 1',
      rows: members.map((m) => {
        const c = byMember.get(m)!;
        return [m, c.points, c.growth, 0, 0, 0];
      }),
      returning: ['balance', 'growth', 'owed'],
    });
    return new Map(rows.map((r) => [Number(r.member_id), toAfter(Number(r.member_id), r)]));
  }

  /**
   * A spend's change of the balance, or null when the balance is short: the UPDATE's own condition refuses to
   * overdraw, so the invariant holds where CHECK constraints are not enforced (TiDB by default); the CHECK
   * (balance ≥ 0) stays as a second guard. The row it locked is then read back for the values after. A missing
   * account matches nothing: nothing to spend.
   */
  async debit(tx: Tx, memberId: number, points: number): Promise<AccountAfter | null> {
    const { em } = tx;
    if (points === 0) await this.ensureAccount(tx, memberId);
    const changed = await affectedRows(
      em,
      `UPDATE points_account SET balance = balance - ?, version = version + 1${touchUpdatedAt(dialectOf(em))}
        WHERE member_id = ? AND balance >= ?`,
      [points, memberId, points],
    );
    if (changed !== 1) return null;
    const row = await this.account(tx, memberId);
    return {
      memberId,
      balance: Number(row!.balance),
      growth: Number(row!.growth),
      owed: Number(row!.owed),
    };
  }

  /** Takes up to `growth` from the account's growth (never below zero); answers what it took. */
  async takeGrowth(tx: Tx, after: AccountAfter, growth: number): Promise<number> {
    const { em } = tx;
    const take = Math.min(growth, after.growth);
    if (take <= 0) return 0;
    await em.decrement(PointsAccount, { memberId: after.memberId }, 'growth', take);
    after.growth -= take;
    return take;
  }

  lockedLots(tx: Tx, where: string, params: Record<string, unknown>): Promise<PointsLot[]> {
    const { em } = tx;
    const qb = em.getRepository(PointsLot).createQueryBuilder('l').where(where, params);
    if (hasRowLocks(dialectOf(em))) qb.setLock('pessimistic_write');
    return qb.getMany();
  }

  /** Takes `points` from the member's available lots, those that expire first first. */
  async consumeLots(tx: Tx, memberId: number, points: number): Promise<void> {
    const { em } = tx;
    if (points === 0) return;
    if (await this.takeFromFirstLot(em, memberId, points)) return;
    const qb = em
      .getRepository(PointsLot)
      .createQueryBuilder('l')
      .select(['l.id', 'l.remaining'])
      .where("l.member_id = :memberId AND l.status = 'available' AND l.remaining > 0", {
        memberId,
      })
      .orderBy('CASE WHEN l.expires_at IS NULL THEN 1 ELSE 0 END')
      .addOrderBy('l.expires_at')
      .addOrderBy('l.id');
    if (hasRowLocks(dialectOf(em))) qb.setLock('pessimistic_write');
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

  /**
   * The common spend in one statement: the lot that expires first holds enough. When it does not, its CHECK
   * (remaining ≥ 0) refuses the change and the caller takes the lots one by one — so only where CHECKs are
   * enforced; elsewhere the locked, conditional path is the only one.
   */
  private async takeFromFirstLot(
    em: EntityManager,
    memberId: number,
    points: number,
  ): Promise<boolean> {
    if (!checkConstraintsEnforced()) return false;
    try {
      const changed = await affectedRows(
        em,
        `UPDATE points_lot SET remaining = remaining - ?
          WHERE member_id = ? AND status = 'available' AND remaining > 0
          ORDER BY CASE WHEN expires_at IS NULL THEN 1 ELSE 0 END, expires_at, id LIMIT 1`,
        [points, memberId],
      );
      return changed === 1;
    } catch (err) {
      if (isCheckViolation(err)) return false;
      throw err;
    }
  }

  /** New available lots (one per credit with points), as one multi-row insert. */
  async insertLots(tx: Tx, lots: LotRow[]): Promise<void> {
    const { em } = tx;
    const kind = dialectOf(em);
    await bulkInsert(
      em,
      kind,
      'points_lot',
      [
        'member_id',
        'amount',
        'remaining',
        'growth',
        'status',
        'expires_at',
        'available_at',
        'source_type',
        'source_ref',
        'idempotency_key',
        'notice_sent_on',
        'created_at',
      ],
      lots.map((l) => [
        l.memberId,
        l.points,
        l.points,
        0,
        'available',
        l.expiresAt && sqlInstant(kind, l.expiresAt),
        sqlInstant(kind, l.at),
        l.sourceType,
        l.sourceRef,
        `lot:${l.key}`,
        null,
        sqlInstant(kind, l.at),
      ]),
    );
  }

  /**
   * Writes ledger entries (one multi-row insert) and their `points.changed` events; answers the entries, in order.
   * `after` must be the account's values right after each entry's change.
   */
  async writeEntries(tx: Tx, rows: EntryRow[]): Promise<PointsEntry[]> {
    if (rows.length === 0) return [];
    const kind = dialectOf(tx.em);
    const entries = rows.map((r) =>
      tx.em.create(PointsEntry, {
        memberId: r.source.memberId,
        type: r.type,
        points: r.points,
        growth: r.growth,
        balanceAfter: r.after.balance,
        growthAfter: r.after.growth,
        idempotencyKey: r.source.key,
        sourceType: r.source.sourceType,
        sourceRef: r.source.sourceRef ?? null,
        reason: r.source.reason ?? null,
        expiresAt: r.expiresAt,
        breakdown: r.breakdown,
        staffId: r.source.staffId ?? null,
        createdAt: r.at,
      }),
    );
    if (entries.length === 1) await tx.em.insert(PointsEntry, entries[0]!);
    else {
      const ids = await insertReturningIds(
        tx.em,
        kind,
        'points_entry',
        [
          'member_id',
          'type',
          'points',
          'growth',
          'balance_after',
          'growth_after',
          'idempotency_key',
          'source_type',
          'source_ref',
          'reason',
          'expires_at',
          'breakdown',
          'staff_id',
          'created_at',
        ],
        entries.map((e) => [
          e.memberId,
          e.type,
          e.points,
          e.growth,
          e.balanceAfter,
          e.growthAfter,
          e.idempotencyKey,
          e.sourceType,
          e.sourceRef,
          e.reason,
          e.expiresAt && sqlInstant(kind, e.expiresAt),
          e.breakdown === null ? null : JSON.stringify(e.breakdown),
          e.staffId,
          sqlInstant(kind, e.createdAt),
        ]),
        'idempotency_key',
      );
      entries.forEach((e, i) => (e.id = ids[i]!));
    }
    await tx.publishMany(
      'points.changed',
      rows.map((r) => ({
        memberId: r.source.memberId,
        type: r.type,
        points: r.points,
        growth: r.growth,
        balance: r.after.balance,
        growthTotal: r.after.growth,
        at: r.at.toISOString(),
      })),
    );
    return entries;
  }

  /** One entry; without `after`, the account's values are read (a change made by a plain UPDATE before). */
  async writeEntry(
    tx: Tx,
    row: Omit<EntryRow, 'after'> & { after?: AccountAfter },
  ): Promise<[PointsEntry, AccountAfter]> {
    const after = row.after ?? toAfterAccount(await this.account(tx, row.source.memberId));
    const [entry] = await this.writeEntries(tx, [{ ...row, after }]);
    return [entry!, after];
  }

  /** Folds one member's account into another's; their lots and entries follow (two member records merged). */
  async moveAll(tx: Tx, fromMemberId: number, toMemberId: number): Promise<void> {
    const { em } = tx;
    const from = await this.account(tx, fromMemberId);
    if (!from) return;
    await this.ensureAccount(tx, toMemberId);
    await em
      .createQueryBuilder()
      .update(PointsAccount)
      .set({
        balance: () => `balance + ${from.balance}`,
        growth: () => `growth + ${from.growth}`,
        pending: () => `pending + ${from.pending}`,
        owed: () => `owed + ${from.owed}`,
        version: () => 'version + 1',
      })
      .where({ memberId: toMemberId })
      .execute();
    await em.update(PointsLot, { memberId: fromMemberId }, { memberId: toMemberId });
    await em.update(PointsEntry, { memberId: fromMemberId }, { memberId: toMemberId });
    await em.delete(PointsAccount, { memberId: fromMemberId });
  }

  /** The entry of a cause, if it was booked. */
  entryByKey(tx: Tx, key: string): Promise<PointsEntry | null> {
    const { em } = tx;
    return em.findOneBy(PointsEntry, { idempotencyKey: key });
  }
}

function toAfterAccount(account: PointsAccount | null): AccountAfter {
  if (!account) throw new Error('the entry has no account');
  return {
    memberId: account.memberId,
    balance: account.balance,
    growth: account.growth,
    owed: account.owed,
  };
}
