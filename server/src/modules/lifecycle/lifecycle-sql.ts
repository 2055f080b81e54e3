/**
 * SQL pieces of the set-based lifecycle engine. Brand-local dates are handled as day numbers (days since 1970-01-01),
 * so every age is integer subtraction and no query needs a time zone table; the dialect-specific pieces are in
 * infra/database/dialect.ts.
 */
import type { LifecycleSettings } from '@huoyue/shared';
import {
  type Dialect,
  dateDaySql,
  greatestSql,
  instantDaySql,
  sqlInstant,
  updateFrom,
  upsertSelect,
} from '../../infra/database/dialect.js';
import { rfmSegmentSql } from './rfm.js';

export type { Dialect };

const DAY_MS = 86_400_000;

export const dayNumber = (day: string): number =>
  Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / DAY_MS;
export const dayOf = (dn: number): string => new Date(dn * DAY_MS).toISOString().slice(0, 10);

// The dialect's pieces live in infra/database/dialect.ts; the lifecycle's SQL names them as before.
export { upsertSelect, updateFrom };
export const instantDn = instantDaySql;
export const dateDn = dateDaySql;
export const greatest = greatestSql;

/**
 * Per-member purchase aggregates from the orders table: a purchase day is a brand-local day with an order not fully
 * refunded; spend is net of refunds. An order of amount 0 (a 100 % coupon, a free coffee) is a visit and counts
 * (a refund needs an amount, so it cannot be refunded). `since` (inclusive) and `until` (exclusive) bound paid_at.
 */
export function purchaseAggregatesSql(
  kind: Dialect,
  offset: number,
  options: { windowFromDn: number; since?: Date; until?: Date; memberIds?: number[] },
): { sql: string; params: unknown[] } {
  const dn = instantDn(kind, 'paid_at', offset);
  const bought = '(amount = 0 OR amount > refunded_amount)';
  const where: string[] = [];
  const params: unknown[] = [];
  if (options.since) {
    where.push('paid_at >= ?');
    params.push(sqlInstant(kind, options.since));
  }
  if (options.until) {
    where.push('paid_at < ?');
    params.push(sqlInstant(kind, options.until));
  }
  if (options.memberIds) {
    where.push(`member_id IN (${options.memberIds.map(() => '?').join(', ')})`);
    params.push(...options.memberIds);
  }
  const from = Math.trunc(options.windowFromDn);
  return {
    sql: `SELECT member_id,
        MIN(CASE WHEN ${bought} THEN ${dn} END) AS first_dn,
        MAX(CASE WHEN ${bought} THEN ${dn} END) AS last_dn,
        COUNT(DISTINCT CASE WHEN ${bought} THEN ${dn} END) AS purchase_days,
        SUM(amount - refunded_amount) AS spend,
        COUNT(DISTINCT CASE WHEN ${bought} AND ${dn} > ${from} THEN ${dn} END) AS win_days,
        SUM(CASE WHEN ${dn} > ${from} THEN amount - refunded_amount ELSE 0 END) AS win_spend
      FROM orders ${where.length ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY member_id`,
    params,
  };
}

/** Engagement types that count as an interaction (purchases are counted on their own). */
export const INTERACTION_TYPES = [
  'app_open',
  'checkin',
  'redemption',
  'coupon_claim',
  'coupon_use',
  'message_opened',
] as const;

/** Latest interaction day per member between two day numbers (inclusive), from the engagement log's day index. */
export function interactionsSql(
  kind: Dialect,
  fromDn: number,
  toDn: number,
): { sql: string; params: unknown[] } {
  return {
    sql: `SELECT member_id, MAX(${dateDn(kind, 'day')}) AS last_interaction_dn FROM engagement_event
      WHERE day >= ? AND day <= ?
        AND type IN (${INTERACTION_TYPES.map((t) => `'${t}'`).join(', ')})
      GROUP BY member_id`,
    params: [dayOf(fromDn), dayOf(toDn)],
  };
}

export interface StageColumns {
  /** Expression: the member's joined day number (NULL: not joined). */
  joinedDn: string;
  status: string;
  purchaseDays: string;
  lastDn: string;
  lastInteractionDn: string;
}

/**
 * The stage as of day number `asOf` (docs/lifecycle.md): potential until joined; `new` while joined ≤ newDays ago
 * without a purchase; then by days since the last activity (a purchase, or also an interaction when the brand says
 * so): active, silent, dormant, lost. A member who never bought is never `active` on purchases alone: after the
 * new-member days they age by days since joining, straight into silent, dormant and lost.
 */
export function stageCaseSql(
  kind: Dialect,
  s: LifecycleSettings,
  asOf: number,
  c: StageColumns,
): string {
  const activity = s.interactionsCount
    ? `CASE WHEN ${c.lastDn} IS NULL THEN ${c.lastInteractionDn}
        WHEN ${c.lastInteractionDn} IS NULL THEN ${c.lastDn}
        ELSE ${greatest(kind, c.lastDn, c.lastInteractionDn)} END`
    : c.lastDn;
  const ladder = (age: string, withActive: boolean) =>
    `CASE ${withActive ? `WHEN ${age} <= ${s.activeDays} THEN 'active' ` : ''}` +
    `WHEN ${age} <= ${s.silentDays} THEN 'silent' WHEN ${age} <= ${s.dormantDays} THEN 'dormant' ELSE 'lost' END`;
  return `CASE
    WHEN ${c.status} <> 'member' OR ${c.joinedDn} IS NULL OR ${c.joinedDn} > ${asOf} THEN 'potential'
    WHEN COALESCE(${c.purchaseDays}, 0) = 0 AND ${asOf} - ${c.joinedDn} <= ${s.newDays} THEN 'new'
    WHEN (${activity}) IS NULL THEN ${ladder(`${asOf} - ${c.joinedDn}`, false)}
    ELSE ${ladder(`${asOf} - (${activity})`, true)} END`;
}

/** The stage of members `m` as of day number `asOf`, with their aggregates under the alias `agg`. */
export function memberStageSql(
  kind: Dialect,
  offset: number,
  s: LifecycleSettings,
  asOf: number,
  agg: string,
): string {
  return stageCaseSql(kind, s, asOf, {
    joinedDn: instantDn(kind, 'm.joined_at', offset),
    status: 'm.status',
    purchaseDays: `${agg}.purchase_days`,
    lastDn: `${agg}.last_dn`,
    lastInteractionDn: `${agg}.last_interaction_dn`,
  });
}

export { rfmSegmentSql };
