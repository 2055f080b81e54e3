export const LIFECYCLE_STAGES = ['potential', 'new', 'active', 'silent', 'dormant', 'lost'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export const LIFECYCLE_STAGE_LABELS: Record<LifecycleStage, string> = {
  potential: '潜在会员',
  new: '新会员',
  active: '活跃会员',
  silent: '沉默会员',
  dormant: '沉睡会员',
  lost: '流失会员',
};

export const STAFF_ROLES = ['owner', 'operator', 'clerk'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Kinds of entries in the engagement log. Later modules add theirs here so the log stays one vocabulary. */
export const ENGAGEMENT_TYPES = [
  'app_open',
  'join',
  'checkin',
  'purchase',
  'refund',
  'redemption',
  'coupon_claim',
  'coupon_use',
  'message_sent',
  'message_opened',
] as const;
export type EngagementType = (typeof ENGAGEMENT_TYPES)[number];

/** The dynamic card code rotates every this many seconds. */
export const CARD_CODE_PERIOD_SECONDS = 60;

export const DEFAULT_BRAND_TIMEZONE = 'Asia/Shanghai';

/**
 * Kinds of points ledger entries. earn: from an order; spend: mall, makeup check-ins; expire: lots that ran out;
 * refund: an order's points taken back when it is refunded; adjust: staff by hand (and tier resets); reward:
 * check-ins, badges, campaigns; clawback: points owed after a refund, taken from later earnings; import: opening
 * balances from an old system.
 */
export const LEDGER_TYPES = ['earn', 'spend', 'expire', 'refund', 'adjust', 'reward', 'clawback', 'import'] as const;
export type LedgerType = (typeof LEDGER_TYPES)[number];

/**
 * What a badge rule measures. checkins: check-ins in all; streak: the longest streak; purchases: paid orders;
 * spend: yuan spent; redemptions: points-mall redemptions; coupons_used: coupons used; anniversary: whole years of
 * membership; tier_rank: the highest tier rank reached; member_days: member days taken part in.
 */
export const BADGE_METRICS = ['checkins', 'streak', 'purchases', 'spend', 'redemptions', 'coupons_used', 'anniversary', 'tier_rank', 'member_days'] as const;
export type BadgeMetric = (typeof BADGE_METRICS)[number];

export const LEADERBOARDS = ['checkin-streak', 'points'] as const;
export type Leaderboard = (typeof LEADERBOARDS)[number];
