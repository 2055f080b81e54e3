import type { LedgerType, StaffRole } from '../constants.js';
import type {
  COUPON_CHANNELS,
  COUPON_KINDS,
  COUPON_STATUSES,
} from '../contracts/coupons.contract.js';
import type { MALL_ITEM_KINDS, REDEMPTION_STATUSES } from '../contracts/mall.contract.js';
import type {
  MESSAGE_CHANNELS,
  MESSAGE_PURPOSES,
  MESSAGE_STATUSES,
} from '../contracts/messaging.contract.js';

/**
 * The one vocabulary in Chinese for the codes the API speaks: the console, the CSV exports and the member app read
 * these maps, so a status is called the same everywhere and no code reaches a user in English.
 */

export const STAFF_ROLE_LABELS: Record<StaffRole, string> = {
  owner: '店长',
  operator: '运营',
  clerk: '店员',
};

/** What each role may do, shown beside the role picker. */
export const STAFF_ROLE_HINTS: Record<StaffRole, string> = {
  owner: '全部权限：员工与门店、规则设置、操作日志',
  operator: '会员运营：会员、活动、商城、消息与报表',
  clerk: '只使用店员工作台，必须绑定一个门店',
};

export type MemberStatus = 'visitor' | 'member' | 'closed' | 'merged';
export const MEMBER_STATUS_LABELS: Record<MemberStatus, string> = {
  visitor: '访客（未开卡）',
  member: '正式会员',
  closed: '已注销',
  merged: '已合并',
};

export const MEMBER_SOURCE_LABELS: Record<'wechat' | 'offline', string> = {
  wechat: '微信小程序',
  offline: '门店或导入',
};

/** Kinds of points ledger entries, in the member's words (the console uses the same). */
export const LEDGER_TYPE_LABELS: Record<LedgerType, string> = {
  earn: '消费得积分',
  spend: '积分兑换',
  expire: '积分过期',
  refund: '退款退回',
  adjust: '积分调整',
  reward: '活动奖励',
  clawback: '退款扣回',
  import: '门店积分导入',
};

/** Where a ledger entry came from (`sourceType`). */
export const LEDGER_SOURCE_LABELS: Record<string, string> = {
  order: '消费得积分',
  refund: '退款',
  checkin: '签到奖励',
  makeup: '补签',
  badge: '勋章奖励',
  automation: '会员关怀礼',
  mall: '积分商城兑换',
  staff: '客服调整',
  tier: '等级礼遇',
  expiry: '到期清零',
  import: '历史导入',
  member_day: '会员日奖励',
  welcome: '开卡礼',
};

/** One line of a points history in the member's words: the source for earnings, rewards and spending. */
export function ledgerEntryLabel(e: {
  type: LedgerType;
  sourceType: string;
  reason: string | null;
}) {
  if (e.type === 'expire') return LEDGER_TYPE_LABELS.expire;
  if (e.sourceType === 'mall' && e.type === 'refund') return '兑换取消，积分退回';
  const bySource = e.type === 'reward' || e.type === 'earn' || e.type === 'spend';
  const base = bySource
    ? (LEDGER_SOURCE_LABELS[e.sourceType] ?? LEDGER_TYPE_LABELS[e.type])
    : LEDGER_TYPE_LABELS[e.type];
  return e.type === 'adjust' && e.reason ? `${base}（${e.reason}）` : base;
}

/** Kinds of the engagement log (a member's recent activity). */
export const ENGAGEMENT_TYPE_LABELS: Record<string, string> = {
  app_open: '打开小程序',
  join: '开卡',
  checkin: '签到',
  purchase: '消费',
  refund: '退款',
  redemption: '积分兑换',
  coupon_claim: '领券',
  coupon_use: '用券',
  message_sent: '收到消息',
  message_opened: '打开消息',
};

export const POINTS_EXPIRY_LABELS: Record<'end_of_next_year' | 'days' | 'never', string> = {
  end_of_next_year: '次年年底清零',
  days: '获得后按天数过期',
  never: '永不过期',
};

export const TIER_DOWNGRADE_LABELS: Record<'one_level' | 'by_period_growth', string> = {
  one_level: '降一级',
  by_period_growth: '按本期成长值重新定级',
};

export const COUPON_KIND_LABELS: Record<(typeof COUPON_KINDS)[number], string> = {
  cash: '满减券',
  percent: '折扣券',
  gift: '礼品券',
  shipping: '包邮券',
};

export const COUPON_CHANNEL_LABELS: Record<(typeof COUPON_CHANNELS)[number], string> = {
  center: '领券中心',
  issued: '定向发放',
  reward: '活动奖励',
  mall: '积分商城',
};

export const COUPON_STATUS_LABELS: Record<(typeof COUPON_STATUSES)[number], string> = {
  available: '可使用',
  used: '已使用',
  expired: '已过期',
  revoked: '已作废',
};

export const MALL_ITEM_KIND_LABELS: Record<(typeof MALL_ITEM_KINDS)[number], string> = {
  coupon: '优惠券',
  physical: '实物',
  virtual: '虚拟权益',
};

export const REDEMPTION_STATUS_LABELS: Record<(typeof REDEMPTION_STATUSES)[number], string> = {
  pending_payment: '待支付',
  pending_shipment: '待发货',
  shipped: '已发货',
  delivered: '已签收',
  completed: '已完成',
  cancelled: '已取消',
};

/** Where a cancelled points + cash redemption's cash refund stands at WeChat Pay. */
export const CASH_REFUND_STATUS_LABELS: Record<
  'processing' | 'success' | 'abnormal' | 'closed',
  string
> = {
  processing: '退款处理中',
  success: '现金已退回',
  abnormal: '退款异常，请在商户平台处理',
  closed: '退款已关闭',
};

export const MESSAGE_CHANNEL_LABELS: Record<(typeof MESSAGE_CHANNELS)[number], string> = {
  subscribe: '小程序订阅消息',
  oa_template: '公众号模板消息',
  sms: '短信',
};

export const MESSAGE_PURPOSE_LABELS: Record<(typeof MESSAGE_PURPOSES)[number], string> = {
  transactional: '服务通知',
  reactivation: '会员关怀',
  marketing: '营销推广',
};

export const MESSAGE_STATUS_LABELS: Record<(typeof MESSAGE_STATUSES)[number], string> = {
  queued: '排队中',
  sending: '发送中',
  sent: '已发送',
  failed: '发送失败',
  suppressed: '未发送',
};

export const BADGE_METRIC_LABELS: Record<string, string> = {
  checkins: '累计签到天数',
  streak: '最长连续签到',
  purchases: '消费次数',
  spend: '累计消费（元）',
  redemptions: '积分兑换次数',
  coupons_used: '用券次数',
  anniversary: '入会周年',
  tier_rank: '等级',
  member_days: '参加会员日次数',
};

export const AUTOMATION_TRIGGER_LABELS: Record<string, string> = {
  stage_changed: '进入某阶段',
  at_risk: '流失预警',
  points_expiring: '积分即将到期',
  coupon_expiring: '优惠券即将到期',
  birthday: '生日',
  joined_no_purchase: '开卡后未首购',
  streak_broken: '连续签到中断',
  member_day_started: '会员日开始',
};

export const MEMBER_DAY_SCHEDULE_LABELS: Record<'monthly' | 'weekly' | 'dates', string> = {
  monthly: '每月',
  weekly: '每周',
  dates: '指定日期',
};

export const BOOLEAN_LABELS = { true: '是', false: '否' } as const;
