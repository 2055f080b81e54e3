import type { EarnBreakdown, PointsRules } from '@huoyue/shared';
import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { DomainError } from '../../infra/http/domain-error.js';

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
  adjustLimit: 10_000,
  costPerPoint: 0.01,
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

/**
 * The brand's limit per manual adjustment: an operator is refused beyond it; an owner may go beyond it only with a
 * second, explicit confirmation. Answers whether this adjustment is beyond the limit (the audit log says so).
 */
export function checkAdjustLimit(
  staff: StaffPrincipal,
  input: { points: number; confirmOverLimit?: boolean },
  limit: number,
): boolean {
  if (Math.abs(input.points) <= limit) return false;
  const shown = limit.toLocaleString('en-US');
  if (staff.role !== 'owner')
    throw new DomainError(
      'ADJUST_LIMIT_EXCEEDED',
      `单次调整不能超过 ${shown} 积分（品牌设置的积分单次调整上限），请联系店长处理`,
      { limit },
    );
  if (!input.confirmOverLimit)
    throw new DomainError(
      'ADJUST_CONFIRMATION_REQUIRED',
      `本次调整超过积分单次调整上限 ${shown} 积分，请再次确认后提交`,
      { limit },
    );
  return true;
}
