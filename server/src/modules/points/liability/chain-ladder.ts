/**
 * Breakage by issue cohort with the chain-ladder method (docs/points-liability.md has a worked example). Pure
 * functions: the service feeds them the points each cohort lost per month since issue (FIFO-attributed in SQL).
 *
 * - A cohort is the points issued (lots that became spendable) in one brand-local month. Its age k is the number
 *   of months since that month (k = 0: the issue month itself); its latest age is the valuation month − issue month
 *   (the valuation month counts as observed, part-month included).
 * - Triangle: cumulative redeemed points R(c, k) and expired points E(c, k), shown as shares of the cohort's issue.
 * - Age-to-age factors, volume-weighted: f(k) = Σ R(c, k+1) / Σ R(c, k) over the cohorts observed at age k+1.
 *   A factor with nothing redeemed at age k is unknown and counts as 1; beyond the oldest observed age the tail
 *   factor is 1 (no redemption is projected past the history we have).
 * - Ultimate redeemed U(c) = R(c, latest) × Π f(j) for j ≥ latest, capped at what the cohort can still redeem
 *   (R + outstanding: expired and reversed points cannot come back). Ultimate rate = U / issued.
 * - Future redemptions = U − R; expected breakage (of the outstanding points) = outstanding − future redemptions.
 *   Points already expired are breakage that happened (the `expired` column), never counted twice.
 * - A cohort younger than MIN_HISTORY_MONTHS or with less than MIN_COHORT_POINTS issued is not projected
 *   (`too_young`, `too_small`): its outstanding points are all assumed to be redeemed (no breakage recognised).
 */

export const MIN_HISTORY_MONTHS = 3;
export const MIN_COHORT_POINTS = 1_000;

export type FlowKind = 'redeemed' | 'expired' | 'reversed';

/** What one cohort lost in one month since issue. */
export interface CohortFlow {
  issueMonth: number;
  age: number;
  kind: FlowKind;
  points: number;
}

export interface CohortIssue {
  /** Month number: year × 12 + month − 1. */
  month: number;
  issued: number;
}

export type CohortStatus = 'projected' | 'too_young' | 'too_small';

export interface CohortResult {
  month: number;
  issued: number;
  redeemed: number;
  expired: number;
  reversed: number;
  outstanding: number;
  /** Months observed since the issue month (the valuation month − issue month). */
  age: number;
  status: CohortStatus;
  /** Cumulative share of the issue redeemed by age 0…age. */
  redeemedShare: number[];
  /** Cumulative share of the issue expired by age 0…age. */
  expiredShare: number[];
  /** Projected share of the issue ever redeemed; null when not projected. */
  ultimateRate: number | null;
  futureRedemption: number;
  expectedBreakage: number;
}

export interface AgeFactor {
  fromAge: number;
  toAge: number;
  /** Null when no cohort had redeemed anything at fromAge (counts as 1). */
  factor: number | null;
  cohorts: number;
}

export interface ChainLadderResult {
  factors: AgeFactor[];
  cohorts: CohortResult[];
}

export interface ChainLadderOptions {
  minHistoryMonths?: number;
  minIssued?: number;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** Cumulative sums of per-age flows, 0…maxAge. */
function cumulative(perAge: Map<number, number>, maxAge: number): number[] {
  const out: number[] = [];
  let sum = 0;
  for (let k = 0; k <= maxAge; k++) {
    sum += perAge.get(k) ?? 0;
    out.push(sum);
  }
  return out;
}

interface Developed {
  issue: CohortIssue;
  age: number;
  redeemed: number[];
  expired: number[];
  reversed: number;
}

/** Each cohort's cumulative redeemed and expired points by age, up to its latest age. */
export function develop(issues: CohortIssue[], flows: CohortFlow[], valuationMonth: number) {
  const byCohort = new Map<number, Record<FlowKind, Map<number, number>>>();
  for (const f of flows) {
    const c = byCohort.get(f.issueMonth) ?? {
      redeemed: new Map<number, number>(),
      expired: new Map<number, number>(),
      reversed: new Map<number, number>(),
    };
    c[f.kind].set(f.age, (c[f.kind].get(f.age) ?? 0) + f.points);
    byCohort.set(f.issueMonth, c);
  }
  return [...issues]
    .sort((a, b) => a.month - b.month)
    .map((issue): Developed => {
      const age = Math.max(0, valuationMonth - issue.month);
      const c = byCohort.get(issue.month);
      const reversed = c ? [...c.reversed.values()].reduce((s, v) => s + v, 0) : 0;
      return {
        issue,
        age,
        redeemed: cumulative(c?.redeemed ?? new Map(), age),
        expired: cumulative(c?.expired ?? new Map(), age),
        reversed,
      };
    });
}

/** Volume-weighted age-to-age factors f(k) = Σ R(k+1) / Σ R(k) over the cohorts observed at age k+1. */
export function ageToAgeFactors(
  cumulativeByCohort: { age: number; values: number[] }[],
): AgeFactor[] {
  const maxAge = cumulativeByCohort.reduce((m, c) => Math.max(m, c.age), 0);
  const factors: AgeFactor[] = [];
  for (let k = 0; k < maxAge; k++) {
    let num = 0;
    let den = 0;
    let cohorts = 0;
    for (const c of cumulativeByCohort) {
      if (c.age < k + 1) continue;
      num += c.values[k + 1]!;
      den += c.values[k]!;
      cohorts++;
    }
    factors.push({ fromAge: k, toAge: k + 1, factor: den > 0 ? round6(num / den) : null, cohorts });
  }
  return factors;
}

/** The product of the factors from `age` on (unknown factors and the tail count as 1). */
export function remainingDevelopment(factors: AgeFactor[], age: number): number {
  return factors.filter((f) => f.fromAge >= age).reduce((p, f) => p * (f.factor ?? 1), 1);
}

/** The chain ladder over the cohorts: triangle, factors, ultimate rates and expected breakage. */
export function chainLadder(
  issues: CohortIssue[],
  flows: CohortFlow[],
  valuationMonth: number,
  options: ChainLadderOptions = {},
): ChainLadderResult {
  const minHistory = options.minHistoryMonths ?? MIN_HISTORY_MONTHS;
  const minIssued = options.minIssued ?? MIN_COHORT_POINTS;
  const developed = develop(issues, flows, valuationMonth);
  const factors = ageToAgeFactors(developed.map((d) => ({ age: d.age, values: d.redeemed })));
  const cohorts = developed.map((d): CohortResult => {
    const { issued } = d.issue;
    const redeemed = d.redeemed[d.age]!;
    const expired = d.expired[d.age]!;
    const outstanding = issued - redeemed - expired - d.reversed;
    let status: CohortStatus = 'projected';
    if (issued < minIssued) status = 'too_small';
    else if (d.age < minHistory) status = 'too_young';
    const share = (v: number) => (issued > 0 ? round6(v / issued) : 0);
    const base = {
      month: d.issue.month,
      issued,
      redeemed,
      expired,
      reversed: d.reversed,
      outstanding,
      age: d.age,
      status,
      redeemedShare: d.redeemed.map(share),
      expiredShare: d.expired.map(share),
    };
    if (status !== 'projected')
      return { ...base, ultimateRate: null, futureRedemption: outstanding, expectedBreakage: 0 };
    const projected = redeemed * remainingDevelopment(factors, d.age);
    const ultimate = Math.min(projected, redeemed + Math.max(0, outstanding));
    const futureRedemption = Math.round(ultimate - redeemed);
    return {
      ...base,
      ultimateRate: share(ultimate),
      futureRedemption,
      expectedBreakage: outstanding - futureRedemption,
    };
  });
  return { factors, cohorts };
}

/** Month number (year × 12 + month − 1) as YYYY-MM, and back. */
export const monthLabel = (n: number): string =>
  `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
export const monthNumber = (yyyyMm: string): number =>
  Number(yyyyMm.slice(0, 4)) * 12 + Number(yyyyMm.slice(5, 7)) - 1;
