import type { BadgeMetric } from '@huoyue/shared';
import { type Dialect, sqlInstant } from '../../infra/database/bulk.js';
import type { MemberStat } from './badge.entity.js';

/** Changes to a member's facts from one event; numbers add, `max` fields keep the larger value. */
export interface StatChange {
  checkins?: number;
  purchases?: number;
  spend?: number;
  redemptions?: number;
  couponsUsed?: number;
  memberDays?: number;
  bestStreak?: { max: number };
  tierRank?: { max: number };
  joinedAt?: Date;
}

export const YEAR_MS = 365.25 * 86_400_000;

/** A member's value of a metric, in the unit thresholds use (spend in yuan, anniversary in whole years). */
export function metricValue(stat: MemberStat, metric: BadgeMetric, now: Date): number {
  switch (metric) {
    case 'checkins':
      return stat.checkins;
    case 'streak':
      return stat.bestStreak;
    case 'purchases':
      return stat.purchases;
    case 'spend':
      return Math.floor(stat.spend / 100);
    case 'redemptions':
      return stat.redemptions;
    case 'coupons_used':
      return stat.couponsUsed;
    case 'member_days':
      return stat.memberDays;
    case 'tier_rank':
      return stat.tierRank;
    case 'anniversary':
      return stat.joinedAt ? Math.floor((now.getTime() - stat.joinedAt.getTime()) / YEAR_MS) : 0;
  }
}

/** Which events move which metric: a change re-evaluates only the badges that read it. */
export const METRICS_OF: Record<keyof StatChange, BadgeMetric[]> = {
  checkins: ['checkins'],
  bestStreak: ['streak'],
  purchases: ['purchases'],
  spend: ['spend'],
  redemptions: ['redemptions'],
  couponsUsed: ['coupons_used'],
  memberDays: ['member_days'],
  tierRank: ['tier_rank'],
  joinedAt: ['anniversary'],
};

/** What one check-in changes in a member's facts (the consumer applies it, the check-in's answer previews it). */
export const checkinChange = (streak: number): StatChange => ({
  checkins: 1,
  bestStreak: { max: streak },
});

/** The metrics a change moves. */
export function metricsOf(change: StatChange): Set<BadgeMetric> {
  return new Set((Object.keys(change) as (keyof StatChange)[]).flatMap((k) => METRICS_OF[k]));
}

/** The facts after a change, in memory, as the SQL of statChangeAssignments leaves them. */
export function withChange(stat: MemberStat, change: StatChange): MemberStat {
  const next: MemberStat = { ...stat };
  next.checkins += change.checkins ?? 0;
  next.purchases += change.purchases ?? 0;
  next.spend += change.spend ?? 0;
  next.redemptions += change.redemptions ?? 0;
  next.couponsUsed += change.couponsUsed ?? 0;
  next.memberDays += change.memberDays ?? 0;
  if (change.bestStreak) next.bestStreak = Math.max(next.bestStreak, change.bestStreak.max);
  if (change.tierRank) next.tierRank = Math.max(next.tierRank, change.tierRank.max);
  if (change.joinedAt) next.joinedAt ??= change.joinedAt;
  return next;
}

/** The SET clauses (and their parameters) that apply a change to a member_stat row. */
export function statChangeAssignments(
  change: StatChange,
  kind: Dialect,
): { sets: string[]; params: unknown[] } {
  const sets: string[] = [];
  const params: unknown[] = [];
  for (const [key, column] of [
    ['checkins', 'checkins'],
    ['purchases', 'purchases'],
    ['spend', 'spend'],
    ['redemptions', 'redemptions'],
    ['couponsUsed', 'coupons_used'],
    ['memberDays', 'member_days'],
  ] as const) {
    if (change[key]) {
      sets.push(`${column} = ${column} + ?`);
      params.push(change[key]);
    }
  }
  if (change.bestStreak) {
    sets.push('best_streak = CASE WHEN best_streak < ? THEN ? ELSE best_streak END');
    params.push(change.bestStreak.max, change.bestStreak.max);
  }
  if (change.tierRank) {
    sets.push('tier_rank = CASE WHEN tier_rank < ? THEN ? ELSE tier_rank END');
    params.push(change.tierRank.max, change.tierRank.max);
  }
  if (change.joinedAt) {
    sets.push('joined_at = COALESCE(joined_at, ?)');
    params.push(sqlInstant(kind, change.joinedAt));
  }
  return { sets, params };
}
