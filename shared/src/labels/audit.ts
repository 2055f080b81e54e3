import { LIFECYCLE_STAGE_LABELS } from '../constants.js';
import { RFM_SEGMENT_LABELS } from '../contracts/lifecycle.contract.js';
import {
  AUTOMATION_TRIGGER_LABELS,
  BADGE_METRIC_LABELS,
  COUPON_CHANNEL_LABELS,
  COUPON_KIND_LABELS,
  COUPON_STATUS_LABELS,
  LEDGER_SOURCE_LABELS,
  LEDGER_TYPE_LABELS,
  MALL_ITEM_KIND_LABELS,
  MEMBER_DAY_SCHEDULE_LABELS,
  MEMBER_SOURCE_LABELS,
  MEMBER_STATUS_LABELS,
  MESSAGE_CHANNEL_LABELS,
  MESSAGE_PURPOSE_LABELS,
  MESSAGE_STATUS_LABELS,
  POINTS_EXPIRY_LABELS,
  REDEMPTION_STATUS_LABELS,
  STAFF_ROLE_LABELS,
  TIER_DOWNGRADE_LABELS,
} from './domain.js';
import { FIELD_LABELS } from './fields.js';

/**
 * The audit log in words: an action code such as `mall_item.update` is read as the thing (`mall_item`, 商城商品)
 * and the verb (`update`, 修改), so an action a module adds later still reads in Chinese; a few actions whose
 * wording differs are named whole.
 */
export const AUDIT_ENTITY_LABELS: Record<string, string> = {
  staff: '员工账号',
  store: '门店',
  member: '会员',
  points: '积分',
  order: '订单',
  coupon_template: '优惠券',
  coupon: '优惠券',
  mall_item: '商城商品',
  mall_redemption: '兑换订单',
  mall_voucher: '兑换券',
  badge: '勋章',
  tier: '会员等级',
  member_day: '会员日',
  automation: '自动化营销',
  playbook: '营销方案',
  message_template: '消息模板',
  message: '消息',
  messaging: '消息设置',
  lifecycle: '生命周期',
  checkins: '签到',
  risk: '风控',
  job: '定时任务',
  integration_key: '对接密钥',
  import: '数据导入',
  setting: '设置',
  settings: '设置',
  brand: '品牌设置',
  agreement: '会员协议',
  upload: '图片',
};

export const AUDIT_VERB_LABELS: Record<string, string> = {
  create: '新建',
  update: '修改',
  delete: '删除',
  archive: '下架',
  unarchive: '上架',
  publish: '上架',
  unpublish: '下架',
  activate: '启用',
  deactivate: '停用',
  enable: '启用',
  disable: '停用',
  pause: '暂停',
  resume: '恢复',
  install: '安装',
  restock: '调整库存',
  reset_password: '重置密码',
  upload: '上传',
  ship: '发货',
  deliver: '确认签收',
  cancel: '取消',
  rotate: '轮换',
  revoke: '吊销',
  refund: '退款',
  redeem: '核销',
  verify: '核销',
  undo: '撤销核销',
  grant: '发放',
  run: '运行',
  send: '发送',
  broadcast: '群发',
  backfill: '补发',
  settings: '修改设置',
  recompute: '重新计算',
  adjust: '手动调整',
};

const AUDIT_ACTION_LABELS: Record<string, string> = {
  'staff.bootstrap_owner': '创建首个店长账号',
  'staff.update_with_password': '修改员工账号并重置密码',
  'staff.change_role': '修改员工角色',
  'staff.change_store': '调整员工所属门店',
  'staff.unlock': '解锁员工账号',
  'staff.change_own_password': '修改本人密码',
  'points.adjust': '手动调整积分',
  'points.rules.update': '修改积分规则',
  'checkins.rules.update': '修改签到规则',
  'checkins.makeup_cards.grant': '发放补签卡',
  'risk.rules.update': '修改风控规则',
  'lifecycle.settings': '修改生命周期设置',
  'lifecycle.recompute': '重新计算生命周期',
  'messaging.settings': '修改消息设置',
  'member.earning_block': '加入积分黑名单',
  'member.earning_unblock': '移出积分黑名单',
  'import.orders': '导入订单',
  'import.members': '导入会员',
  'order.create': '录入订单',
  'badge.backfill': '补发勋章',
  'job.run': '手动运行定时任务',
  'members.join_settings.update': '修改开卡设置',
};

/** An audit action in Chinese: 新建优惠券, 修改积分规则, 下架商城商品 … */
export function auditActionLabel(action: string): string {
  const whole = AUDIT_ACTION_LABELS[action];
  if (whole) return whole;
  const parts = action.split('.');
  const entity = AUDIT_ENTITY_LABELS[parts[0] ?? ''];
  const verb = AUDIT_VERB_LABELS[parts[parts.length - 1] ?? ''];
  if (entity && verb) return `${verb}${entity}`;
  return entity ? `${entity}变更` : '其他操作';
}

/** What an audit entry is about: 优惠券 #12. */
export function auditEntityLabel(entityType: string, entityId: string | null): string {
  const name = AUDIT_ENTITY_LABELS[entityType] ?? '其他对象';
  if (!entityId) return name;
  return /^\d+$/.test(entityId) ? `${name} #${entityId}` : name;
}

/** Value words by field: `role: clerk` is 店员, `stage: active` 活跃会员. */
const VALUE_LABELS_BY_FIELD: Record<string, Record<string, string>> = {
  role: STAFF_ROLE_LABELS,
  stage: LIFECYCLE_STAGE_LABELS,
  stages: LIFECYCLE_STAGE_LABELS,
  from: LIFECYCLE_STAGE_LABELS,
  to: LIFECYCLE_STAGE_LABELS,
  segment: RFM_SEGMENT_LABELS,
  segments: RFM_SEGMENT_LABELS,
  metric: BADGE_METRIC_LABELS,
  downgrade: TIER_DOWNGRADE_LABELS,
  purpose: MESSAGE_PURPOSE_LABELS,
  channel: { ...COUPON_CHANNEL_LABELS, ...MESSAGE_CHANNEL_LABELS },
  channels: { ...COUPON_CHANNEL_LABELS, ...MESSAGE_CHANNEL_LABELS },
  source: MEMBER_SOURCE_LABELS,
  sourceType: LEDGER_SOURCE_LABELS,
};

/** Every other code the API uses, for fields not named above (kind, status, type …). */
const VALUE_LABELS: Record<string, string> = {
  ...LIFECYCLE_STAGE_LABELS,
  ...STAFF_ROLE_LABELS,
  ...MEMBER_STATUS_LABELS,
  ...COUPON_KIND_LABELS,
  ...COUPON_STATUS_LABELS,
  ...MALL_ITEM_KIND_LABELS,
  ...REDEMPTION_STATUS_LABELS,
  ...MESSAGE_STATUS_LABELS,
  ...MESSAGE_CHANNEL_LABELS,
  ...MESSAGE_PURPOSE_LABELS,
  ...POINTS_EXPIRY_LABELS,
  ...TIER_DOWNGRADE_LABELS,
  ...MEMBER_DAY_SCHEDULE_LABELS,
  ...AUTOMATION_TRIGGER_LABELS,
  ...LEDGER_TYPE_LABELS,
  scheduled: '未开始',
  started: '进行中',
  ended: '已结束',
  queued: '排队中',
  running: '进行中',
  done: '已完成',
  orders: '订单',
  members: '会员',
  purchase: '消费',
  checkin: '签到',
  floor: '向下取整',
  '[redacted]': '（已隐藏）',
};

/** Amounts in fen, shown in yuan. */
const FEN_FIELDS = new Set(['amount', 'threshold', 'cap', 'cashPrice', 'refundedAmount']);
/** Bookkeeping that says nothing to a reader of the log. */
const SKIPPED_FIELDS = new Set(['id', 'createdAt', 'updatedAt', 'requestId', 'passwordHash']);

export interface AuditValueOptions {
  /** An instant as the brand reads it (the console passes the brand's time zone). */
  formatInstant?: (iso: string) => string;
  /** Names the console knows and the log does not carry, e.g. tier codes → tier names. */
  nameOf?: (field: string, value: string) => string | undefined;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** One value of the log as a reader understands it. */
export function auditValue(field: string, value: unknown, options: AuditValueOptions = {}): string {
  if (value === null || value === undefined || value === '') return '（空）';
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'number')
    return FEN_FIELDS.has(field) ? `¥${(value / 100).toFixed(2)}` : value.toLocaleString('zh-CN');
  if (typeof value === 'string') {
    const named = options.nameOf?.(field, value);
    if (named) return named;
    if (ISO_INSTANT.test(value)) return options.formatInstant?.(value) ?? value;
    return VALUE_LABELS_BY_FIELD[field]?.[value] ?? VALUE_LABELS[value] ?? value;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return '（无）';
    return value.map((v) => auditValue(field, v, options)).join('、');
  }
  if (typeof value === 'object') {
    return Object.entries(value)
      .filter(([k]) => !SKIPPED_FIELDS.has(k))
      .map(([k, v]) => `${fieldLabel(k)}：${auditValue(k, v, options)}`)
      .join('，');
  }
  return String(value);
}

/** A field of the log in Chinese; a field nobody named yet still reads as Chinese. */
export function fieldLabel(key: string): string {
  return FIELD_LABELS[key] ?? '其他设置';
}

export interface AuditChange {
  field: string;
  before: string | null;
  after: string | null;
}

/** Nested settings (`expiry.kind`) become their own lines: 积分有效期 · 方式. */
function flatten(
  value: unknown,
  prefix: string[] = [],
): Map<string, { key: string; value: unknown }> {
  const out = new Map<string, { key: string; value: unknown }>();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    if (prefix.length > 0) out.set(prefix.join('.'), { key: prefix[prefix.length - 1]!, value });
    return out;
  }
  for (const [k, v] of Object.entries(value)) {
    if (SKIPPED_FIELDS.has(k)) continue;
    const nested = v !== null && typeof v === 'object' && !Array.isArray(v) && prefix.length < 2;
    if (nested) for (const [p, e] of flatten(v, [...prefix, k])) out.set(p, e);
    else out.set([...prefix, k].join('.'), { key: k, value: v });
  }
  return out;
}

/**
 * The readable difference of one audit entry: each field that changed as 字段：旧值 → 新值 (a creation lists what
 * was set, a deletion what was removed). Never raw JSON.
 */
export function auditChanges(
  before: unknown,
  after: unknown,
  options: AuditValueOptions = {},
): AuditChange[] {
  const b = flatten(before);
  const a = flatten(after);
  const changes: AuditChange[] = [];
  for (const path of new Set([...b.keys(), ...a.keys()])) {
    const old = b.get(path);
    const now = a.get(path);
    if (old && now && JSON.stringify(old.value) === JSON.stringify(now.value)) continue;
    const key = (now ?? old)!.key;
    const field = path
      .split('.')
      .map((p) => fieldLabel(p))
      .join(' · ');
    changes.push({
      field,
      before: old ? auditValue(key, old.value, options) : null,
      after: now ? auditValue(key, now.value, options) : null,
    });
  }
  return changes;
}
