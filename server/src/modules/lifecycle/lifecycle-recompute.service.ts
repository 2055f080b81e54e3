import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  LIFECYCLE_STAGES,
  startOfBrandDay,
  type LifecycleSettings,
  type LifecycleStage,
} from '@huoyue/shared';
import type { z } from 'zod';
import type { recomputeResult } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { EventBus } from '../../infra/events/event-bus.js';
import { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { LifecycleSnapshot, LifecycleState } from './lifecycle.entities.js';
import { LifecycleAggregates } from './lifecycle-aggregates.js';
import { scratchSql, type RfmCuts } from './lifecycle-decision-sql.js';
import { dayNumber, type Dialect } from './lifecycle-sql.js';
import { LifecycleService } from './lifecycle.service.js';
import { writeSlice } from './lifecycle-slice-writer.js';
import { ModelStore } from './model-store.js';
import { truncateTable } from '../../infra/database/dialect.js';

type RecomputeResult = z.output<typeof recomputeResult>;
type StageCounts = Record<LifecycleStage, number>;

/** The recompute writes in member-id slices, each a short transaction, so order handlers never wait long. */
const WRITE_SLICE = 50_000;

/**
 * The set-based recompute: every member's stage, RFM scores and segment, low-frequency and at-risk flags, decided
 * in one statement into a scratch table and applied in slices (docs/lifecycle.md). Run nightly, or on demand.
 */
@Injectable()
export class LifecycleRecompute {
  private readonly logger = new Logger('Lifecycle');
  private readonly kind: Dialect;

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly bus: EventBus,
    private readonly lifecycle: LifecycleService,
    private readonly aggregates: LifecycleAggregates,
    private readonly models: ModelStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.kind = config.database.kind;
  }

  /** The nightly job: once per brand-local day, from 02:00 on (the day before is complete by then). */
  async nightly(now: Date): Promise<number> {
    const day = this.lifecycle.today(now);
    const hour = Number(
      new Intl.DateTimeFormat('en-US', {
        timeZone: this.config.brandTimezone,
        hour: '2-digit',
        hourCycle: 'h23',
      }).format(now),
    );
    if (hour < 2) return 0;
    const [state] = await this.dataSource.getRepository(LifecycleState).find({ where: { id: 1 } });
    if (state?.lastRecomputeDay && String(state.lastRecomputeDay).slice(0, 10) >= day) return 0;
    return (await this.recompute(day)).transitions;
  }

  /**
   * Every member's stage, RFM scores and segment, low-frequency and at-risk flags as of `asOfDay`. As of today it
   * reads the kept aggregates (after moving the RFM window and folding in the day's interactions); as of another
   * day it first rebuilds the aggregates from the history up to that day, so later data never counts. Writes in
   * short slices; a member refreshed by a purchase meanwhile keeps the fresher decision. The caller holds the lease.
   */
  async recompute(
    asOfDay: string,
    options: { dryRun?: boolean; rebuild?: boolean } = {},
  ): Promise<RecomputeResult> {
    const started = Date.now();
    const s = await this.lifecycle.settings();
    const D = dayNumber(asOfDay);
    const fast = asOfDay === this.lifecycle.today();
    const windowFrom = D - s.rfmLookbackDays;
    if (fast) await this.advanceAggregates(D, windowFrom, Boolean(options.rebuild));
    else await this.aggregates.buildHistoryAsOf(asOfDay, windowFrom);
    const source = fast ? 'member_lifecycle' : 'lifecycle_history_agg';
    const stages = await this.decide(s, D, source, fast);
    const members = Object.values(stages).reduce((a, b) => a + b, 0);
    const computeMs = Date.now() - started;

    const written = options.dryRun
      ? { transitions: 0, newlyAtRisk: 0, writeMs: 0, deliverMs: 0 }
      : await this.write(asOfDay, fast, stages);
    const result = {
      asOf: asOfDay,
      dryRun: Boolean(options.dryRun),
      source: fast ? ('aggregates' as const) : ('history' as const),
      members,
      stages,
      transitions: written.transitions,
      newlyAtRisk: written.newlyAtRisk,
      timings: { computeMs, writeMs: written.writeMs, deliverMs: written.deliverMs },
    };
    this.logger.log(result, 'lifecycle recomputed');
    return result;
  }

  /** As of today: the kept aggregates, with the RFM window moved to `windowFrom` and today's interactions folded in. */
  private async advanceAggregates(D: number, windowFrom: number, rebuild: boolean): Promise<void> {
    await this.uow.run(async (tx) => {
      const state = await this.aggregates.state(tx, 'update');
      if (rebuild || windowFrom < state.windowFromDn) await this.aggregates.rebuild(tx, windowFrom);
      else if (windowFrom > state.windowFromDn)
        await this.aggregates.advanceWindow(tx, state.windowFromDn, windowFrom);
      // Interactions of the last folded day are folded again: events of that day may have arrived since.
      await this.aggregates.foldInteractions(tx, Math.min(state.interactionsDn, D), D);
    });
  }

  /** Fills the scratch table with the changed decisions; answers the members per stage once they are applied. */
  private async decide(
    s: LifecycleSettings,
    D: number,
    source: string,
    fast: boolean,
  ): Promise<StageCounts> {
    const mbg = await this.models.latest('mbgnbd');

    const cuts = await this.rfmCuts(source);
    await this.dataSource.query(truncateTable(this.kind, 'lifecycle_scratch'));
    const decisions = scratchSql(this.kind, this.lifecycle.offset(), {
      s,
      D,
      source,
      fast,
      mbg,
      cuts,
    });
    await this.uow.run((tx) => tx.em.query(decisions));
    // The scratch holds only the members whose decision changed: the counts are today's plus those moves.
    const stages = await this.membersByStage();
    for (const r of (await this.dataSource.query(
      `SELECT stage_old, stage_new, COUNT(*) AS n FROM lifecycle_scratch
       WHERE stage_old <> stage_new GROUP BY stage_old, stage_new`,
    )) as { stage_old: LifecycleStage; stage_new: LifecycleStage; n: number }[]) {
      stages[r.stage_old] -= Number(r.n);
      stages[r.stage_new] += Number(r.n);
    }
    return stages;
  }

  /** Members per stage as their member rows say now. */
  private async membersByStage(): Promise<StageCounts> {
    const stages = Object.fromEntries(LIFECYCLE_STAGES.map((st) => [st, 0])) as StageCounts;
    for (const r of (await this.dataSource.query(
      "SELECT stage, COUNT(*) AS n FROM member WHERE status IN ('visitor', 'member') GROUP BY stage",
    )) as { stage: LifecycleStage; n: number }[])
      stages[r.stage] += Number(r.n);
    return stages;
  }

  /**
   * RFM cut points among members with a purchase in the window. score(v) = ceil(5 × C(v) / N), C(v) = members with
   * a value ≤ v (worst first): the same as CEIL(5 × CUME_DIST()), equal values getting equal scores. Score ≥ s holds
   * exactly from the value at position ⌊(s − 1)·N / 5⌋ + 1 in ascending order, so four positions per dimension
   * replace a window function over every member row: one narrow sort per dimension.
   */
  private async rfmCuts(source: string): Promise<RfmCuts | null> {
    const [{ n }] = (await this.dataSource.query(
      `SELECT COUNT(*) AS n FROM ${source} WHERE win_days > 0`,
    )) as [{ n: number }];
    const N = Number(n);
    if (N === 0) return null;
    const positions = [1, ...[2, 3, 4, 5].map((score) => Math.floor(((score - 1) * N) / 5) + 1)];
    const cuts = {} as RfmCuts;
    for (const [dim, column] of [
      ['r', 'last_dn'],
      ['f', 'win_days'],
      ['m', 'win_spend'],
    ] as const) {
      const rows = (await this.dataSource.query(
        `SELECT rn, v FROM (
           SELECT ${column} AS v, ROW_NUMBER() OVER (ORDER BY ${column}) AS rn FROM ${source} WHERE win_days > 0
         ) x WHERE rn IN (${[...new Set(positions)].join(', ')})`,
      )) as { rn: number; v: number | string }[];
      const at = new Map(rows.map((row) => [Number(row.rn), Number(row.v)]));
      cuts[dim] = { min: at.get(1)!, from: [2, 3, 4, 5].map((_, i) => at.get(positions[i + 1]!)!) };
    }
    return cuts;
  }

  /** Applies the scratch decisions slice by slice, records the day's snapshot, and delivers the events. */
  private async write(
    asOfDay: string,
    fast: boolean,
    stages: StageCounts,
  ): Promise<{ transitions: number; newlyAtRisk: number; writeMs: number; deliverMs: number }> {
    let transitions = 0;
    let newlyAtRisk = 0;
    const writeStarted = Date.now();
    const batch = this.bus.newBatch();
    const [bounds] = (await this.dataSource.query(
      'SELECT MIN(member_id) AS lo, MAX(member_id) AS hi FROM lifecycle_scratch',
    )) as { lo: number | null; hi: number | null }[];
    const at = fast ? new Date() : startOfBrandDay(asOfDay, this.config.brandTimezone);
    for (
      let lo = Number(bounds?.lo ?? 1);
      bounds?.hi != null && lo <= Number(bounds.hi);
      lo += WRITE_SLICE
    ) {
      const slice = await this.uow.run(async (tx) => {
        await this.aggregates.state(tx, 'update');
        return writeSlice(tx.em, this.kind, this.bus, {
          lo,
          hi: lo + WRITE_SLICE - 1,
          day: asOfDay,
          at,
          batch,
        });
      });
      transitions += slice.transitions;
      newlyAtRisk += slice.atRisk;
    }
    await this.saveSnapshot(asOfDay, stages);
    const writeMs = Date.now() - writeStarted;
    // The events were written set-based; deliver them now rather than waiting for the outbox sweep.
    const deliverStarted = Date.now();
    await this.bus.drain(batch);
    const deliverMs = Date.now() - deliverStarted;
    return { transitions, newlyAtRisk, writeMs, deliverMs };
  }

  /** The day's members per stage, and the state row's note of the last recompute. */
  private async saveSnapshot(asOfDay: string, stages: StageCounts): Promise<void> {
    await this.uow.run(async (tx) => {
      await tx.em.query('DELETE FROM lifecycle_snapshot WHERE day = ?', [asOfDay]);
      for (const stage of LIFECYCLE_STAGES)
        await tx.em.insert(LifecycleSnapshot, { day: asOfDay, stage, members: stages[stage] });
      await tx.em.update(
        LifecycleState,
        { id: 1 },
        { lastRecomputeDay: asOfDay, lastRecomputeAt: new Date() },
      );
    });
  }
}
