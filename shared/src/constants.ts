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
