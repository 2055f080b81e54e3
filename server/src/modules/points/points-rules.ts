import type { EarnBreakdown, PointsRules } from '@huoyue/shared';

/** The points rules setting, and how an order's points follow from it. */

export const POINTS_RULES_KEY = 'points.rules';
export const DEFAULT_POINTS_RULES: PointsRules = {
  pointsPerYuan: 1,
  growthPerYuan: 1,
  perOrderCap: null,
  pendingDays: 0,
  expiry: { kind: 'end_of_next_year' },
  noticeDays: 14,
  downgrade: 'one_level',
};

export interface OrderEarnInput {
  memberId: number;
  orderNo: string;
  amount: number;
  paidAt: Date;
  tierMultiplier: number;
}

export interface OrderEarnResult {
  points: number;
  growth: number;
  status: 'none' | 'pending' | 'credited';
  availableAt: Date | null;
  breakdown: EarnBreakdown;
}

/** A campaign that multiplies what an order earns (member days plug in here). */
export type EarnBonusProvider = (input: {
  memberId: number;
  paidAt: Date;
  amount: number;
}) => Promise<{ name: string; multiplier: number } | null>;

/** How an order's points are computed: floor(yuan × rate) × tier multiplier × bonuses, floored, then capped. */
export function computeOrderPoints(
  amount: number,
  rules: Pick<PointsRules, 'pointsPerYuan' | 'perOrderCap'>,
  tierMultiplier: number,
  bonuses: { name: string; multiplier: number }[],
): EarnBreakdown {
  // Whole yuan only: 19.99 yuan at 1 point per yuan is 19 points. Multipliers apply to the floored base, and the
  // product is floored once more, so a member never sees a fraction and is never credited a rounding up.
  const base = Math.floor((Math.floor(amount / 100) * Math.round(rules.pointsPerYuan * 100)) / 100);
  const multiplier = bonuses.reduce((m, b) => m * b.multiplier, tierMultiplier);
  const beforeCap = Math.floor(base * multiplier + 1e-9);
  const total = rules.perOrderCap === null ? beforeCap : Math.min(beforeCap, rules.perOrderCap);
  return {
    amount,
    pointsPerYuan: rules.pointsPerYuan,
    base,
    tierMultiplier,
    bonuses,
    beforeCap,
    cap: rules.perOrderCap,
    total,
    rounding: 'floor',
  };
}
