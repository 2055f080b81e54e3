import { z } from 'zod';
import { defineRoute, defineStreamRoute, staff } from '../route.js';
import { isoDate } from './common.js';

/** What the points given out cost and how many will never be used (docs/points-liability.md). */

const STAFF = staff('owner', 'operator');

const month = z.string().regex(/^\d{4}-\d{2}$/);

export const liabilityQuery = z.strictObject({
  /** The valuation day (brand-local, default today): the end of that day. */
  asOf: isoDate.optional(),
});

export const pointsLiability = z.object({
  asOf: isoDate,
  /** Yuan per point (the points rules' costPerPoint). */
  costPerPoint: z.number(),
  /** Points in members' balances at the valuation point (the ledger's sum). */
  outstanding: z.number().int(),
  /** Yuan: outstanding × cost per point. */
  value: z.number(),
  /** Points still in an order's protection period (not in balances; open lots now). */
  pending: z.number().int(),
  /** Points expired up to the valuation point. */
  expired: z.number().int(),
  /** Outstanding points the chain ladder expects never to be redeemed. */
  expectedBreakage: z.number().int(),
  netPoints: z.number().int(),
  /** Yuan: (outstanding − expected breakage) × cost per point. */
  netLiability: z.number(),
  /** Open lots now, by brand-local expiry month (null: never expires). */
  byExpiry: z.array(
    z.object({ month: month.nullable(), points: z.number().int(), value: z.number() }),
  ),
  /** Open lots now, by the member's current tier (null: none). */
  byTier: z.array(
    z.object({ tierCode: z.string().nullable(), points: z.number().int(), value: z.number() }),
  ),
  /** Outstanding points at each month end of the last 24 months (the last: the valuation point). */
  series: z.array(z.object({ month, outstanding: z.number().int(), value: z.number() })),
});
export type PointsLiability = z.infer<typeof pointsLiability>;

export const breakageCohort = z.object({
  /** The issue month (brand-local). */
  month,
  issued: z.number().int(),
  redeemed: z.number().int(),
  expired: z.number().int(),
  /** Taken back by refunds, clawbacks and negative adjustments. */
  reversed: z.number().int(),
  outstanding: z.number().int(),
  /** Months observed since the issue month. */
  age: z.number().int(),
  status: z.enum(['projected', 'too_young', 'too_small']),
  /** Cumulative share of the issue redeemed by age 0…age (the triangle's row). */
  redeemedShare: z.array(z.number()),
  expiredShare: z.array(z.number()),
  ultimateRate: z.number().nullable(),
  futureRedemption: z.number().int(),
  expectedBreakage: z.number().int(),
});

export const pointsBreakage = z.object({
  asOf: isoDate,
  minHistoryMonths: z.number().int(),
  minIssuedPoints: z.number().int(),
  factors: z.array(
    z.object({
      fromAge: z.number().int(),
      toAge: z.number().int(),
      factor: z.number().nullable(),
      cohorts: z.number().int(),
    }),
  ),
  cohorts: z.array(breakageCohort),
  totals: z.object({
    issued: z.number().int(),
    redeemed: z.number().int(),
    expired: z.number().int(),
    reversed: z.number().int(),
    outstanding: z.number().int(),
    futureRedemption: z.number().int(),
    expectedBreakage: z.number().int(),
  }),
});
export type PointsBreakage = z.infer<typeof pointsBreakage>;

export const pointsLiabilityRoutes = {
  liability: defineRoute({
    method: 'GET',
    path: '/admin/points/liability',
    auth: STAFF,
    tag: 'admin-points',
    summary:
      'Outstanding points and their value, by expiry month and tier, over time, net of expected breakage',
    query: liabilityQuery,
    response: pointsLiability,
  }),
  breakage: defineRoute({
    method: 'GET',
    path: '/admin/points/breakage',
    auth: STAFF,
    tag: 'admin-points',
    summary:
      'Breakage by issue cohort (chain ladder): triangle, age-to-age factors, ultimate redemption rates',
    query: liabilityQuery,
    response: pointsBreakage,
  }),
  export: defineStreamRoute({
    method: 'GET',
    path: '/admin/points/liability/export',
    auth: STAFF,
    tag: 'admin-points',
    summary: 'The expiry calendar and the cohort table as CSV (streamed)',
    query: liabilityQuery,
    stream: 'text/csv',
    response: z.string(),
  }),
} as const;
