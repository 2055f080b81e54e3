export const LIFECYCLE_STAGES = [
  'potential',
  'new',
  'active',
  'silent',
  'dormant',
  'lost',
] as const;
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
export const LEDGER_TYPES = [
  'earn',
  'spend',
  'expire',
  'refund',
  'adjust',
  'reward',
  'clawback',
  'import',
] as const;
export type LedgerType = (typeof LEDGER_TYPES)[number];

/**
 * What a badge rule measures. checkins: check-ins in all; streak: the longest streak; purchases: paid orders;
 * spend: yuan spent; redemptions: points-mall redemptions; coupons_used: coupons used; anniversary: whole years of
 * membership; tier_rank: the highest tier rank reached; member_days: member days taken part in.
 */
export const BADGE_METRICS = [
  'checkins',
  'streak',
  'purchases',
  'spend',
  'redemptions',
  'coupons_used',
  'anniversary',
  'tier_rank',
  'member_days',
] as const;
export type BadgeMetric = (typeof BADGE_METRICS)[number];

export const LEADERBOARDS = ['checkin-streak', 'points'] as const;
export type Leaderboard = (typeof LEADERBOARDS)[number];

/**
 * The member mini-program's pages a message may open (its landing page), as the console offers them. The app's
 * own page list is miniapp/src/app.config.ts; a test checks every path here is a page of the built app.
 */
export const MEMBER_APP_PAGES = [
  { path: 'pages/home/index', label: '会员卡首页' },
  { path: 'pages/mall/index', label: '积分商城' },
  { path: 'pages/checkin/index', label: '每日签到' },
  { path: 'pages/points/index', label: '积分明细（含即将到期）' },
  { path: 'pages/points/tiers/index', label: '会员等级与权益' },
  { path: 'pages/coupons/index', label: '我的券包' },
  { path: 'pages/coupons/center/index', label: '领券中心' },
  { path: 'pages/redeem/mine/index', label: '我的兑换' },
  { path: 'pages/badges/index', label: '我的勋章' },
  { path: 'pages/member/join/index', label: '开通会员卡' },
  { path: 'pages/mine/index', label: '我的' },
] as const;
