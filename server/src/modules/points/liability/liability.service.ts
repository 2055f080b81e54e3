import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { addDays, brandDay, startOfBrandDay, zoneOffsetMinutes } from '@huoyue/shared';
import { APP_CONFIG } from '../../../config/config.module.js';
import type { AppConfig } from '../../../config/config.js';
import { sqlInstant } from '../../../infra/database/bulk.js';
import { analyticsSession, dialectOf } from '../../../infra/database/dialect.js';
import { DomainError } from '../../../infra/http/domain-error.js';
import { PointsService } from '../points.service.js';
import {
  chainLadder,
  MIN_COHORT_POINTS,
  MIN_HISTORY_MONTHS,
  monthLabel,
  type ChainLadderResult,
  type CohortFlow,
} from './chain-ladder.js';
import {
  attributionSql,
  cohortIssueSql,
  FLOW_KIND,
  monthlyNetSql,
  openLotsSql,
} from './liability-sql.js';

/**
 * Memory the attribution statement may keep its temporary tables in (MySQL/MariaDB session limits, used only as
 * needed): at 4.8 million ledger rows 1.5 GiB took 33 s where 256 MiB spilled to disk and took 60–85 s.
 */
const ANALYTICS_MIB = 1024;

/** Months the liability over time looks back. */
export const SERIES_MONTHS = 24;

type Row = Record<string, unknown>;
const num = (v: unknown) => Number(v ?? 0);
const yuan = (points: number, costPerPoint: number) =>
  Math.round(points * costPerPoint * 100) / 100;

interface Valuation {
  asOf: string;
  cut: Date;
  month: number;
  offset: number;
}

/**
 * What the points given out cost: the outstanding points (open lots, by expiry month and tier), their value at the
 * brand's cost per point, the liability at each month end, and breakage by issue cohort with the chain ladder
 * (chain-ladder.ts). Plain SELECTs; the FIFO attribution of outflows to cohorts is one set-based statement
 * (liability-sql.ts), kept while the ledger does not move (keyed by the last entry and lot ids).
 */
@Injectable()
export class PointsLiabilityService {
  private memo: { key: string; value: Promise<ChainLadderResult> } | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly points: PointsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The valuation point: the end of the brand-local day `asOf` (default today); a day to come is refused. */
  valuation(asOf?: string): Valuation {
    const tz = this.config.brandTimezone;
    const today = brandDay(new Date(), tz);
    const day = asOf ?? today;
    if (day > today) throw new DomainError('VALIDATION_FAILED', '估值日期不能晚于今天', { asOf });
    const cut = startOfBrandDay(addDays(day, 1), tz);
    const offset = zoneOffsetMinutes(tz, cut);
    const month = Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;
    return { asOf: day, cut, month, offset };
  }

  private query(sql: string, params: unknown[] = []): Promise<Row[]> {
    return this.dataSource.query(sql, params) as Promise<Row[]>;
  }

  /** One large statement on its own connection, with room for its sorts and temporary tables (dialect.ts). */
  private async analytical(sql: string, params: unknown[]): Promise<Row[]> {
    const session = analyticsSession(dialectOf(this.dataSource), ANALYTICS_MIB);
    const runner = this.dataSource.createQueryRunner();
    try {
      for (const s of session.set) await runner.query(s);
      return (await runner.query(sql, params)) as Row[];
    } finally {
      for (const s of session.reset) await runner.query(s).catch(() => undefined);
      await runner.release();
    }
  }

  private at(d: Date) {
    return sqlInstant(dialectOf(this.dataSource), d);
  }

  /**
   * The chain ladder as of the valuation point, kept while no entry or lot is added (every change of a lot's
   * remaining points writes an entry); callers at the same time share one computation.
   */
  async breakage(v: Valuation): Promise<ChainLadderResult> {
    const [ids] = await this.query(
      'SELECT (SELECT MAX(id) FROM points_entry) AS e, (SELECT MAX(id) FROM points_lot) AS l',
    );
    const key = `${v.cut.toISOString()}|${num(ids?.e)}|${num(ids?.l)}`;
    if (this.memo?.key !== key) {
      const value = this.computeBreakage(v);
      this.memo = { key, value };
      value.catch(() => {
        if (this.memo?.value === value) this.memo = null;
      });
    }
    return this.memo.value;
  }

  private async computeBreakage(v: Valuation): Promise<ChainLadderResult> {
    const kind = dialectOf(this.dataSource);
    const cut = this.at(v.cut);
    const [issues, flows] = await Promise.all([
      this.query(cohortIssueSql(kind, v.offset), [cut]),
      this.analytical(attributionSql(kind, v.offset), [cut, cut, cut]),
    ]);
    return chainLadder(
      issues.map((r) => ({ month: num(r.im), issued: num(r.points) })).filter((c) => c.issued > 0),
      flows.map((r): CohortFlow => ({
        issueMonth: num(r.im),
        age: Math.floor(num(r.fk) / 10) - num(r.im),
        kind: FLOW_KIND[(num(r.fk) % 10) as 1 | 2 | 3],
        points: num(r.points),
      })),
      v.month,
    );
  }

  /** The triangle, the factors and each cohort's ultimate rate, as the API shows them. */
  async breakageView(asOf?: string) {
    const v = this.valuation(asOf);
    const result = await this.breakage(v);
    const cohorts = result.cohorts.map((c) => ({ ...c, month: monthLabel(c.month) }));
    const sum = (f: (c: (typeof cohorts)[number]) => number) =>
      cohorts.reduce((s, c) => s + f(c), 0);
    return {
      asOf: v.asOf,
      minHistoryMonths: MIN_HISTORY_MONTHS,
      minIssuedPoints: MIN_COHORT_POINTS,
      factors: result.factors,
      cohorts,
      totals: {
        issued: sum((c) => c.issued),
        redeemed: sum((c) => c.redeemed),
        expired: sum((c) => c.expired),
        reversed: sum((c) => c.reversed),
        outstanding: sum((c) => c.outstanding),
        futureRedemption: sum((c) => c.futureRedemption),
        expectedBreakage: sum((c) => c.expectedBreakage),
      },
    };
  }

  /** The liability at each brand-local month end of the last SERIES_MONTHS months (the last one: the valuation). */
  private async series(v: Valuation, costPerPoint: number) {
    const rows = await this.query(monthlyNetSql(dialectOf(this.dataSource), v.offset), [
      this.at(v.cut),
    ]);
    const first = v.month - SERIES_MONTHS + 1;
    let running = 0;
    let expired = 0;
    const byMonth = new Map<number, { points: number; expired: number }>();
    for (const r of rows) {
      const m = num(r.month);
      if (m < first) {
        running += num(r.points);
        expired += num(r.expired);
      } else byMonth.set(m, { points: num(r.points), expired: num(r.expired) });
    }
    const out: { month: string; outstanding: number; value: number }[] = [];
    for (let m = first; m <= v.month; m++) {
      running += byMonth.get(m)?.points ?? 0;
      expired += byMonth.get(m)?.expired ?? 0;
      out.push({ month: monthLabel(m), outstanding: running, value: yuan(running, costPerPoint) });
    }
    return { series: out, expired };
  }

  /** Open lots now by expiry month and by tier, pending apart. */
  private async openLots(offset: number, costPerPoint: number) {
    const rows = await this.query(openLotsSql(dialectOf(this.dataSource), offset));
    const byExpiry = new Map<number | null, number>();
    const byTier = new Map<string | null, number>();
    let pending = 0;
    for (const r of rows) {
      const points = num(r.points);
      if (r.status === 'pending') {
        pending += points;
        continue;
      }
      const em = r.em === null || r.em === undefined ? null : num(r.em);
      byExpiry.set(em, (byExpiry.get(em) ?? 0) + points);
      const tier = (r.tier as string | null) ?? null;
      byTier.set(tier, (byTier.get(tier) ?? 0) + points);
    }
    const expiry = [...byExpiry]
      .sort(([a], [b]) => (a ?? Infinity) - (b ?? Infinity))
      .map(([m, points]) => ({
        month: m === null ? null : monthLabel(m),
        points,
        value: yuan(points, costPerPoint),
      }));
    const tiers = [...byTier]
      .sort(([, a], [, b]) => b - a)
      .map(([tierCode, points]) => ({ tierCode, points, value: yuan(points, costPerPoint) }));
    return { expiry, tiers, pending };
  }

  /** Outstanding points and their value, gross and net of expected breakage, with the calendar and the series. */
  async liability(asOf?: string) {
    const v = this.valuation(asOf);
    const { costPerPoint } = await this.points.rules();
    const [{ series, expired }, lots, ladder] = await Promise.all([
      this.series(v, costPerPoint),
      this.openLots(v.offset, costPerPoint),
      this.breakage(v),
    ]);
    const outstanding = series[series.length - 1]!.outstanding;
    const expectedBreakage = ladder.cohorts.reduce((s, c) => s + c.expectedBreakage, 0);
    return {
      asOf: v.asOf,
      costPerPoint,
      outstanding,
      value: yuan(outstanding, costPerPoint),
      pending: lots.pending,
      expired,
      expectedBreakage,
      netPoints: outstanding - expectedBreakage,
      netLiability: yuan(outstanding - expectedBreakage, costPerPoint),
      byExpiry: lots.expiry,
      byTier: lots.tiers,
      series,
    };
  }
}
