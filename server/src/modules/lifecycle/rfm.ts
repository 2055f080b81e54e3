/**
 * RFM scoring and segments (../shared/reference/lifecycle.md). Scores are 1-5 per dimension, 5 best, from the
 * cumulative distribution: score = ceil(5 × CUME_DIST) in the "better" order, so equal values always get equal
 * scores (plain NTILE(5) would spread the many one-time buyers over F = 1..3). The set-based SQL recompute uses the
 * same formula with the CUME_DIST() window function; this module is its reference and serves small sets.
 */
import { RFM_SEGMENTS, type RfmSegment } from '@huoyue/shared';

export { RFM_SEGMENTS, type RfmSegment };

/** Rows R = 5..1, columns F = 1..5: every cell belongs to exactly one segment (the widely used RF map). */
const MAP: RfmSegment[][] = [
  ['new_customers', 'potential_loyalist', 'potential_loyalist', 'champions', 'champions'],
  ['promising', 'potential_loyalist', 'potential_loyalist', 'loyal', 'loyal'],
  ['about_to_sleep', 'about_to_sleep', 'need_attention', 'loyal', 'loyal'],
  ['hibernating', 'hibernating', 'at_risk', 'at_risk', 'cant_lose_them'],
  ['hibernating', 'hibernating', 'at_risk', 'at_risk', 'cant_lose_them'],
];

/** The same map as one SQL CASE over score columns `r` and `f` (the set-based recompute). */
export function rfmSegmentSql(r: string, f: string): string {
  const arms: string[] = [];
  for (let ri = 5; ri >= 1; ri--)
    for (let fi = 1; fi <= 5; fi++)
      arms.push(`WHEN ${r} = ${ri} AND ${f} = ${fi} THEN '${MAP[5 - ri]![fi - 1]}'`);
  return `CASE ${arms.join(' ')} END`;
}

export function rfmSegment(r: number, f: number): RfmSegment {
  if (![1, 2, 3, 4, 5].includes(r) || ![1, 2, 3, 4, 5].includes(f))
    throw new RangeError(`RFM scores are 1-5, got R=${r} F=${f}`);
  return MAP[5 - r]![f - 1]!;
}

/**
 * Scores 1-5 by cumulative distribution. `higherIsBetter`: frequency and spend; recency passes false (fewer days
 * since the last purchase is better).
 */
export function cumeDistScores(values: readonly number[], higherIsBetter: boolean): number[] {
  const n = values.length;
  if (n === 0) return [];
  const sorted = [...values].sort((a, b) => (higherIsBetter ? a - b : b - a));
  // For each distinct value, how many values are at or before it in the "better" order.
  const atOrBefore = new Map<number, number>();
  for (let i = 0; i < n; i++) atOrBefore.set(sorted[i]!, i + 1);
  return values.map((v) => Math.max(1, Math.ceil((5 * atOrBefore.get(v)!) / n - 1e-9)));
}
