import { Inject, Injectable } from '@nestjs/common';
import { startOfBrandDay } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { type Tx, UnitOfWork } from '../../infra/events/unit-of-work.js';
import { placeholders } from '../../infra/database/bulk.js';
import { rowLock } from '../../infra/database/dialect.js';
import { LifecycleState } from './lifecycle.entities.js';
import {
  dayNumber,
  dayOf,
  greatest,
  interactionsSql,
  purchaseAggregatesSql,
  updateFrom,
  upsertSelect,
  type Dialect,
} from './lifecycle-sql.js';
import { LifecycleService } from './lifecycle.service.js';

const AGGREGATE_COLUMNS = [
  'member_id',
  'first_dn',
  'last_dn',
  'purchase_days',
  'spend',
  'win_days',
  'win_spend',
];
/** The SET list that empties a member's purchase aggregates. */
const CLEARED_AGGREGATES =
  'first_dn = NULL, last_dn = NULL, purchase_days = 0, spend = 0, win_days = 0, win_spend = 0, version = version + 1';
/**
 * The repository of the per-member purchase and interaction aggregates (member_lifecycle's aggregate columns, and
 * lifecycle_history_agg as of another day) and of the state row that says which RFM window and which interaction days
 * they cover: every write of them goes through here. They are computed from the orders and the engagement log
 * (lifecycle-sql.ts); the dialect-specific SQL (upserts, joined updates, locks) is infra/database/dialect.ts.
 */
@Injectable()
export class LifecycleAggregates {
  private readonly kind: Dialect;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly lifecycle: LifecycleService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.kind = config.database.kind;
  }

  /**
   * The state row, locked: `share` by member refreshes (many at once), `update` by the window advance and the
   * recompute's writes, so a refresh never computes against a window that moves under it. Created on first use,
   * together with the aggregates of every member who already has orders. (A shared lock: the one TiDB lacks — the
   * version-check variant let a recompute slice overwrite a purchase refreshed meanwhile, so where shared locks are
   * not used, refreshes take it exclusively: docs/distributed-sql.md.)
   */
  async state(tx: Tx, lock: 'share' | 'update'): Promise<LifecycleState> {
    const lockSql = rowLock(this.kind, lock);
    const [row] = (await tx.em.query(
      `SELECT window_from_dn, interactions_dn, last_recompute_day, last_recompute_at
       FROM lifecycle_state WHERE id = 1${lockSql}`,
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
    return this.bootstrap(tx);
  }

  /** First run on a database (new, or upgraded from before this module): aggregates for every member with orders. */
  private async bootstrap(tx: Tx): Promise<LifecycleState> {
    const s = await this.lifecycle.settings();
    const today = dayNumber(this.lifecycle.today());
    const state = Object.assign(new LifecycleState(), {
      id: 1,
      windowFromDn: today - s.rfmLookbackDays,
      interactionsDn: today - s.rfmLookbackDays,
      lastRecomputeDay: null,
      lastRecomputeAt: null,
    });
    await tx.em
      .createQueryBuilder()
      .insert()
      .into(LifecycleState)
      .values(state)
      .orIgnore()
      .execute();
    const [row] = (await tx.em.query(
      'SELECT window_from_dn FROM lifecycle_state WHERE id = 1',
    )) as {
      window_from_dn: number;
    }[];
    if (Number(row!.window_from_dn) === state.windowFromDn)
      await this.rebuild(tx, state.windowFromDn);
    return state;
  }

  /** Recomputes every member's aggregates from the order history (bootstrap, bulk loads, a longer RFM window). */
  async rebuild(tx: Tx, windowFromDn: number): Promise<void> {
    await tx.em.query(`UPDATE member_lifecycle SET ${CLEARED_AGGREGATES}`);
    await this.upsertFromOrders(tx, { windowFromDn });
    await tx.em.query('UPDATE lifecycle_state SET window_from_dn = ? WHERE id = 1', [windowFromDn]);
  }

  /** Empties some members' aggregates (a refund, an import or a merge may leave them without orders). */
  async clear(tx: Tx, memberIds: number[]): Promise<void> {
    await tx.em.query(
      `UPDATE member_lifecycle SET ${CLEARED_AGGREGATES}
       WHERE member_id IN (${memberIds.map(() => '?').join(', ')})`,
      memberIds,
    );
  }

  /**
   * Brings some members' purchase aggregates up to date from their orders (a consumer's batch of purchases, a refund,
   * an import, a merge). Recomputed, not incremented, so a redelivery changes nothing. A purchase also ends the
   * member's at-risk flag.
   */
  async refreshFromOrders(
    tx: Tx,
    memberIds: number[],
    purchase: boolean,
    windowFromDn: number,
  ): Promise<void> {
    // A purchase always leaves the member with orders, so the upsert below covers them; a refund, an import or a
    // merge may leave none, so their aggregates are cleared first.
    if (!purchase) await this.clear(tx, memberIds);
    else
      await tx.em.query(
        `UPDATE member_lifecycle SET at_risk = 0
         WHERE member_id IN (${placeholders(memberIds.length)}) AND at_risk = 1`,
        memberIds,
      );
    await this.upsertFromOrders(tx, { windowFromDn, memberIds });
  }

  /** Writes the aggregates of the members with orders (all of them, or `memberIds`) from the order history. */
  async upsertFromOrders(
    tx: Tx,
    options: { windowFromDn: number; memberIds?: number[] },
  ): Promise<void> {
    const agg = purchaseAggregatesSql(this.kind, this.lifecycle.offset(), options);
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
  }

  private aggregateUpdates(): Record<string, string> {
    return Object.fromEntries([
      ...AGGREGATE_COLUMNS.slice(1).map((c) => [c, `NEW(${c})`]),
      ['version', 'version + 1'],
    ]);
  }

  /** Moves the RFM window's start forward: the purchase days that left it are taken out of win_days / win_spend. */
  async advanceWindow(tx: Tx, fromDn: number, toDn: number): Promise<void> {
    const tz = this.config.brandTimezone;
    const leaving = purchaseAggregatesSql(this.kind, this.lifecycle.offset(), {
      windowFromDn: fromDn,
      since: startOfBrandDay(dayOf(fromDn + 1), tz),
      until: startOfBrandDay(dayOf(toDn + 1), tz),
    });
    await tx.em.query(
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
    await tx.em.query('UPDATE lifecycle_state SET window_from_dn = ? WHERE id = 1', [toDn]);
  }

  /** Folds the engagement log's interaction days from `fromDn` through `toDn` into last_interaction_dn. */
  async foldInteractions(tx: Tx, fromDn: number, toDn: number): Promise<void> {
    const fold = interactionsSql(this.kind, fromDn, toDn);
    const latest = greatest(
      this.kind,
      'COALESCE(last_interaction_dn, -1)',
      'NEW(last_interaction_dn)',
    );
    await tx.em.query(
      upsertSelect(this.kind, 'member_lifecycle', ['member_id', 'last_interaction_dn'], fold.sql, {
        last_interaction_dn: latest,
      }),
      fold.params,
    );
    await tx.em.query('UPDATE lifecycle_state SET interactions_dn = ? WHERE id = 1', [toDn]);
  }

  /**
   * Rebuilds lifecycle_history_agg as of a past (or future) day, in its own transaction under the shared state lock.
   */
  async buildHistoryAsOf(asOfDay: string, windowFrom: number): Promise<void> {
    await this.uow.run(async (tx) => {
      await this.state(tx, 'share');
      await this.buildHistory(tx, asOfDay, windowFrom);
    });
  }

  /** Aggregates as of a past (or future) day, from the order history and the engagement log up to that day. */
  private async buildHistory(tx: Tx, asOfDay: string, windowFrom: number): Promise<void> {
    const D = dayNumber(asOfDay);
    await tx.em.query('DELETE FROM lifecycle_history_agg');
    const agg = purchaseAggregatesSql(this.kind, this.lifecycle.offset(), {
      windowFromDn: windowFrom,
      until: startOfBrandDay(dayOf(D + 1), this.config.brandTimezone),
    });
    const columns = AGGREGATE_COLUMNS.filter((c) => c !== 'spend').join(', ');
    await tx.em.query(
      `INSERT INTO lifecycle_history_agg (${columns})
       SELECT member_id, first_dn, last_dn, purchase_days, win_days, win_spend FROM (${agg.sql}) a`,
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
    await tx.em.query(upsert, inter.params);
  }
}
