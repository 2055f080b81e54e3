import { Inject, Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { bulkInsert, placeholders } from '../../infra/database/bulk.js';
import { isUniqueViolation } from '../../infra/database/errors.js';
import { findForUpdate } from '../../infra/database/locks.js';
import { type Tx, UnitOfWork } from '../../infra/events/unit-of-work.js';
import { MemberBadge, MemberStat } from './badge.entity.js';
import { metricsOf, metricValue, withChange } from './badge-metrics.js';
import { BadgesService } from './badges.service.js';

/**
 * The facts a batch may move: counters an order, a check-in or a redemption adds to, and the best streak (kept at
 * its maximum).
 */
export interface CountChange {
  purchases?: number;
  spend?: number;
  checkins?: number;
  redemptions?: number;
  bestStreak?: { max: number };
}
const COLUMNS = {
  purchases: 'purchases',
  spend: 'spend',
  checkins: 'checkins',
  redemptions: 'redemptions',
} as const;
type Counter = keyof typeof COLUMNS;

export interface BatchFact {
  eventKey: string;
  memberId: number;
  change: CountChange;
  triggerRef: string;
  at: Date;
  /** A badge awarded outright (level 1) by this event: the check-in ladder's badge. */
  direct?: string | null;
}

/**
 * Badge facts from many events in one transaction, with the same result as `BadgesService.apply` once per event in
 * order: the events applied before are skipped (their keys are read first, the new ones inserted plainly, so a
 * concurrent delivery fails this batch on the unique key and the batch is redone one by one), every member's
 * counters move with one UPDATE, and the levels are awarded to the event that reached them.
 */
@Injectable()
export class BadgeBatch {
  constructor(
    private readonly badges: BadgesService,
    private readonly uow: UnitOfWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async apply(facts: BatchFact[]): Promise<void> {
    if (facts.length === 0) return;
    try {
      await this.applyOnce(facts);
    } catch (err) {
      // One event applied concurrently by another delivery: it did the work. A batch is redone one by one.
      if (facts.length === 1 && isUniqueViolation(err)) return;
      throw err;
    }
  }

  private async applyOnce(facts: BatchFact[]): Promise<void> {
    await this.uow.run(async (tx) => {
      const fresh = await this.markApplied(tx, facts);
      if (fresh.length === 0) return;
      const memberIds = [...new Set(fresh.map((f) => f.memberId))];
      await this.ensureStats(tx, memberIds);
      const metrics = new Set(fresh.flatMap((f) => [...metricsOf(f.change)]));
      const all = await this.badges.all();
      const relevant = all.filter((b) => b.active && metrics.has(b.metric));
      const codes = new Set(fresh.map((f) => f.direct).filter((c) => c));
      const directs = all.filter((b) => b.active && codes.has(b.code));
      // The facts before this batch, locked, only when some badge reads them.
      const before =
        relevant.length > 0
          ? await findForUpdate(tx.em, MemberStat, { memberId: In(memberIds) })
          : [];
      await this.addCounts(tx, fresh);
      if (relevant.length === 0 && directs.length === 0) return;
      const held = await tx.em.find(MemberBadge, {
        select: { memberId: true, badgeId: true, level: true },
        where: { memberId: In(memberIds), badgeId: In([...relevant, ...directs].map((b) => b.id)) },
      });
      const owned = new Set(held.map((h) => `${h.memberId}:${h.badgeId}:${h.level}`));
      const stats = new Map(before.map((s) => [s.memberId, s]));
      for (const f of fresh) {
        const stat = withChange(stats.get(f.memberId) ?? MemberStat.empty(f.memberId), f.change);
        stats.set(f.memberId, stat);
        for (const badge of relevant.filter((b) => metricsOf(f.change).has(b.metric))) {
          const reached = badge.thresholds.filter(
            (t) => metricValue(stat, badge.metric, f.at) >= t,
          ).length;
          for (let level = 1; level <= reached; level++) {
            const key = `${f.memberId}:${badge.id}:${level}`;
            if (owned.has(key)) continue;
            owned.add(key);
            await this.badges.award(tx, f.memberId, badge, level, f.triggerRef, f.at);
          }
        }
        const direct = f.direct ? directs.find((b) => b.code === f.direct) : undefined;
        if (direct && !owned.has(`${f.memberId}:${direct.id}:1`)) {
          owned.add(`${f.memberId}:${direct.id}:1`);
          await this.badges.award(tx, f.memberId, direct, 1, f.triggerRef, f.at);
        }
      }
    });
  }

  /** Inserts the keys of the events not applied before; answers those events (once each, in order). */
  private async markApplied(tx: Tx, facts: BatchFact[]): Promise<BatchFact[]> {
    const kind = this.config.database.kind;
    // One event: the insert itself says whether it is new (a concurrent one waits on the key, then counts 0).
    if (facts.length === 1) {
      const row = [[facts[0]!.eventKey]];
      const inserted = await bulkInsert(tx.em, kind, 'member_stat_event', ['event_key'], row, {
        ignore: true,
      });
      return inserted === 0 ? [] : facts;
    }
    const keys = [...new Set(facts.map((f) => f.eventKey))];
    const known = new Set(
      (
        (await tx.em.query(
          `SELECT event_key FROM member_stat_event WHERE event_key IN (${placeholders(keys.length)})`,
          keys,
        )) as { event_key: string }[]
      ).map((r) => r.event_key),
    );
    const fresh = facts.filter((f) => !known.has(f.eventKey) && known.add(f.eventKey));
    await bulkInsert(
      tx.em,
      kind,
      'member_stat_event',
      ['event_key'],
      fresh.map((f) => [f.eventKey]),
    );
    return fresh;
  }

  /** Creates the missing facts rows first (an UPDATE of a missing row takes a gap lock; see BadgesService). */
  private async ensureStats(tx: Tx, memberIds: number[]): Promise<void> {
    const present = new Set(
      (
        await tx.em.find(MemberStat, {
          select: { memberId: true },
          where: { memberId: In(memberIds) },
        })
      ).map((s) => s.memberId),
    );
    await bulkInsert(
      tx.em,
      this.config.database.kind,
      'member_stat',
      ['member_id'],
      memberIds.filter((id) => !present.has(id)).map((id) => [id]),
      { ignore: true },
    );
  }

  /** Every member's counters in one UPDATE (each plus the member's sum over the batch); the best streak its max. */
  private async addCounts(tx: Tx, fresh: BatchFact[]): Promise<void> {
    const sums = new Map<number, Record<Counter, number> & { streak: number }>();
    for (const f of fresh) {
      const s = sums.get(f.memberId) ?? {
        purchases: 0,
        spend: 0,
        checkins: 0,
        redemptions: 0,
        streak: 0,
      };
      for (const k of Object.keys(COLUMNS) as Counter[]) s[k] += f.change[k] ?? 0;
      s.streak = Math.max(s.streak, f.change.bestStreak?.max ?? 0);
      sums.set(f.memberId, s);
    }
    const ids = [...sums.keys()];
    const whens = ids.map(() => 'WHEN ? THEN ?').join(' ');
    const params: unknown[] = [];
    const sets = (Object.keys(COLUMNS) as Counter[])
      .filter((k) => [...sums.values()].some((s) => s[k] !== 0))
      .map((k) => {
        params.push(...[...sums].flatMap(([id, s]) => [id, s[k]]));
        return `${COLUMNS[k]} = ${COLUMNS[k]} + CASE member_id ${whens} ELSE 0 END`;
      });
    if ([...sums.values()].some((s) => s.streak > 0)) {
      // The larger of the row's best streak and the batch's (CASE: GREATEST is not SQLite's).
      params.push(...[...sums].flatMap(([id, s]) => [id, s.streak]));
      sets.push(
        `best_streak = CASE WHEN best_streak < (CASE member_id ${whens} ELSE 0 END) ` +
          `THEN (CASE member_id ${whens} ELSE 0 END) ELSE best_streak END`,
      );
      params.push(...[...sums].flatMap(([id, s]) => [id, s.streak]));
    }
    if (sets.length === 0) return;
    await tx.em.query(
      `UPDATE member_stat SET ${sets.join(', ')} WHERE member_id IN (${placeholders(ids.length)})`,
      [...params, ...ids],
    );
  }
}
