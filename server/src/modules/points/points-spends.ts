import { Injectable } from '@nestjs/common';
import { affectedRows, placeholders } from '../../infra/database/bulk.js';
import { dialectOf, forUpdate, touchUpdatedAt } from '../../infra/database/dialect.js';
import type { Tx } from '../../infra/events/unit-of-work.js';
import type { PointsEntry } from './entities/points-entry.entity.js';
import { type AccountAfter, PointsLedgerRepository } from './points-ledger.repository.js';
import type { DebitInput } from './points.service.js';

/** A spend of a group, decided on the locked accounts. */
export type GroupSpend = Omit<DebitInput, 'growth' | 'fresh'>;

interface LotLeft {
  id: number;
  memberId: number;
  remaining: number;
}

/** The members' accounts (absent: none) and available lots, locked until the transaction ends. */
export interface LockedSpenders {
  accounts: Map<number, AccountAfter>;
  /** By member, those that expire first first. */
  lots: LotLeft[];
}

/**
 * Spends decided together (a group of redemptions): the accounts are locked first, in member order, and the caller
 * decides on their balances who may spend; then every accepted spend is written set-based — one UPDATE of the
 * accounts, one read and one UPDATE of the lots that expire first, one insert of the entries and their events —
 * exactly the rows `PointsService.debit` would write one by one in the same order. The accounts' CHECK
 * (balance ≥ 0) still refuses an overdraft the caller missed, failing its transaction.
 */
@Injectable()
export class PointsSpends {
  constructor(private readonly ledger: PointsLedgerRepository) {}

  /**
   * Locks the members' accounts and their available lots until the transaction ends (accounts first, in member
   * order, as every spend does); answers what they hold.
   */
  async lock(tx: Tx, memberIds: number[]): Promise<LockedSpenders> {
    const ids = [...new Set(memberIds)].sort((a, b) => a - b);
    if (ids.length === 0) return { accounts: new Map(), lots: [] };
    const lock = forUpdate(dialectOf(tx.em));
    const rows = (await tx.em.query(
      `SELECT member_id, balance, growth, owed FROM points_account
        WHERE member_id IN (${placeholders(ids.length)}) ORDER BY member_id${lock}`,
      ids,
    )) as Record<string, number | string>[];
    const lots = (await tx.em.query(
      `SELECT id, member_id, remaining FROM points_lot
        WHERE member_id IN (${placeholders(ids.length)}) AND status = 'available' AND remaining > 0
        ORDER BY member_id, CASE WHEN expires_at IS NULL THEN 1 ELSE 0 END, expires_at, id${lock}`,
      ids,
    )) as Record<string, number | string>[];
    return {
      accounts: new Map(
        rows.map((r) => [
          Number(r.member_id),
          {
            memberId: Number(r.member_id),
            balance: Number(r.balance),
            growth: Number(r.growth),
            owed: Number(r.owed),
          },
        ]),
      ),
      lots: lots.map((l) => ({
        id: Number(l.id),
        memberId: Number(l.member_id),
        remaining: Number(l.remaining),
      })),
    };
  }

  /**
   * Writes the spends, in order, on accounts `lock` answered (and nobody else can have changed since). Each spend's
   * key must be new (the caller's own unique row guarantees it, as `fresh` does for `debit`).
   */
  async spend(tx: Tx, spends: GroupSpend[], locked: LockedSpenders): Promise<PointsEntry[]> {
    const paid = spends.filter((s) => s.points > 0);
    for (const s of paid)
      if (!Number.isInteger(s.points)) throw new Error(`debit of ${s.points} points`);
    if (paid.length === 0) return [];
    const running = new Map([...locked.accounts].map(([m, a]) => [m, { ...a }]));
    const afters = paid.map((s) => {
      const account = running.get(s.memberId);
      if (!account || account.balance < s.points)
        throw new Error(
          `spend of ${s.points} points by member ${s.memberId}: not decided on its lock`,
        );
      account.balance -= s.points;
      return { ...account };
    });
    const totals = new Map<number, number>();
    for (const s of paid) totals.set(s.memberId, (totals.get(s.memberId) ?? 0) + s.points);
    await this.takeFromAccounts(tx, totals);
    await this.takeFromLots(tx, totals, locked.lots);
    return this.ledger.writeEntries(
      tx,
      paid.map((s, k) => ({
        source: s,
        type: s.type,
        points: -s.points,
        growth: 0,
        expiresAt: null,
        breakdown: null,
        at: s.at ?? new Date(),
        after: afters[k]!,
      })),
    );
  }

  private async takeFromAccounts(tx: Tx, totals: Map<number, number>): Promise<void> {
    const ids = [...totals.keys()].sort((a, b) => a - b);
    const cases = ids.map(() => 'WHEN ? THEN ?').join(' ');
    const changed = await affectedRows(
      tx.em,
      `UPDATE points_account SET balance = balance - CASE member_id ${cases} ELSE 0 END,
         version = version + 1${touchUpdatedAt(dialectOf(tx.em))}
        WHERE member_id IN (${placeholders(ids.length)})`,
      [...ids.flatMap((m) => [m, totals.get(m)!]), ...ids],
    );
    if (changed !== ids.length)
      throw new Error(`spends changed ${changed} of ${ids.length} accounts`);
  }

  /** Each member's total from their available lots, those that expire first first (as `consumeLots`). */
  private async takeFromLots(tx: Tx, totals: Map<number, number>, lots: LotLeft[]): Promise<void> {
    const left = new Map(totals);
    const takes: [number, number][] = [];
    for (const lot of lots) {
      const memberId = lot.memberId;
      const want = left.get(memberId) ?? 0;
      if (want === 0) continue;
      const take = Math.min(want, lot.remaining);
      takes.push([lot.id, take]);
      left.set(memberId, want - take);
    }
    for (const [memberId, want] of left) {
      const total = totals.get(memberId)!;
      if (want > 0)
        throw new Error(
          `lots of member ${memberId} hold ${total - want}, account allowed ${total}`,
        );
    }
    const cases = takes.map(() => 'WHEN ? THEN ?').join(' ');
    const changed = await affectedRows(
      tx.em,
      `UPDATE points_lot SET remaining = remaining - CASE id ${cases} ELSE 0 END
        WHERE id IN (${placeholders(takes.length)})`,
      [...takes.flat(), ...takes.map(([id]) => id)],
    );
    if (changed !== takes.length)
      throw new Error(`spends changed ${changed} of ${takes.length} lots`);
  }
}
