import { z } from 'zod';
import { LEDGER_TYPES } from '../constants.js';
import { defineRoute, MEMBER, staff } from '../route.js';
import { cursorQuery, idParam, isoDate, page, dbId } from './common.js';

/** Why an order earned what it earned: every factor, in the order they were applied. */
export const earnBreakdown = z.object({
  amount: z.number().int(),
  pointsPerYuan: z.number(),
  base: z.number().int(),
  tierMultiplier: z.number(),
  bonuses: z.array(z.object({ name: z.string(), multiplier: z.number() })),
  beforeCap: z.number().int(),
  cap: z.number().int().nullable(),
  total: z.number().int(),
  rounding: z.literal('floor'),
  /** Set when the member is on the blacklist: the order earned nothing. */
  blocked: z.boolean().optional(),
});
export type EarnBreakdown = z.infer<typeof earnBreakdown>;

export const ledgerEntryView = z.object({
  id: z.number().int(),
  type: z.enum(LEDGER_TYPES),
  points: z.number().int(),
  growth: z.number().int(),
  balanceAfter: z.number().int(),
  sourceType: z.string(),
  sourceRef: z.string().nullable(),
  reason: z.string().nullable(),
  expiresAt: z.string().nullable(),
  breakdown: z.unknown().nullable(),
  at: z.string(),
});

export const pointsSummary = z.object({
  balance: z.number().int(),
  growth: z.number().int(),
  /** Earned but still in the order's protection period. */
  pending: z.number().int(),
  /** Points owed back after a refund of points already spent; later earnings pay it first. */
  owed: z.number().int(),
  expiringSoon: z.object({
    points: z.number().int(),
    firstDate: isoDate.nullable(),
    withinDays: z.number().int(),
  }),
  lots: z.array(z.object({ points: z.number().int(), expiresOn: isoDate.nullable() })),
});

export const tierBenefits = z.strictObject({
  pointsMultiplier: z.number().min(1).max(10).default(1),
  birthdayCoupon: z.string().trim().max(64).nullable().default(null),
  freeShipping: z.boolean().default(false),
  exclusiveItems: z.boolean().default(false),
  perks: z.array(z.string().trim().min(1).max(40)).max(10).default([]),
});

export const tierView = z.object({
  code: z.string(),
  name: z.string(),
  rank: z.number().int(),
  growthThreshold: z.number().int(),
  retentionGrowth: z.number().int(),
  validityMonths: z.number().int(),
  benefits: tierBenefits,
});

export const myTiers = z.object({
  ladder: z.array(tierView),
  current: z.object({
    code: z.string().nullable(),
    since: z.string().nullable(),
    expiresAt: z.string().nullable(),
    growth: z.number().int(),
    growthThisPeriod: z.number().int(),
    /** Growth still needed to reach the next tier (null at the top). */
    toNext: z
      .object({ code: z.string(), name: z.string(), growthNeeded: z.number().int() })
      .nullable(),
    /** Growth still needed this period to keep the current tier (0 when safe, null when the tier never expires). */
    toKeep: z.number().int().nullable(),
  }),
});

export const updateTierBody = z.strictObject({
  name: z.string().trim().min(1).max(32).optional(),
  growthThreshold: z.number().int().min(0).max(100_000_000).optional(),
  retentionGrowth: z.number().int().min(0).max(100_000_000).optional(),
  validityMonths: z.number().int().min(0).max(120).optional(),
  benefits: tierBenefits.partial().optional(),
});

export const pointsRules = z.strictObject({
  /** Points per yuan paid (1 = one point per 100 fen). */
  pointsPerYuan: z.number().min(0).max(100),
  /** Growth per yuan paid. */
  growthPerYuan: z.number().min(0).max(100),
  /** Most points one order can earn (null = no cap). */
  perOrderCap: z.number().int().min(1).max(100_000_000).nullable(),
  /** Days an order's points stay pending (the return window); 0 = spendable at once. */
  pendingDays: z.number().int().min(0).max(90),
  expiry: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('end_of_next_year') }),
    z.strictObject({ kind: z.literal('days'), days: z.number().int().min(1).max(3650) }),
    z.strictObject({ kind: z.literal('never') }),
  ]),
  /** How many days before points or a tier lapse the member is told. */
  noticeDays: z.number().int().min(1).max(60),
  /**
   * At the end of a tier period without the retention growth: drop one level, or to the tier the period's
   * growth earns.
   */
  downgrade: z.enum(['one_level', 'by_period_growth']),
  /**
   * The most points one manual adjustment may add or take. Operators are refused beyond it; owners may go beyond
   * after confirming a second time.
   */
  adjustLimit: z
    .number()
    .int('积分单次调整上限必须是整数')
    .min(1, '积分单次调整上限至少为 1')
    .max(10_000_000, '积分单次调整上限不能超过 10,000,000')
    .default(10_000),
  /**
   * What one point costs the brand, in yuan (¥0.01 = 100 points make one yuan): the value of the points liability
   * and of a simulated rule's points. Finance sets it from what redemptions really cost.
   */
  costPerPoint: z
    .number()
    .min(0, '每积分成本不能为负')
    .max(100, '每积分成本不能超过 100 元')
    .default(0.01),
});
export type PointsRules = z.infer<typeof pointsRules>;

export const orderItem = z.strictObject({
  sku: z.string().trim().min(1).max(64),
  name: z.string().trim().min(1).max(128),
  qty: z.number().int().min(1).max(100_000),
  amount: z.number().int().min(0).max(1_000_000_000),
});

const fen = z.number().int('金额以分为单位，必须是整数').min(0).max(1_000_000_000);

export const memberRef = z.union([
  z.strictObject({ id: dbId }),
  z.strictObject({
    cardNo: z
      .string()
      .trim()
      .regex(/^\d{8,20}$/),
  }),
  z.strictObject({
    phone: z
      .string()
      .trim()
      .regex(/^1[3-9]\d{9}$/, '手机号格式不正确'),
  }),
  z.strictObject({ openid: z.string().trim().min(1).max(64) }),
]);

export const createOrderBody = z.strictObject({
  orderNo: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_.:-]+$/, '订单号只能包含字母、数字和 _ . : -'),
  member: memberRef,
  amount: fen,
  paidAt: z.iso.datetime({ offset: true }),
  storeCode: z.string().trim().min(1).max(32).optional(),
  couponCodes: z.array(z.string().trim().min(1).max(64)).max(20).optional(),
  items: z.array(orderItem).max(500).optional(),
});

export const orderView = z.object({
  orderNo: z.string(),
  memberId: z.number().int(),
  amount: z.number().int(),
  refundedAmount: z.number().int(),
  paidAt: z.string(),
  storeCode: z.string().nullable(),
  points: z.number().int(),
  growth: z.number().int(),
  pointsStatus: z.enum(['none', 'pending', 'credited', 'cancelled']),
  pointsAvailableAt: z.string().nullable(),
  breakdown: earnBreakdown.nullable(),
});

export const refundBody = z.strictObject({
  refundNo: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_.:-]+$/),
  amount: fen.min(1),
});

export const refundView = z.object({
  refundNo: z.string(),
  orderNo: z.string(),
  amount: z.number().int(),
  pointsReversed: z.number().int(),
  growthReversed: z.number().int(),
  /** Points that were already spent and are now owed (taken from later earnings). */
  pointsOwed: z.number().int(),
});

export const adjustBody = z.strictObject({
  points: z
    .number({ error: '请填写积分调整数量' })
    .int('积分调整数量必须是整数')
    .min(-10_000_000, '积分调整数量不能少于 -10,000,000')
    .max(10_000_000, '积分调整数量不能超过 10,000,000')
    .refine((v) => v !== 0, '积分调整数量不能为 0'),
  reason: z
    .string({ error: '请填写调整原因' })
    .trim()
    .min(2, '调整原因至少 2 个字')
    .max(200, '调整原因最多 200 个字'),
  /** Makes a retried request safe: the same key adjusts once. */
  requestId: z.string().trim().min(8).max(64),
  /** An owner's second confirmation of an adjustment beyond the brand's limit per adjustment. */
  confirmOverLimit: z.boolean().optional(),
});

export const importKind = z.enum(['orders', 'members']);
export const importView = z.object({
  id: z.number().int(),
  kind: importKind,
  status: z.enum(['queued', 'running', 'done', 'failed']),
  creditPoints: z.boolean(),
  rowsRead: z.number().int(),
  rowsImported: z.number().int(),
  rowsSkipped: z.number().int(),
  rowsRejected: z.number().int(),
  rejections: z.array(z.object({ row: z.number().int(), reason: z.string(), line: z.string() })),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

const orderNoParam = z.strictObject({ orderNo: createOrderBody.shape.orderNo });

export const pointsRoutes = {
  summary: defineRoute({
    method: 'GET',
    path: '/points/summary',
    auth: MEMBER,
    tag: 'points',
    summary: 'My balance, pending points, points expiring soon',
    response: pointsSummary,
  }),
  ledger: defineRoute({
    method: 'GET',
    path: '/points/ledger',
    auth: MEMBER,
    tag: 'points',
    summary: 'My points history, newest first',
    query: z.strictObject(cursorQuery),
    response: page(ledgerEntryView),
  }),
  tiers: defineRoute({
    method: 'GET',
    path: '/tiers',
    auth: MEMBER,
    tag: 'points',
    summary: 'The tier ladder, my growth, what the next tier and keeping mine take',
    response: myTiers,
  }),
  createOrder: defineRoute({
    method: 'POST',
    path: '/admin/orders',
    auth: staff('owner', 'operator'),
    integration: true,
    tag: 'admin-orders',
    status: 201,
    summary:
      'Record a paid order (idempotent on orderNo); operator token or signed integration call',
    body: createOrderBody,
    response: orderView,
  }),
  getOrder: defineRoute({
    method: 'GET',
    path: '/admin/orders/:orderNo',
    auth: staff('owner', 'operator'),
    tag: 'admin-orders',
    summary: 'An order and what it earned',
    params: orderNoParam,
    response: orderView,
  }),
  refund: defineRoute({
    method: 'POST',
    path: '/admin/orders/:orderNo/refunds',
    auth: staff('owner', 'operator'),
    integration: true,
    tag: 'admin-orders',
    status: 201,
    summary: 'Refund part or all of an order (idempotent on refundNo)',
    params: orderNoParam,
    body: refundBody,
    response: refundView,
  }),
  adjust: defineRoute({
    method: 'POST',
    path: '/admin/members/:id/points/adjustments',
    auth: staff('owner', 'operator'),
    tag: 'admin-points',
    status: 201,
    summary: 'Add or take points by hand, with a reason (audited)',
    params: idParam,
    body: adjustBody,
    response: ledgerEntryView,
  }),
  memberLedger: defineRoute({
    method: 'GET',
    path: '/admin/members/:id/points/ledger',
    auth: staff('owner', 'operator'),
    tag: 'admin-points',
    summary: "A member's points ledger",
    params: idParam,
    query: z.strictObject(cursorQuery),
    response: page(ledgerEntryView),
  }),
  getRules: defineRoute({
    method: 'GET',
    path: '/admin/points/rules',
    auth: staff('owner', 'operator'),
    tag: 'admin-points',
    summary: 'Earn, pending, expiry and tier rules',
    response: pointsRules,
  }),
  putRules: defineRoute({
    method: 'PUT',
    path: '/admin/points/rules',
    auth: staff('owner'),
    tag: 'admin-points',
    summary: 'Change earn, pending, expiry and tier rules (audited)',
    body: pointsRules,
    response: pointsRules,
  }),
  listTiers: defineRoute({
    method: 'GET',
    path: '/admin/tiers',
    auth: staff('owner', 'operator'),
    tag: 'admin-points',
    summary: 'The tier ladder',
    response: z.object({ items: z.array(tierView) }),
  }),
  updateTier: defineRoute({
    method: 'PATCH',
    path: '/admin/tiers/:code',
    auth: staff('owner'),
    tag: 'admin-points',
    summary: 'Change a tier (audited)',
    params: z.strictObject({ code: z.string().trim().min(1).max(32) }),
    body: updateTierBody,
    response: tierView,
  }),
  importOrders: defineRoute({
    method: 'POST',
    path: '/admin/imports/orders',
    auth: staff('owner', 'operator'),
    tag: 'admin-imports',
    status: 202,
    rawBody: true,
    summary:
      'Upload order history as CSV (member_ref,order_no,paid_at,amount[,store_code]); processed in the background',
    query: z.strictObject({
      creditPoints: z
        .enum(['true', 'false'])
        .default('false')
        .transform((v) => v === 'true'),
    }),
    response: importView,
  }),
  importMembers: defineRoute({
    method: 'POST',
    path: '/admin/imports/members',
    auth: staff('owner', 'operator'),
    tag: 'admin-imports',
    status: 202,
    rawBody: true,
    summary: 'Upload members with opening balances and tiers as CSV; processed in the background',
    response: importView,
  }),
  getImport: defineRoute({
    method: 'GET',
    path: '/admin/imports/:id',
    auth: staff('owner', 'operator'),
    tag: 'admin-imports',
    summary: 'Progress and rejected rows of an import',
    params: idParam,
    response: importView,
  }),
};
