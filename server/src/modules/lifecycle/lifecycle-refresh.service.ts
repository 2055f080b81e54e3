import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import type { LifecycleSettings, LifecycleStage } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { UnitOfWork, type Tx } from '../../infra/events/unit-of-work.js';
import { bulkInsert } from '../../infra/database/bulk.js';
import { forUpdate } from '../../infra/database/dialect.js';
import { LifecycleAggregates } from './lifecycle-aggregates.js';
import { dayNumber, type Dialect } from './lifecycle-sql.js';
import { LifecycleService } from './lifecycle.service.js';

export type RefreshCause = 'purchase' | 'refund' | 'import' | 'join' | 'merge';

/** Members refreshed per transaction. */
const REFRESH_SLICE = 1000;
/** Up to this many stage moves in a slice are written one by one (3 statements each); more go set-based (about 5). */
const SINGLE_MOVES = 2;

interface StageMove {
  id: number;
  from: LifecycleStage;
  to: LifecycleStage;
}

/**
 * The event-driven per-member refresh: purchases, refunds, imports and merges bring the members' aggregates up to date
 * and re-decide their stage at once, without waiting for the nightly recompute.
 */
@Injectable()
export class LifecycleRefresh {
  private readonly kind: Dialect;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly lifecycle: LifecycleService,
    private readonly aggregates: LifecycleAggregates,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.kind = config.database.kind;
  }

  /**
   * Brings members' aggregates up to date from their orders and re-decides their stage as of today: a purchase
   * makes a member active at once, a full refund of the only purchase takes it back. Idempotent (recomputed from the
   * orders, not incremented), so a redelivered event changes nothing.
   */
  async refresh(memberIds: number[], cause: RefreshCause): Promise<number> {
    const ids = [...new Set(memberIds)].filter((id) => Number.isInteger(id) && id > 0);
    if (ids.length === 0) return 0;
    const s = await this.lifecycle.settings();
    let changed = 0;
    for (let i = 0; i < ids.length; i += REFRESH_SLICE) {
      const slice = ids.slice(i, i + REFRESH_SLICE);
      changed += await this.uow.run(async (tx) => {
        const state = await this.aggregates.state(tx, 'share');
        await this.aggregates.refreshFromOrders(
          tx,
          slice,
          cause === 'purchase',
          state.windowFromDn,
        );
        const today = this.lifecycle.today();
        const moves = await this.decideStages(tx.em, slice, s, today);
        if (moves.length <= SINGLE_MOVES) return this.moveOneByOne(tx, moves, cause, today);
        // An import or a batch of purchases moves many members at once: one UPDATE per (from, to), the transitions
        // and the events as multi-row inserts, delivered after commit like any other.
        await this.moveInBulk(tx, moves, cause, today);
        return moves.length;
      });
    }
    return changed;
  }

  /** The members whose stage as of today differs from the one on their member row. */
  private async decideStages(
    em: EntityManager,
    slice: number[],
    s: LifecycleSettings,
    today: string,
  ): Promise<StageMove[]> {
    // The member rows are locked while their stage is decided and written (MySQL; SQLite has one writer).
    const rows = (await em.query(
      `SELECT m.id, m.stage, ${this.lifecycle.stageSql(s, dayNumber(today), 'ml')} AS stage_new
       FROM member m LEFT JOIN member_lifecycle ml ON ml.member_id = m.id
       WHERE m.id IN (${slice.map(() => '?').join(', ')}) AND m.status IN ('visitor', 'member')
       ${forUpdate(this.kind)}`,
      slice,
    )) as { id: number; stage: LifecycleStage; stage_new: LifecycleStage }[];
    return rows
      .filter((r) => r.stage !== r.stage_new)
      .map((r) => ({ id: Number(r.id), from: r.stage, to: r.stage_new }));
  }

  private async moveOneByOne(
    tx: Tx,
    moves: StageMove[],
    cause: RefreshCause,
    today: string,
  ): Promise<number> {
    let n = 0;
    for (const m of moves)
      if (await this.lifecycle.setStage(tx, m.id, m.from, m.to, cause, today)) n++;
    return n;
  }

  private async moveInBulk(
    tx: Tx,
    moves: StageMove[],
    cause: RefreshCause,
    today: string,
  ): Promise<void> {
    const at = new Date().toISOString();
    const groups = new Map<string, number[]>();
    for (const m of moves)
      groups.set(`${m.from}>${m.to}`, [...(groups.get(`${m.from}>${m.to}`) ?? []), m.id]);
    for (const [key, memberIds] of groups) {
      const [from, to] = key.split('>') as [LifecycleStage, LifecycleStage];
      await tx.em.query(
        `UPDATE member SET stage = ? WHERE stage = ? AND id IN (${memberIds.map(() => '?').join(', ')})`,
        [to, from, ...memberIds],
      );
    }
    await bulkInsert(
      tx.em,
      this.kind,
      'lifecycle_transition',
      ['member_id', 'from_stage', 'to_stage', 'day', 'cause'],
      moves.map((m) => [m.id, m.from, m.to, today, cause]),
    );
    await tx.publishMany(
      'member.stage_changed',
      moves.map((m) => ({ memberId: m.id, from: m.from, to: m.to, day: today, cause, at })),
    );
  }
}
