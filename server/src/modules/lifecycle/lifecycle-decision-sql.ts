/**
 * The recompute's decision: one INSERT … SELECT into lifecycle_scratch deciding everything per member, built from
 * named fragments (the per-member facts, the flags, the filter that keeps only changed decisions).
 */
import type { LifecycleSettings } from '@huoyue/shared';
import { greatest, memberStageSql, rfmSegmentSql, type Dialect } from './lifecycle-sql.js';
import { nullSafeEquals } from '../../infra/database/dialect.js';

/** Per RFM dimension: the smallest value, and the values from which scores 2, 3, 4 and 5 begin. */
export type RfmCuts = Record<'r' | 'f' | 'm', { min: number; from: number[] }>;

/** The MBG/NBD parameters the at-risk decision uses. */
export interface MbgParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface DecisionInput {
  s: LifecycleSettings;
  /** The day number decided as of. */
  D: number;
  /** The aggregates table: member_lifecycle (as of today) or lifecycle_history_agg. */
  source: string;
  /** As of today, from member_lifecycle (which then also holds the current decision). */
  fast: boolean;
  mbg: MbgParams | null;
  cuts: RfmCuts | null;
}

/**
 * One INSERT … SELECT deciding everything per member, keeping only the members whose decision changed: stage;
 * R, F, M from the cut points; the segment; low frequency (the lowest F score present: with ties it is often 2 or
 * 3, not 1); at risk (the day P(alive) under MBG/NBD falls below the threshold has come, for an active or silent
 * member).
 */
export function scratchSql(kind: Dialect, offset: number, input: DecisionInput): string {
  const same = (a: string, b: string) => nullSafeEquals(kind, a, b);
  const changed = [
    same('y.r', 'y.r_old'),
    same('y.f', 'y.f_old'),
    same('y.mm', 'y.m_old'),
    same('y.segment', 'y.segment_old'),
  ].join(' AND ');
  return `INSERT INTO lifecycle_scratch
      (member_id, stage_old, stage_new, r, f, m, segment, low_frequency, at_risk, at_risk_old, version)
    SELECT y.id, y.stage_old, y.stage_new, y.r, y.f, y.mm, y.segment, y.low_frequency, y.at_risk, y.at_risk_old,
      y.version FROM (
        SELECT x.*, ${flagsSql(kind, input)}
        FROM (${memberFactsSql(kind, offset, input)}) x
      ) y
      WHERE y.stage_new <> y.stage_old OR y.low_frequency <> y.low_old OR y.at_risk <> y.at_risk_old
        OR NOT (${changed})`;
}

/** Per member: the stage as of D, the R, F and M scores, the aggregates, and the decision currently recorded. */
function memberFactsSql(kind: Dialect, offset: number, input: DecisionInput): string {
  const { s, D, source, fast, cuts } = input;
  const current = fast ? 's' : 'ml';
  const currentJoin = fast ? '' : ' LEFT JOIN member_lifecycle ml ON ml.member_id = m.id';
  return `SELECT m.id, m.stage AS stage_old, ${memberStageSql(kind, offset, s, D, 's')} AS stage_new,
      ${scoreSql('last_dn', cuts?.r)} AS r, ${scoreSql('win_days', cuts?.f)} AS f,
      ${scoreSql('win_spend', cuts?.m)} AS mm,
      s.purchase_days, s.win_days, s.first_dn, s.last_dn, s.last_interaction_dn,
      ${current}.r AS r_old, ${current}.f AS f_old, ${current}.m AS m_old, ${current}.segment AS segment_old,
      COALESCE(${current}.low_frequency, 0) AS low_old, COALESCE(${current}.at_risk, 0) AS at_risk_old,
      COALESCE(${current}.version, -1) AS version
    FROM member m LEFT JOIN ${source} s ON s.member_id = m.id${currentJoin}
    WHERE m.status IN ('visitor', 'member')`;
}

/** A dimension's score from its cut points (NULL for everyone when nobody bought in the window). */
function scoreSql(column: string, c: RfmCuts[keyof RfmCuts] | undefined): string {
  if (!c) return 'NULL';
  const steps = [5, 4, 3, 2]
    .map((sc) => `WHEN s.${column} >= ${c.from[sc - 2]} THEN ${sc}`)
    .join(' ');
  return `CASE WHEN s.win_days > 0 THEN CASE ${steps} ELSE 1 END END`;
}

/** The segment, low-frequency and at-risk columns over the per-member facts `x`. */
function flagsSql(kind: Dialect, input: DecisionInput): string {
  const { s, D, cuts } = input;
  // The lowest F score present is the score of the smallest value.
  const lowestF = cuts ? 1 + cuts.f.from.filter((t) => t <= cuts.f.min).length : 0;
  return `CASE WHEN x.r IS NOT NULL THEN ${rfmSegmentSql('x.r', 'x.f')} WHEN x.purchase_days > 0 THEN 'lost' END
        AS segment,
      CASE WHEN x.purchase_days > 0 AND x.last_interaction_dn >= ${D - s.lowFrequencyDays}
        AND (COALESCE(x.win_days, 0) = 0 OR x.f = ${lowestF}) THEN 1 ELSE 0 END AS low_frequency,
      CASE WHEN x.stage_new IN ('active', 'silent') AND x.purchase_days > 0 AND ${atRiskWhenSql(kind, input)}
        THEN 1 ELSE 0 END AS at_risk`;
}

/** Whether the member `x` has reached the at-risk day (never, without a fitted MBG/NBD model). */
function atRiskWhenSql(kind: Dialect, input: DecisionInput): string {
  const { s, D, mbg } = input;
  if (!mbg) return '1 = 0';
  // T* (MBG/NBD, docs/lifecycle.md): the age at which P(alive) reaches the threshold with no further purchase;
  // the member is at risk from day first_dn + T* on (never before the last purchase).
  const k = 1 / s.atRiskThreshold - 1;
  const tx = '(x.last_dn - x.first_dn)';
  const tStar =
    `(${mbg.alpha} + ${tx}) * POWER(${k} * (${mbg.b} + x.purchase_days - 1) / ${mbg.a}, ` +
    `1.0 / (${mbg.r} + x.purchase_days - 1)) - ${mbg.alpha}`;
  return `x.first_dn + ${greatest(kind, tx, tStar)} <= ${D}`;
}
