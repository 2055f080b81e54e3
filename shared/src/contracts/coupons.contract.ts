import { z } from 'zod';
import { LIFECYCLE_STAGES } from '../constants.js';
import { defineRoute, MEMBER, staff } from '../route.js';
import { idParam, dbId } from './common.js';

export const COUPON_KINDS = ['cash', 'percent', 'gift', 'shipping'] as const;
export const COUPON_CHANNELS = ['center', 'issued', 'reward', 'mall'] as const;
export const COUPON_STATUSES = ['available', 'used', 'expired', 'revoked'] as const;

const fen = z.number().int().min(0).max(100_000_000);

/** A store's code as the staff module keeps it (适用门店). */
const storeCodeRef = z.string().trim().min(1).max(32);

const validityInput = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('fixed'),
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
  }),
  z.strictObject({ kind: z.literal('days'), days: z.number().int().min(1).max(3650) }),
]);

export const couponTemplateInput = z
  .strictObject({
    name: z.string().trim().min(1).max(40),
    /**
     * cash: `value` fen off; percent: `value` percent off (1-99), at most `cap` fen; gift: `giftName`;
     * shipping: free shipping.
     */
    kind: z.enum(COUPON_KINDS),
    value: z.number().int().min(0).max(100_000_000).default(0),
    /** Minimum spend in fen (满减 threshold); 0 = none. */
    threshold: fen.default(0),
    cap: fen.nullable().default(null),
    giftName: z.string().trim().min(1).max(40).nullable().default(null),
    /** 使用说明, shown to the member on the coupon. */
    description: z.string().trim().max(200).default(''),
    validity: validityInput,
    /** null: unlimited. */
    totalQuantity: z.number().int().min(1).max(100_000_000).nullable().default(null),
    perMemberLimit: z.number().int().min(1).max(1000).default(1),
    audience: z
      .strictObject({
        tiers: z.array(z.string().trim().min(1).max(32)).max(20).default([]),
        stages: z.array(z.enum(LIFECYCLE_STAGES)).max(6).default([]),
      })
      .default({ tiers: [], stages: [] }),
    channels: z
      .array(z.enum(COUPON_CHANNELS))
      .min(1, '请至少选择一个发放渠道')
      .max(4)
      .default(['center']),
    /** 适用门店: where it may be verified (empty: every store). */
    stores: z.array(storeCodeRef).max(50).default([]),
    active: z.boolean().default(true),
  })
  .refine((t) => t.kind !== 'cash' || t.value > 0, {
    message: '满减券必须设置减免金额',
    path: ['value'],
  })
  .refine((t) => t.kind !== 'percent' || (t.value >= 1 && t.value <= 99), {
    message: '折扣券的折扣须在 1-99 之间',
    path: ['value'],
  })
  .refine((t) => t.kind !== 'gift' || t.giftName !== null, {
    message: '礼品券必须填写礼品名称',
    path: ['giftName'],
  })
  .refine(
    (t) => t.validity.kind !== 'fixed' || Date.parse(t.validity.from) < Date.parse(t.validity.to),
    { message: '有效期结束时间必须晚于开始时间', path: ['validity'] },
  );

export const couponTemplateView = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.enum(COUPON_KINDS),
  value: z.number().int(),
  threshold: z.number().int(),
  cap: z.number().int().nullable(),
  giftName: z.string().nullable(),
  description: z.string(),
  validity: z.union([
    z.object({ kind: z.literal('fixed'), from: z.string(), to: z.string() }),
    z.object({ kind: z.literal('days'), days: z.number().int() }),
  ]),
  totalQuantity: z.number().int().nullable(),
  issued: z.number().int(),
  perMemberLimit: z.number().int(),
  audience: z.object({ tiers: z.array(z.string()), stages: z.array(z.enum(LIFECYCLE_STAGES)) }),
  channels: z.array(z.enum(COUPON_CHANNELS)),
  stores: z.array(z.string()),
  active: z.boolean(),
});

/**
 * A change to a template. Once coupons were issued, what members already hold must not change under them: the kind,
 * value, threshold, cap and gift are fixed (422 naming the field), the total never drops below what was issued, and
 * a fixed validity may only be extended. Name, description, limits, audience, channels, stores and on/off always.
 */
export const couponTemplatePatch = z.strictObject({
  name: z.string().trim().min(1).max(40).optional(),
  description: z.string().trim().max(200).optional(),
  kind: z.enum(COUPON_KINDS).optional(),
  value: z.number().int().min(0).max(100_000_000).optional(),
  threshold: fen.optional(),
  cap: fen.nullable().optional(),
  giftName: z.string().trim().min(1).max(40).nullable().optional(),
  validity: validityInput.optional(),
  totalQuantity: z.number().int().min(1).max(100_000_000).nullable().optional(),
  perMemberLimit: z.number().int().min(1).max(1000).optional(),
  audience: z
    .strictObject({
      tiers: z.array(z.string().trim().min(1).max(32)).max(20),
      stages: z.array(z.enum(LIFECYCLE_STAGES)).max(6),
    })
    .optional(),
  channels: z.array(z.enum(COUPON_CHANNELS)).min(1, '请至少选择一个发放渠道').max(4).optional(),
  stores: z.array(storeCodeRef).max(50).optional(),
  active: z.boolean().optional(),
});

export const couponView = z.object({
  id: z.number().int(),
  /** What the clerk scans. Unguessable; shown only to its holder and staff. */
  code: z.string(),
  templateId: z.number().int(),
  name: z.string(),
  kind: z.enum(COUPON_KINDS),
  value: z.number().int(),
  threshold: z.number().int(),
  cap: z.number().int().nullable(),
  giftName: z.string().nullable(),
  description: z.string(),
  /** 适用门店 by name; empty: every store. */
  storeNames: z.array(z.string()),
  status: z.enum(COUPON_STATUSES),
  validFrom: z.string(),
  validTo: z.string(),
  claimedAt: z.string(),
  usedAt: z.string().nullable(),
  usedStoreCode: z.string().nullable(),
});

export const claimableView = couponTemplateView
  .pick({
    id: true,
    name: true,
    kind: true,
    value: true,
    threshold: true,
    cap: true,
    giftName: true,
    validity: true,
  })
  .extend({
    remaining: z.number().int().nullable(),
    claimedByMe: z.number().int(),
    perMemberLimit: z.number().int(),
    canClaim: z.boolean(),
  });

export const redeemCouponBody = z.strictObject({
  code: z.string().trim().min(8).max(32),
  /** A clerk's own store when left out; owners and operators pick one. */
  storeCode: z.string().trim().min(1).max(32).optional(),
  orderNo: z.string().trim().min(1).max(64).optional(),
});

export const riskRules = z.strictObject({
  /** Ask WeChat's risk rank (scene 1, marketing) before coupon claims and mall redemptions. */
  enabled: z.boolean(),
  /** Highest rank still served (0 normal … 4 highest risk). */
  maxRank: z.number().int().min(0).max(4),
});

export const riskRefusalView = z.object({
  id: z.number().int(),
  memberId: z.number().int(),
  action: z.string(),
  rank: z.number().int(),
  clientIp: z.string().nullable(),
  at: z.string(),
});

export const couponRoutes = {
  memberCoupons: defineRoute({
    method: 'GET',
    path: '/admin/members/:id/coupons',
    auth: staff('owner', 'operator', 'clerk'),
    tag: 'admin-coupons',
    summary:
      "A member's coupons by status; a clerk only with the member's scanned card code (the member is present)",
    params: idParam,
    query: z.strictObject({
      status: z.enum(['available', 'used', 'expired']).default('available'),
      /** The rotating card code the member showed: required of a clerk, who lists no one else's codes. */
      cardCode: z
        .string()
        .regex(/^\d{10,24}$/, '会员码格式不正确')
        .optional(),
    }),
    response: z.object({ items: z.array(couponView) }),
  }),
  wallet: defineRoute({
    method: 'GET',
    path: '/coupons',
    auth: MEMBER,
    tag: 'coupons',
    summary: 'My coupons by status',
    query: z.strictObject({
      status: z.enum(['available', 'used', 'expired']).default('available'),
    }),
    response: z.object({ items: z.array(couponView) }),
  }),
  center: defineRoute({
    method: 'GET',
    path: '/coupons/center',
    auth: MEMBER,
    tag: 'coupons',
    summary: 'Coupons I can claim',
    response: z.object({ items: z.array(claimableView) }),
  }),
  claim: defineRoute({
    method: 'POST',
    path: '/coupons/claim',
    auth: MEMBER,
    tag: 'coupons',
    status: 201,
    summary: 'Claim a coupon from the claim center',
    body: z.strictObject({ templateId: dbId }),
    response: couponView,
  }),
  detail: defineRoute({
    method: 'GET',
    path: '/coupons/:id',
    auth: MEMBER,
    tag: 'coupons',
    summary: 'One of my coupons, with the code the clerk scans',
    params: idParam,
    response: couponView,
  }),
  listTemplates: defineRoute({
    method: 'GET',
    path: '/admin/coupon-templates',
    auth: staff('owner', 'operator'),
    tag: 'admin-coupons',
    summary: 'Coupon templates, by status (上架 / 下架) and channel',
    query: z.strictObject({
      status: z.enum(['active', 'inactive']).optional(),
      channel: z.enum(COUPON_CHANNELS).optional(),
    }),
    response: z.object({ items: z.array(couponTemplateView) }),
  }),
  createTemplate: defineRoute({
    method: 'POST',
    path: '/admin/coupon-templates',
    auth: staff('owner', 'operator'),
    tag: 'admin-coupons',
    status: 201,
    summary: 'Create a coupon template (audited)',
    body: couponTemplateInput,
    response: couponTemplateView,
  }),
  updateTemplate: defineRoute({
    method: 'PATCH',
    path: '/admin/coupon-templates/:id',
    auth: staff('owner', 'operator'),
    tag: 'admin-coupons',
    summary:
      'Change a template; after issuing, the face (kind, value, threshold, cap, gift) is fixed (audited)',
    params: idParam,
    body: couponTemplatePatch,
    response: couponTemplateView,
  }),
  deleteTemplate: defineRoute({
    method: 'DELETE',
    path: '/admin/coupon-templates/:id',
    auth: staff('owner', 'operator'),
    tag: 'admin-coupons',
    summary:
      'Delete a template nothing depends on (no coupon issued, no mall item); else 409 IN_USE',
    params: idParam,
    response: z.object({ id: z.number().int() }),
  }),
  redeem: defineRoute({
    method: 'POST',
    path: '/admin/coupons/redeem',
    auth: staff('owner', 'operator', 'clerk'),
    tag: 'admin-coupons',
    summary: 'Verify a coupon in store (exactly once)',
    body: redeemCouponBody,
    response: couponView,
  }),
  getRiskRules: defineRoute({
    method: 'GET',
    path: '/admin/risk/rules',
    auth: staff('owner', 'operator'),
    tag: 'admin-coupons',
    summary: 'WeChat risk-rank check for coupons and the mall',
    response: riskRules,
  }),
  putRiskRules: defineRoute({
    method: 'PUT',
    path: '/admin/risk/rules',
    auth: staff('owner'),
    tag: 'admin-coupons',
    summary: 'Turn the risk-rank check on or off, set the threshold (audited)',
    body: riskRules,
    response: riskRules,
  }),
  riskRefusals: defineRoute({
    method: 'GET',
    path: '/admin/risk/refusals',
    auth: staff('owner', 'operator'),
    tag: 'admin-coupons',
    summary: 'The latest refusals for risk',
    response: z.object({ items: z.array(riskRefusalView) }),
  }),
  undo: defineRoute({
    method: 'POST',
    path: '/admin/coupons/undo',
    auth: staff('owner', 'operator', 'clerk'),
    tag: 'admin-coupons',
    summary: 'Undo a verification within 10 minutes',
    body: z.strictObject({ code: redeemCouponBody.shape.code }),
    response: couponView,
  }),
};
