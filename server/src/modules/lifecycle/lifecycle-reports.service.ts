import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  csvCell,
  LIFECYCLE_STAGE_LABELS,
  LIFECYCLE_STAGES,
  RFM_SEGMENT_LABELS,
  RFM_SEGMENTS,
  startOfBrandDay,
  type LifecycleStage,
  type RfmSegment,
} from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { sqlInstant } from '../../infra/database/bulk.js';
import {
  LifecycleSnapshot,
  LifecycleState,
  LifecycleTransition,
  MemberLifecycle,
} from './lifecycle.entities.js';
import { MemberDirectory, type MemberContact } from '../members/member-directory.module.js';
import { LifecycleAggregates } from './lifecycle-aggregates.js';
import { dayNumber, dayOf, type Dialect } from './lifecycle-sql.js';
import { LifecycleService } from './lifecycle.service.js';
import { rfmSegment } from './rfm.js';

type ExportFilter = { stage?: LifecycleStage; segment?: RfmSegment };

/** Chinese headers and values (the shared label map), as staff read them in a spreadsheet. */
const EXPORT_HEADER =
  '\ufeff会员编号,卡号,昵称,手机号,生命周期阶段,RFM 分群,R 分,F 分,M 分,低频,流失预警,' +
  '首次消费日,最近消费日,消费天数,累计消费（元）\n';

/**
 * The lifecycle reads: the dashboard's summary, R×F grid, snapshots and flows, the CSV export, one member's figures,
 * the audience lists of the daily automations (birthdays, joined without a purchase), and the churn models' data.
 */
@Injectable()
export class LifecycleReports {
  private readonly kind: Dialect;

  constructor(
    private readonly dataSource: DataSource,
    private readonly lifecycle: LifecycleService,
    private readonly aggregates: LifecycleAggregates,
    private readonly directory: MemberDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.kind = config.database.kind;
  }

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
      `SELECT ml.segment, COUNT(*) AS n, SUM(CASE WHEN ml.low_frequency THEN 1 ELSE 0 END) AS low,
         SUM(CASE WHEN ml.at_risk THEN 1 ELSE 0 END) AS risk
       FROM member_lifecycle ml JOIN member m ON m.id = ml.member_id
       WHERE m.status = 'member' GROUP BY ml.segment`,
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
      `SELECT ml.r, ml.f, COUNT(*) AS n, AVG(ml.win_spend) AS spend
       FROM member_lifecycle ml JOIN member m ON m.id = ml.member_id
       WHERE ml.r IS NOT NULL AND m.status = 'member' GROUP BY ml.r, ml.f`,
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
  async *exportRows(filter: ExportFilter): AsyncGenerator<string> {
    yield EXPORT_HEADER;
    const where = exportWhere(filter);
    const arg = filter.stage ?? filter.segment;
    for (let after = 0; ;) {
      const rows = (await this.dataSource.query(
        `SELECT m.id, m.stage, ml.segment, ml.r, ml.f, ml.m, ml.low_frequency,
           ml.at_risk, ml.first_dn, ml.last_dn, ml.purchase_days, ml.spend
         FROM member m LEFT JOIN member_lifecycle ml ON ml.member_id = m.id
         WHERE m.id > ? AND m.status IN ('visitor', 'member') AND ${where} ORDER BY m.id LIMIT 2000`,
        arg ? [after, arg] : [after],
      )) as Record<string, unknown>[];
      if (rows.length === 0) return;
      after = Number(rows[rows.length - 1]!.id);
      // Contact details are the members module's: asked for per page.
      const contacts = await this.directory.contacts(rows.map((r) => Number(r.id)));
      yield rows.map((r) => exportLine(r, contacts.get(Number(r.id)))).join('\n') + '\n';
    }
  }

  /** Members per stage on each recompute day since `days` ago. */
  async snapshots(
    days: number,
  ): Promise<{ day: string; stage: LifecycleStage; members: number }[]> {
    const from = dayOf(dayNumber(this.lifecycle.today()) - days);
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
      `SELECT from_stage, to_stage, COUNT(*) AS n FROM lifecycle_transition
       WHERE day >= ? AND day < ? GROUP BY from_stage, to_stage`,
      [first, next],
    )) as { from_stage: LifecycleStage; to_stage: LifecycleStage; n: number }[];
    return rows.map((r) => ({ from: r.from_stage, to: r.to_stage, members: Number(r.n) }));
  }

  /**
   * The members of some stages and segments (any, when a list is empty) as a SELECT of `member_id`, for a set-based
   * send (INSERT … SELECT) by the messaging module.
   */
  audienceQuery(input: { stages: string[]; segments: string[] }): {
    sql: string;
    params: unknown[];
  } {
    const where = ["m.status = 'member'"];
    const params: unknown[] = [];
    if (input.stages.length) {
      where.push(`m.stage IN (${input.stages.map(() => '?').join(', ')})`);
      params.push(...input.stages);
    }
    if (input.segments.length) {
      where.push(`ml.segment IN (${input.segments.map(() => '?').join(', ')})`);
      params.push(...input.segments);
    }
    const lifecycleJoin = input.segments.length
      ? ' JOIN member_lifecycle ml ON ml.member_id = m.id'
      : '';
    return {
      sql: `SELECT m.id AS member_id FROM member m${lifecycleJoin} WHERE ${where.join(' AND ')}`,
      params,
    };
  }

  /** Members whose birthday is on this brand-local day (29 February birthdays count on 28 February in other years). */
  async birthdays(day: string): Promise<number[]> {
    const mmdd = day.slice(5);
    const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    const days = mmdd === '02-28' && !leap(Number(day.slice(0, 4))) ? ['02-28', '02-29'] : [mmdd];
    return this.directory.withBirthdayOn(days);
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
    if (asOfDay !== this.lifecycle.today()) {
      const s = await this.lifecycle.settings();
      await this.aggregates.buildHistoryAsOf(asOfDay, D - s.rfmLookbackDays);
      source = 'lifecycle_history_agg';
    }
    const rows = (await this.dataSource.query(
      `SELECT purchase_days - 1 AS x, last_dn - first_dn AS tx, ${D} - first_dn AS t, COUNT(*) AS n FROM ${source}
       WHERE purchase_days > 0 AND first_dn <= ${D} GROUP BY purchase_days, last_dn - first_dn, first_dn`,
    )) as { x: number; tx: number; t: number; n: number }[];
    return rows.map((r) => ({ x: Number(r.x), tx: Number(r.tx), T: Number(r.t), n: Number(r.n) }));
  }
}

/** The export's row filter: a stage, else a segment, else everyone. */
function exportWhere(filter: ExportFilter): string {
  if (filter.stage) return 'm.stage = ?';
  if (filter.segment) return 'ml.segment = ?';
  return '1 = 1';
}

/** A flag of the export as 是/否, empty for a member without a lifecycle row. */
function exportFlag(value: unknown): '' | '是' | '否' {
  if (value == null) return '';
  return Number(value) ? '是' : '否';
}

function exportLine(r: Record<string, unknown>, contact: MemberContact | undefined): string {
  return [
    r.id,
    contact?.cardNo,
    contact?.nickname,
    contact?.phone ? contact.phone.replace(/^(\d{3})\d{4}(\d{4})$/, '$1****$2') : '',
    LIFECYCLE_STAGE_LABELS[r.stage as LifecycleStage] ?? '',
    r.segment ? (RFM_SEGMENT_LABELS[r.segment as RfmSegment] ?? '') : '',
    r.r,
    r.f,
    r.m,
    exportFlag(r.low_frequency),
    exportFlag(r.at_risk),
    r.first_dn == null ? '' : dayOf(Number(r.first_dn)),
    r.last_dn == null ? '' : dayOf(Number(r.last_dn)),
    r.purchase_days ?? 0,
    (Number(r.spend ?? 0) / 100).toFixed(2),
  ]
    .map(csvCell)
    .join(',');
}
