import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  brandDay,
  csvCell,
  zoneOffsetMinutes,
  DEFAULT_LIFECYCLE_SETTINGS,
  LIFECYCLE_STAGES,
  lifecycleSettings,
  RFM_SEGMENTS,
  startOfBrandDay,
  type LifecycleSettings,
  type LifecycleStage,
  type RfmSegment,
} from '@huoyue/shared';
import type { z } from 'zod';
import type { recomputeResult } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import type { Actor } from '../../infra/auth/token.service.js';
import { EventBus } from '../../infra/events/event-bus.js';
import { UnitOfWork, type Tx } from '../../infra/events/unit-of-work.js';
import { SettingsService } from '../../infra/settings/settings.service.js';
import { affectedRows, bulkInsert, sqlInstant } from '../../infra/database/bulk.js';
import { AuditService } from '../staff/audit.service.js';
import {
  LifecycleSnapshot,
  LifecycleState,
  LifecycleTransition,
  MemberLifecycle,
} from './lifecycle.entities.js';
import {
  dayNumber,
  dayOf,
  greatest,
  instantDn,
  interactionsSql,
  purchaseAggregatesSql,
  rfmSegmentSql,
  stageCaseSql,
  updateFrom,
  upsertSelect,
  type Dialect,
} from './lifecycle-sql.js';
import { ModelStore } from './model-store.js';
import { rfmSegment } from './rfm.js';

type RecomputeResult = z.output<typeof recomputeResult>;

const SETTINGS_KEY = 'lifecycle';
/** The nightly job's name, and the lease every recompute and fit holds. */
export const LIFECYCLE_LEASE = 'lifecycle.nightly';
/** The recompute writes in member-id slices, each a short transaction, so order handlers never wait long. */
const WRITE_SLICE = 50_000;
const AGGREGATE_COLUMNS = [
  'member_id',
  'first_dn',
  'last_dn',
  'purchase_days',
  'spend',
  'win_days',
  'win_spend',
];

export type RefreshCause = 'purchase' | 'refund' | 'import' | 'join' | 'merge';

/** Per RFM dimension: the smallest value, and the values from which scores 2, 3, 4 and 5 begin. */
type RfmCuts = Record<'r' | 'f' | 'm', { min: number; from: number[] }>;

/**
 * Lifecycle stages, RFM, low-frequency and at-risk flags. The decisions are set-based SQL over the whole member base
 * (docs/lifecycle.md): per-member purchase aggregates are kept current at order time (refresh), and the nightly
 * recompute scans those one-row-per-member aggregates instead of the orders. `member.stage` is this module's column
 * (it lives on the member row because every reader of a member needs it); nothing else writes it after creation.
 */
@Injectable()
export class LifecycleService {
  private readonly logger = new Logger('Lifecycle');
  private readonly kind: Dialect;

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly bus: EventBus,
    private readonly settingsService: SettingsService,
    private readonly audit: AuditService,
    private readonly models: ModelStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.kind = config.database.kind;
  }

  settings(em?: EntityManager): Promise<LifecycleSettings> {
    return this.settingsService.get(
      SETTINGS_KEY,
      lifecycleSettings,
      DEFAULT_LIFECYCLE_SETTINGS,
      em,
    );
  }

  async setSettings(actor: Actor, input: LifecycleSettings): Promise<LifecycleSettings> {
    return this.uow.run(async (tx) => {
      const before = await this.settings(tx.em);
      const after = await this.settingsService.set(tx.em, SETTINGS_KEY, lifecycleSettings, input);
      await this.audit.record(tx.em, actor, {
        action: 'lifecycle.settings',
        entityType: 'settings',
        entityId: SETTINGS_KEY,
        before,
        after,
      });
      return after;
    });
  }

  today(now = new Date()): string {
    return brandDay(now, this.config.brandTimezone);
  }

  private offset(): number {
    return zoneOffsetMinutes(this.config.brandTimezone, new Date());
  }

  // ---------------------------------------------------------------- state

  /**
   * The state row, locked: `share` by member refreshes (many at once), `update` by the window advance and the
   * recompute's writes, so a refresh never computes against a window that moves under it. Created on first use,
   * together with the aggregates of every member who already has orders.
   */
  private async state(em: EntityManager, lock: 'share' | 'update'): Promise<LifecycleState> {
    const lockSql =
      this.kind === 'mysql' ? (lock === 'share' ? ' LOCK IN SHARE MODE' : ' FOR UPDATE') : '';
    const [row] = (await em.query(
      `SELECT window_from_dn, interactions_dn, last_recompute_day, last_recompute_at FROM lifecycle_state WHERE id = 1${lockSql}`,
    )) as Record<string, unknown>[];
    if (row) {
      return Object.assign(new LifecycleState(), {
        id: 1,
        windowFromDn: Number(row.window_from_dn),
        interactionsDn: Number(row.interactions_dn),
        lastRecomputeDay: row.last_recompute_day
          ? String(row.last_recompute_day).slice(0, 10)
          : null,
        lastRecomputeAt: row.last_recompute_at ? new Date(row.last_recompute_at as string) : null,
      });
    }
    return this.bootstrap(em);
  }

  /** First run on a database (new, or upgraded from before this module): aggregates for every member with orders. */
  private async bootstrap(em: EntityManager): Promise<LifecycleState> {
    const s = await this.settings();
    const today = dayNumber(this.today());
    const state = Object.assign(new LifecycleState(), {
      id: 1,
      windowFromDn: today - s.rfmLookbackDays,
      interactionsDn: today - s.rfmLookbackDays,
      lastRecomputeDay: null,
      lastRecomputeAt: null,
    });
    await em.createQueryBuilder().insert().into(LifecycleState).values(state).orIgnore().execute();
    const [row] = (await em.query('SELECT window_from_dn FROM lifecycle_state WHERE id = 1')) as {
      window_from_dn: number;
    }[];
    if (Number(row!.window_from_dn) === state.windowFromDn)
      await this.rebuildAggregates(em, state.windowFromDn);
    return state;
  }

  /** Recomputes every member's aggregates from the order history (bootstrap, bulk loads, a longer RFM window). */
  private async rebuildAggregates(em: EntityManager, windowFromDn: number): Promise<void> {
    const agg = purchaseAggregatesSql(this.kind, this.offset(), { windowFromDn });
    await em.query(
      'UPDATE member_lifecycle SET first_dn = NULL, last_dn = NULL, purchase_days = 0, spend = 0, win_days = 0, win_spend = 0, version = version + 1',
    );
    await em.query(
      upsertSelect(
        this.kind,
        'member_lifecycle',
        AGGREGATE_COLUMNS,
        agg.sql,
        this.aggregateUpdates(),
      ),
      agg.params,
    );
    await em.query('UPDATE lifecycle_state SET window_from_dn = ? WHERE id = 1', [windowFromDn]);
  }

  private aggregateUpdates(): Record<string, string> {
    return Object.fromEntries([
      ...AGGREGATE_COLUMNS.slice(1).map((c) => [c, `NEW(${c})`]),
      ['version', 'version + 1'],
    ]);
  }

  // ---------------------------------------------------------------- event-driven refresh

  /**
   * Brings members' aggregates up to date from their orders and re-decides their stage as of today: a purchase
   * makes a member active at once, a full refund of the only purchase takes it back. Idempotent (recomputed from the
   * orders, not incremented), so a redelivered event changes nothing.
   */
  async refresh(memberIds: number[], cause: RefreshCause): Promise<number> {
    const ids = [...new Set(memberIds)].filter((id) => Number.isInteger(id) && id > 0);
    if (ids.length === 0) return 0;
    const s = await this.settings();
    let changed = 0;
    for (let i = 0; i < ids.length; i += 1000) {
      const slice = ids.slice(i, i + 1000);
      let drainAfter: number | null = null;
      changed += await this.uow.run(async (tx) => {
        const state = await this.state(tx.em, 'share');
        const marks = slice.map(() => '?').join(', ');
        // A purchase always leaves the member with orders, so the upsert below covers them; a refund, an import or a
        // merge may leave none, so their aggregates are cleared first.
        if (cause !== 'purchase')
          await tx.em.query(
            `UPDATE member_lifecycle SET first_dn = NULL, last_dn = NULL, purchase_days = 0, spend = 0, win_days = 0, win_spend = 0, version = version + 1 WHERE member_id IN (${marks})`,
            slice,
          );
        else
          await tx.em.query(
            `UPDATE member_lifecycle SET at_risk = 0 WHERE member_id IN (${marks}) AND at_risk = 1`,
            slice,
          );
        const agg = purchaseAggregatesSql(this.kind, this.offset(), {
          windowFromDn: state.windowFromDn,
          memberIds: slice,
        });
        await tx.em.query(
          upsertSelect(
            this.kind,
            'member_lifecycle',
            AGGREGATE_COLUMNS,
            agg.sql,
            this.aggregateUpdates(),
          ),
          agg.params,
        );
        const today = this.today();
        // The member rows are locked while their stage is decided and written (MySQL; SQLite has one writer).
        const rows = (await tx.em.query(
          `SELECT m.id, m.stage, ${this.stageSql(s, dayNumber(today), 'ml')} AS stage_new FROM member m LEFT JOIN member_lifecycle ml ON ml.member_id = m.id
           WHERE m.id IN (${marks}) AND m.status IN ('visitor', 'member')${this.kind === 'mysql' ? ' FOR UPDATE' : ''}`,
          slice,
        )) as { id: number; stage: LifecycleStage; stage_new: LifecycleStage }[];
        const moves = rows
          .filter((r) => r.stage !== r.stage_new)
          .map((r) => ({ id: Number(r.id), from: r.stage, to: r.stage_new }));
        if (moves.length <= 10) {
          let n = 0;
          for (const m of moves) if (await this.setStage(tx, m.id, m.from, m.to, cause, today)) n++;
          return n;
        }
        // An import batch moves many members at once: one UPDATE per (from, to), the transitions and the events as
        // multi-row inserts, delivered after commit (as the recompute does) instead of one round trip each.
        // Read only here, not on every purchase: the events below get ids after it, drained once committed.
        const [{ last }] = (await tx.em.query(
          'SELECT COALESCE(MAX(id), 0) AS last FROM domain_event',
        )) as [{ last: number }];
        drainAfter = Number(last);
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
        await bulkInsert(
          tx.em,
          this.kind,
          'domain_event',
          ['name', 'payload', 'attempts'],
          moves.map((m) => [
            'member.stage_changed',
            JSON.stringify({ memberId: m.id, from: m.from, to: m.to, day: today, cause, at }),
            0,
          ]),
        );
        return moves.length;
      });
      if (drainAfter !== null) await this.bus.drain(drainAfter);
    }
    return changed;
  }

  /**
   * One member's stage change, in the caller's transaction: the member row (only if it is still `from`), the
   * transition, and `member.stage_changed`. Members calls it on join; answers whether it changed anything.
   */
  async setStage(
    tx: Tx,
    memberId: number,
    from: LifecycleStage,
    to: LifecycleStage,
    cause: string,
    day = this.today(),
  ): Promise<boolean> {
    if (from === to) return false;
    if (
      (await affectedRows(tx.em, 'UPDATE member SET stage = ? WHERE id = ? AND stage = ?', [
        to,
        memberId,
        from,
      ])) === 0
    )
      return false;
    await tx.em.insert(LifecycleTransition, { memberId, fromStage: from, toStage: to, day, cause });
    await tx.publish('member.stage_changed', {
      memberId,
      from,
      to,
      day,
      cause,
      at: new Date().toISOString(),
    });
    return true;
  }

  private stageSql(s: LifecycleSettings, asOf: number, agg: string): string {
    return stageCaseSql(this.kind, s, asOf, {
      joinedDn: instantDn(this.kind, 'm.joined_at', this.offset()),
      status: 'm.status',
      purchaseDays: `${agg}.purchase_days`,
      lastDn: `${agg}.last_dn`,
      lastInteractionDn: `${agg}.last_interaction_dn`,
    });
  }

  // ---------------------------------------------------------------- the recompute

  /** The nightly job: once per brand-local day, from 02:00 on (the day before is complete by then). */
  async nightly(now: Date): Promise<number> {
    const day = this.today(now);
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
    const s = await this.settings();
    const D = dayNumber(asOfDay);
    const fast = asOfDay === this.today();
    const windowFrom = D - s.rfmLookbackDays;
    if (fast) {
      await this.uow.run(async (tx) => {
        const state = await this.state(tx.em, 'update');
        if (options.rebuild || windowFrom < state.windowFromDn)
          await this.rebuildAggregates(tx.em, windowFrom);
        else if (windowFrom > state.windowFromDn)
          await this.advanceWindow(tx.em, state.windowFromDn, windowFrom);
        // Interactions of the last folded day are folded again: events of that day may have arrived since.
        const fold = interactionsSql(this.kind, Math.min(state.interactionsDn, D), D);
        await tx.em.query(
          upsertSelect(
            this.kind,
            'member_lifecycle',
            ['member_id', 'last_interaction_dn'],
            fold.sql,
            {
              last_interaction_dn: `${greatest(this.kind, 'COALESCE(last_interaction_dn, -1)', 'NEW(last_interaction_dn)')}`,
            },
          ),
          fold.params,
        );
        await tx.em.query('UPDATE lifecycle_state SET interactions_dn = ? WHERE id = 1', [D]);
      });
    } else {
      await this.uow.run(async (tx) => {
        await this.state(tx.em, 'share');
        await this.buildHistory(tx.em, asOfDay, windowFrom);
      });
    }
    const source = fast ? 'member_lifecycle' : 'lifecycle_history_agg';
    const mbg = await this.models.latest('mbgnbd');

    const cuts = await this.rfmCuts(source);
    await this.dataSource.query(
      this.kind === 'mysql' ? 'TRUNCATE TABLE lifecycle_scratch' : 'DELETE FROM lifecycle_scratch',
    );
    await this.uow.run((tx) => tx.em.query(this.scratchSql(s, D, source, fast, mbg, cuts)));
    // The scratch holds only the members whose decision changed: the counts are today's plus those moves.
    const stages = Object.fromEntries(LIFECYCLE_STAGES.map((st) => [st, 0])) as Record<
      LifecycleStage,
      number
    >;
    for (const r of (await this.dataSource.query(
      "SELECT stage, COUNT(*) AS n FROM member WHERE status IN ('visitor', 'member') GROUP BY stage",
    )) as { stage: LifecycleStage; n: number }[])
      stages[r.stage] += Number(r.n);
    for (const r of (await this.dataSource.query(
      'SELECT stage_old, stage_new, COUNT(*) AS n FROM lifecycle_scratch WHERE stage_old <> stage_new GROUP BY stage_old, stage_new',
    )) as { stage_old: LifecycleStage; stage_new: LifecycleStage; n: number }[]) {
      stages[r.stage_old] -= Number(r.n);
      stages[r.stage_new] += Number(r.n);
    }
    const members = Object.values(stages).reduce((a, b) => a + b, 0);
    const computeMs = Date.now() - started;

    let transitions = 0;
    let newlyAtRisk = 0;
    const writeStarted = Date.now();
    let writeMs = 0;
    let deliverMs = 0;
    if (!options.dryRun) {
      const [{ last_event: lastEvent }] = (await this.dataSource.query(
        'SELECT COALESCE(MAX(id), 0) AS last_event FROM domain_event',
      )) as [{ last_event: number }];
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
          await this.state(tx.em, 'update');
          return this.writeSlice(tx.em, lo, lo + WRITE_SLICE - 1, asOfDay, at);
        });
        transitions += slice.transitions;
        newlyAtRisk += slice.atRisk;
      }
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
      writeMs = Date.now() - writeStarted;
      // The events were written set-based; deliver them now rather than waiting for the outbox sweep.
      const deliverStarted = Date.now();
      await this.bus.drain(Number(lastEvent));
      deliverMs = Date.now() - deliverStarted;
    }
    const result = {
      asOf: asOfDay,
      dryRun: Boolean(options.dryRun),
      source: fast ? ('aggregates' as const) : ('history' as const),
      members,
      stages,
      transitions,
      newlyAtRisk,
      timings: { computeMs, writeMs, deliverMs },
    };
    this.logger.log(result, 'lifecycle recomputed');
    return result;
  }

  /** Moves the RFM window's start forward: the purchase days that left it are taken out of win_days / win_spend. */
  private async advanceWindow(em: EntityManager, fromDn: number, toDn: number): Promise<void> {
    const tz = this.config.brandTimezone;
    const leaving = purchaseAggregatesSql(this.kind, this.offset(), {
      windowFromDn: fromDn,
      since: startOfBrandDay(dayOf(fromDn + 1), tz),
      until: startOfBrandDay(dayOf(toDn + 1), tz),
    });
    await em.query(
      updateFrom(
        this.kind,
        'member_lifecycle',
        `(${leaving.sql})`,
        's.member_id = t.member_id',
        't.win_days = t.win_days - s.purchase_days, t.win_spend = t.win_spend - s.spend',
        '1 = 1',
      ),
      leaving.params,
    );
    await em.query('UPDATE lifecycle_state SET window_from_dn = ? WHERE id = 1', [toDn]);
  }

  /** Aggregates as of a past (or future) day, from the order history and the engagement log up to that day. */
  private async buildHistory(
    em: EntityManager,
    asOfDay: string,
    windowFrom: number,
  ): Promise<void> {
    const D = dayNumber(asOfDay);
    await em.query('DELETE FROM lifecycle_history_agg');
    const agg = purchaseAggregatesSql(this.kind, this.offset(), {
      windowFromDn: windowFrom,
      until: startOfBrandDay(dayOf(D + 1), this.config.brandTimezone),
    });
    await em.query(
      `INSERT INTO lifecycle_history_agg (${AGGREGATE_COLUMNS.filter((c) => c !== 'spend').join(', ')}) SELECT member_id, first_dn, last_dn, purchase_days, win_days, win_spend FROM (${agg.sql}) a`,
      agg.params,
    );
    const inter = interactionsSql(this.kind, 0, D);
    const upsert = upsertSelect(
      this.kind,
      'lifecycle_history_agg',
      ['member_id', 'last_interaction_dn'],
      inter.sql,
      { last_interaction_dn: 'NEW(last_interaction_dn)' },
    );
    await em.query(upsert, inter.params);
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
        `SELECT rn, v FROM (SELECT ${column} AS v, ROW_NUMBER() OVER (ORDER BY ${column}) AS rn FROM ${source} WHERE win_days > 0) x WHERE rn IN (${[...new Set(positions)].join(', ')})`,
      )) as { rn: number; v: number | string }[];
      const at = new Map(rows.map((row) => [Number(row.rn), Number(row.v)]));
      cuts[dim] = { min: at.get(1)!, from: [2, 3, 4, 5].map((_, i) => at.get(positions[i + 1]!)!) };
    }
    return cuts;
  }

  /**
   * One INSERT … SELECT deciding everything per member, keeping only the members whose decision changed: stage;
   * R, F, M from the cut points; the segment; low frequency (the lowest F score present: with ties it is often 2 or
   * 3, not 1); at risk (the day P(alive) under MBG/NBD falls below the threshold has come, for an active or silent
   * member).
   */
  private scratchSql(
    s: LifecycleSettings,
    D: number,
    source: string,
    fast: boolean,
    mbg: { r: number; alpha: number; a: number; b: number } | null,
    cuts: RfmCuts | null,
  ): string {
    const score = (column: string, c: RfmCuts[keyof RfmCuts] | undefined) =>
      c
        ? `CASE WHEN s.win_days > 0 THEN CASE ${[5, 4, 3, 2].map((sc) => `WHEN s.${column} >= ${c.from[sc - 2]} THEN ${sc}`).join(' ')} ELSE 1 END END`
        : 'NULL';
    // The lowest F score present is the score of the smallest value.
    const lowestF = cuts ? 1 + cuts.f.from.filter((t) => t <= cuts.f.min).length : 0;
    const current = fast ? 's' : 'ml';
    // T* (MBG/NBD, docs/lifecycle.md): the age at which P(alive) reaches the threshold with no further purchase;
    // the member is at risk from day first_dn + T* on (never before the last purchase).
    const k = 1 / s.atRiskThreshold - 1;
    const tx = '(x.last_dn - x.first_dn)';
    const tStar = mbg
      ? `(${mbg.alpha} + ${tx}) * POWER(${k} * (${mbg.b} + x.purchase_days - 1) / ${mbg.a}, 1.0 / (${mbg.r} + x.purchase_days - 1)) - ${mbg.alpha}`
      : null;
    const atRiskWhen = tStar ? `x.first_dn + ${greatest(this.kind, tx, tStar)} <= ${D}` : '1 = 0';
    const same = (a: string, b: string) =>
      this.kind === 'mysql' ? `${a} <=> ${b}` : `${a} IS ${b}`;
    return `INSERT INTO lifecycle_scratch (member_id, stage_old, stage_new, r, f, m, segment, low_frequency, at_risk, at_risk_old, version)
      SELECT y.id, y.stage_old, y.stage_new, y.r, y.f, y.mm, y.segment, y.low_frequency, y.at_risk, y.at_risk_old, y.version FROM (
        SELECT x.*,
          CASE WHEN x.r IS NOT NULL THEN ${rfmSegmentSql('x.r', 'x.f')} WHEN x.purchase_days > 0 THEN 'lost' END AS segment,
          CASE WHEN x.purchase_days > 0 AND x.last_interaction_dn >= ${D - s.lowFrequencyDays} AND (COALESCE(x.win_days, 0) = 0 OR x.f = ${lowestF}) THEN 1 ELSE 0 END AS low_frequency,
          CASE WHEN x.stage_new IN ('active', 'silent') AND x.purchase_days > 0 AND ${atRiskWhen} THEN 1 ELSE 0 END AS at_risk
        FROM (
          SELECT m.id, m.stage AS stage_old, ${this.stageSql(s, D, 's')} AS stage_new,
            ${score('last_dn', cuts?.r)} AS r, ${score('win_days', cuts?.f)} AS f, ${score('win_spend', cuts?.m)} AS mm,
            s.purchase_days, s.win_days, s.first_dn, s.last_dn, s.last_interaction_dn,
            ${current}.r AS r_old, ${current}.f AS f_old, ${current}.m AS m_old, ${current}.segment AS segment_old,
            COALESCE(${current}.low_frequency, 0) AS low_old, COALESCE(${current}.at_risk, 0) AS at_risk_old, COALESCE(${current}.version, -1) AS version
          FROM member m LEFT JOIN ${source} s ON s.member_id = m.id${fast ? '' : ' LEFT JOIN member_lifecycle ml ON ml.member_id = m.id'}
          WHERE m.status IN ('visitor', 'member')
        ) x
      ) y
      WHERE y.stage_new <> y.stage_old OR y.low_frequency <> y.low_old OR y.at_risk <> y.at_risk_old
        OR NOT (${same('y.r', 'y.r_old')} AND ${same('y.f', 'y.f_old')} AND ${same('y.mm', 'y.m_old')} AND ${same('y.segment', 'y.segment_old')})`;
  }

  /**
   * Applies one slice of the scratch decisions. A member whose stage or aggregates changed since the scratch was
   * computed (a purchase came in) is left alone: the refresh that changed it decided with fresher facts.
   */
  private async writeSlice(
    em: EntityManager,
    lo: number,
    hi: number,
    day: string,
    at: Date,
  ): Promise<{ transitions: number; atRisk: number }> {
    const json = this.kind === 'mysql' ? 'JSON_OBJECT' : 'json_object';
    const current = `s.member_id BETWEEN ${lo} AND ${hi} AND COALESCE(ml.version, -1) = s.version`;
    const moved = `FROM lifecycle_scratch s JOIN member m ON m.id = s.member_id LEFT JOIN member_lifecycle ml ON ml.member_id = s.member_id
      WHERE ${current} AND s.stage_new <> s.stage_old AND m.stage = s.stage_old`;
    const atIso = at.toISOString();
    await em.query(
      `INSERT INTO lifecycle_transition (member_id, from_stage, to_stage, day, cause) SELECT s.member_id, s.stage_old, s.stage_new, ?, 'recompute' ${moved}`,
      [day],
    );
    await em.query(
      `INSERT INTO domain_event (name, payload, attempts) SELECT 'member.stage_changed', ${json}('memberId', s.member_id, 'from', s.stage_old, 'to', s.stage_new, 'day', ?, 'cause', 'recompute', 'at', ?), 0 ${moved}`,
      [day, atIso],
    );
    const risky = `FROM lifecycle_scratch s JOIN member_lifecycle ml ON ml.member_id = s.member_id WHERE ${current} AND s.at_risk = 1 AND ml.at_risk = 0`;
    const [{ n: atRisk }] = (await em.query(`SELECT COUNT(*) AS n ${risky}`)) as [{ n: number }];
    await em.query(
      `INSERT INTO domain_event (name, payload, attempts) SELECT 'member.at_risk', ${json}('memberId', s.member_id, 'stage', s.stage_new, 'day', ?, 'at', ?), 0 ${risky}`,
      [day, atIso],
    );
    const movedCount = await affectedRows(
      em,
      updateFrom(
        this.kind,
        'member',
        'lifecycle_scratch',
        's.member_id = t.id',
        't.stage = s.stage_new',
        `s.member_id BETWEEN ${lo} AND ${hi} AND s.stage_new <> s.stage_old AND t.stage = s.stage_old AND s.version = COALESCE((SELECT version FROM member_lifecycle v WHERE v.member_id = s.member_id), -1)`,
      ),
    );
    const same = (c: string) => (this.kind === 'mysql' ? `t.${c} <=> s.${c}` : `t.${c} IS s.${c}`);
    await em.query(
      updateFrom(
        this.kind,
        'member_lifecycle',
        'lifecycle_scratch',
        's.member_id = t.member_id',
        't.r = s.r, t.f = s.f, t.m = s.m, t.segment = s.segment, t.low_frequency = s.low_frequency, t.at_risk = s.at_risk',
        `s.member_id BETWEEN ${lo} AND ${hi} AND t.version = s.version AND NOT (${['r', 'f', 'm', 'segment', 'low_frequency', 'at_risk'].map(same).join(' AND ')})`,
      ),
    );
    return { transitions: movedCount, atRisk: Number(atRisk) };
  }

  // ---------------------------------------------------------------- reading

  async summary() {
    const stageRows = (await this.dataSource.query(
      "SELECT stage, COUNT(*) AS n FROM member WHERE status IN ('visitor', 'member') GROUP BY stage",
    )) as { stage: LifecycleStage; n: number }[];
    const stages = Object.fromEntries(LIFECYCLE_STAGES.map((st) => [st, 0])) as Record<
      LifecycleStage,
      number
    >;
    for (const r of stageRows) stages[r.stage] = Number(r.n);
    const segRows = (await this.dataSource.query(
      "SELECT ml.segment, COUNT(*) AS n, SUM(CASE WHEN ml.low_frequency THEN 1 ELSE 0 END) AS low, SUM(CASE WHEN ml.at_risk THEN 1 ELSE 0 END) AS risk FROM member_lifecycle ml JOIN member m ON m.id = ml.member_id WHERE m.status = 'member' GROUP BY ml.segment",
    )) as { segment: RfmSegment | null; n: number; low: number | null; risk: number | null }[];
    const segments = Object.fromEntries(RFM_SEGMENTS.map((sg) => [sg, 0])) as Record<
      RfmSegment,
      number
    >;
    let lowFrequency = 0;
    let atRisk = 0;
    for (const r of segRows) {
      if (r.segment) segments[r.segment] = Number(r.n);
      lowFrequency += Number(r.low ?? 0);
      atRisk += Number(r.risk ?? 0);
    }
    const [state] = await this.dataSource.getRepository(LifecycleState).find({ where: { id: 1 } });
    const lastRecompute =
      state?.lastRecomputeDay && state.lastRecomputeAt
        ? { asOf: state.lastRecomputeDay, at: state.lastRecomputeAt.toISOString() }
        : null;
    return { stages, segments, lowFrequency, atRisk, lastRecompute };
  }

  async rfmGrid() {
    const rows = (await this.dataSource.query(
      "SELECT ml.r, ml.f, COUNT(*) AS n, AVG(ml.win_spend) AS spend FROM member_lifecycle ml JOIN member m ON m.id = ml.member_id WHERE ml.r IS NOT NULL AND m.status = 'member' GROUP BY ml.r, ml.f",
    )) as { r: number; f: number; n: number; spend: number | string | null }[];
    const byCell = new Map(rows.map((row) => [`${row.r}:${row.f}`, row]));
    const cells = [];
    let members = 0;
    for (let r = 5; r >= 1; r--) {
      for (let f = 1; f <= 5; f++) {
        const row = byCell.get(`${r}:${f}`);
        members += Number(row?.n ?? 0);
        cells.push({
          r,
          f,
          segment: rfmSegment(r, f),
          members: Number(row?.n ?? 0),
          avgSpend: Math.round(Number(row?.spend ?? 0)),
        });
      }
    }
    return { cells, members };
  }

  /** Export rows in member-id pages (keyset), so a million rows stream with bounded memory. */
  async *exportRows(filter: {
    stage?: LifecycleStage;
    segment?: RfmSegment;
  }): AsyncGenerator<string> {
    yield '\ufeffmember_id,card_no,nickname,phone,stage,segment,r,f,m,low_frequency,at_risk,first_purchase,last_purchase,purchase_days,spend_yuan\n';
    const where = filter.stage ? 'm.stage = ?' : filter.segment ? 'ml.segment = ?' : '1 = 1';
    const arg = filter.stage ?? filter.segment;
    for (let after = 0; ;) {
      const rows = (await this.dataSource.query(
        `SELECT m.id, m.card_no, m.nickname, m.phone, m.stage, ml.segment, ml.r, ml.f, ml.m, ml.low_frequency, ml.at_risk, ml.first_dn, ml.last_dn, ml.purchase_days, ml.spend
         FROM member m LEFT JOIN member_lifecycle ml ON ml.member_id = m.id
         WHERE m.id > ? AND m.status IN ('visitor', 'member') AND ${where} ORDER BY m.id LIMIT 2000`,
        arg ? [after, arg] : [after],
      )) as Record<string, unknown>[];
      if (rows.length === 0) return;
      after = Number(rows[rows.length - 1]!.id);
      yield (
        rows
          .map((r) =>
            [
              r.id,
              r.card_no,
              r.nickname,
              r.phone ? String(r.phone).replace(/^(\d{3})\d{4}(\d{4})$/, '$1****$2') : '',
              r.stage,
              r.segment,
              r.r,
              r.f,
              r.m,
              r.low_frequency == null ? '' : Number(r.low_frequency) ? 1 : 0,
              r.at_risk == null ? '' : Number(r.at_risk) ? 1 : 0,
              r.first_dn == null ? '' : dayOf(Number(r.first_dn)),
              r.last_dn == null ? '' : dayOf(Number(r.last_dn)),
              r.purchase_days ?? 0,
              (Number(r.spend ?? 0) / 100).toFixed(2),
            ]
              .map(csvCell)
              .join(','),
          )
          .join('\n') + '\n'
      );
    }
  }

  /** Members per stage on each recompute day since `days` ago. */
  async snapshots(
    days: number,
  ): Promise<{ day: string; stage: LifecycleStage; members: number }[]> {
    const from = dayOf(dayNumber(this.today()) - days);
    const rows = await this.dataSource
      .getRepository(LifecycleSnapshot)
      .createQueryBuilder('s')
      .where('s.day >= :from', { from })
      .orderBy('s.day', 'ASC')
      .getMany();
    return rows.map((r) => ({
      day: String(r.day).slice(0, 10),
      stage: r.stage,
      members: r.members,
    }));
  }

  /** Stage transitions in a month (YYYY-MM), by from and to. */
  async flows(
    month: string,
  ): Promise<{ from: LifecycleStage; to: LifecycleStage; members: number }[]> {
    const first = `${month}-01`;
    const next = dayOf(dayNumber(first) + 32).slice(0, 7) + '-01';
    const rows = (await this.dataSource.query(
      'SELECT from_stage, to_stage, COUNT(*) AS n FROM lifecycle_transition WHERE day >= ? AND day < ? GROUP BY from_stage, to_stage',
      [first, next],
    )) as { from_stage: LifecycleStage; to_stage: LifecycleStage; n: number }[];
    return rows.map((r) => ({ from: r.from_stage, to: r.to_stage, members: Number(r.n) }));
  }

  /** Members whose birthday is on this brand-local day (29 February birthdays count on 28 February in other years). */
  async birthdays(day: string): Promise<number[]> {
    const mmdd = day.slice(5);
    const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    const days = mmdd === '02-28' && !leap(Number(day.slice(0, 4))) ? ['02-28', '02-29'] : [mmdd];
    const rows = (await this.dataSource.query(
      `SELECT id FROM member WHERE status = 'member' AND SUBSTR(birthday, 6, 5) IN (${days.map(() => '?').join(', ')})`,
      days,
    )) as { id: number }[];
    return rows.map((r) => Number(r.id));
  }

  /** Members who joined `days` days before this brand-local day and have not bought anything. */
  async joinedWithoutPurchase(day: string, days: number): Promise<number[]> {
    const joinedDay = dayOf(dayNumber(day) - days);
    const tz = this.config.brandTimezone;
    const rows = (await this.dataSource.query(
      `SELECT m.id FROM member m LEFT JOIN member_lifecycle ml ON ml.member_id = m.id
       WHERE m.status = 'member' AND m.joined_at >= ? AND m.joined_at < ? AND COALESCE(ml.purchase_days, 0) = 0`,
      [
        sqlInstant(this.kind, startOfBrandDay(joinedDay, tz)),
        sqlInstant(this.kind, startOfBrandDay(dayOf(dayNumber(joinedDay) + 1), tz)),
      ],
    )) as { id: number }[];
    return rows.map((r) => Number(r.id));
  }

  async memberRow(memberId: number): Promise<MemberLifecycle | null> {
    return this.dataSource.getRepository(MemberLifecycle).findOneBy({ memberId });
  }

  async history(memberId: number, limit = 50): Promise<LifecycleTransition[]> {
    return this.dataSource
      .getRepository(LifecycleTransition)
      .find({ where: { memberId }, order: { id: 'DESC' }, take: limit });
  }

  /** Per-member (x, t_x, T) in days as of a day, counted per distinct triple: what the churn models are fitted on. */
  async fitData(asOfDay: string): Promise<{ x: number; tx: number; T: number; n: number }[]> {
    const D = dayNumber(asOfDay);
    let source = 'member_lifecycle';
    if (asOfDay !== this.today()) {
      const s = await this.settings();
      await this.uow.run(async (tx) => {
        await this.state(tx.em, 'share');
        await this.buildHistory(tx.em, asOfDay, D - s.rfmLookbackDays);
      });
      source = 'lifecycle_history_agg';
    }
    const rows = (await this.dataSource.query(
      `SELECT purchase_days - 1 AS x, last_dn - first_dn AS tx, ${D} - first_dn AS t, COUNT(*) AS n FROM ${source}
       WHERE purchase_days > 0 AND first_dn <= ${D} GROUP BY purchase_days, last_dn - first_dn, first_dn`,
    )) as { x: number; tx: number; t: number; n: number }[];
    return rows.map((r) => ({ x: Number(r.x), tx: Number(r.tx), T: Number(r.t), n: Number(r.n) }));
  }
}
