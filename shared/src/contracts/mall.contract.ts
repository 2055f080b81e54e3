import { z } from 'zod';
import { defineRoute, MEMBER, staff } from '../route.js';
import { cursorQuery, idParam, page } from './common.js';

export const MALL_ITEM_KINDS = ['coupon', 'physical', 'virtual'] as const;
export const REDEMPTION_STATUSES = [
  'pending_payment',
  'pending_shipment',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
] as const;

export const mallItemInput = z
  .strictObject({
    name: z.string().trim().min(1).max(60),
    kind: z.enum(MALL_ITEM_KINDS),
    /** For coupon items: the template a redemption issues. */
    couponTemplateId: z.number().int().positive().nullable().default(null),
    pointsPrice: z.number().int().min(0).max(10_000_000),
    /** Points + cash: the cash part in fen (0 = points only). */
    cashPrice: z.number().int().min(0).max(100_000_000).default(0),
    stock: z.number().int().min(0).max(10_000_000),
    perMemberLimit: z.number().int().min(1).max(1000).default(1),
    availableFrom: z.iso.datetime({ offset: true }).nullable().default(null),
    availableTo: z.iso.datetime({ offset: true }).nullable().default(null),
    /** Tiers that may redeem (empty: everyone). */
    tiers: z.array(z.string().trim().min(1).max(32)).max(10).default([]),
    memberDayOnly: z.boolean().default(false),
    imageUrl: z.url().max(500).nullable().default(null),
    description: z.string().trim().max(1000).default(''),
    active: z.boolean().default(true),
  })
  .refine((i) => i.kind !== 'coupon' || i.couponTemplateId !== null, {
    message: '优惠券商品必须关联优惠券模板',
    path: ['couponTemplateId'],
  })
  .refine((i) => i.pointsPrice > 0 || i.cashPrice > 0, {
    message: '积分或现金价格至少设置一项',
    path: ['pointsPrice'],
  });

export const mallItemView = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.enum(MALL_ITEM_KINDS),
  couponTemplateId: z.number().int().nullable(),
  pointsPrice: z.number().int(),
  cashPrice: z.number().int(),
  stock: z.number().int(),
  perMemberLimit: z.number().int(),
  availableFrom: z.string().nullable(),
  availableTo: z.string().nullable(),
  tiers: z.array(z.string()),
  memberDayOnly: z.boolean(),
  imageUrl: z.string().nullable(),
  description: z.string(),
  active: z.boolean(),
});

export const shippingAddress = z.strictObject({
  name: z.string().trim().min(1).max(32),
  phone: z
    .string()
    .trim()
    .regex(/^1[3-9]\d{9}$/, '手机号格式不正确'),
  address: z.string().trim().min(5).max(200),
});

export const redeemBody = z.strictObject({
  quantity: z.number().int().min(1).max(10).default(1),
  /** Physical goods only. */
  address: shippingAddress.optional(),
  /** Makes a retried tap safe: the same request id redeems once. */
  requestId: z.string().trim().min(8).max(64),
});

export const redemptionView = z.object({
  redemptionId: z.number().int(),
  itemId: z.number().int(),
  itemName: z.string(),
  quantity: z.number().int(),
  pointsSpent: z.number().int(),
  cashDue: z.number().int(),
  status: z.enum(REDEMPTION_STATUSES),
  /** For points + cash: pay before this, or the redemption is cancelled and everything restored. */
  payBefore: z.string().nullable(),
  paymentParams: z.record(z.string(), z.string()).nullable(),
  trackingNo: z.string().nullable(),
  createdAt: z.string(),
});

export const mallRoutes = {
  items: defineRoute({
    method: 'GET',
    path: '/mall/items',
    auth: MEMBER,
    tag: 'mall',
    summary: 'Items on sale now',
    response: z.object({ items: z.array(mallItemView) }),
  }),
  item: defineRoute({
    method: 'GET',
    path: '/mall/items/:id',
    auth: MEMBER,
    tag: 'mall',
    summary: 'One item',
    params: idParam,
    response: mallItemView,
  }),
  redeem: defineRoute({
    method: 'POST',
    path: '/mall/items/:id/redeem',
    auth: MEMBER,
    tag: 'mall',
    status: 201,
    summary:
      'Redeem with points (or points + cash): points, stock and the redemption commit together',
    params: idParam,
    body: redeemBody,
    response: redemptionView,
  }),
  pay: defineRoute({
    method: 'POST',
    path: '/mall/redemptions/:id/pay',
    auth: MEMBER,
    tag: 'mall',
    summary:
      'After paying in WeChat: the server asks the payment provider and completes the redemption',
    params: idParam,
    response: redemptionView,
  }),
  mine: defineRoute({
    method: 'GET',
    path: '/mall/redemptions',
    auth: MEMBER,
    tag: 'mall',
    summary: 'My redemptions, newest first',
    query: z.strictObject(cursorQuery),
    response: page(redemptionView),
  }),
  listItems: defineRoute({
    method: 'GET',
    path: '/admin/mall/items',
    auth: staff('owner', 'operator'),
    tag: 'admin-mall',
    summary: 'All items',
    response: z.object({ items: z.array(mallItemView) }),
  }),
  createItem: defineRoute({
    method: 'POST',
    path: '/admin/mall/items',
    auth: staff('owner', 'operator'),
    tag: 'admin-mall',
    status: 201,
    summary: 'Create an item (audited)',
    body: mallItemInput,
    response: mallItemView,
  }),
  updateItem: defineRoute({
    method: 'PATCH',
    path: '/admin/mall/items/:id',
    auth: staff('owner', 'operator'),
    tag: 'admin-mall',
    summary: 'Change an item; stock moves by a delta so it never races redemptions (audited)',
    params: idParam,
    body: z.strictObject({
      name: z.string().trim().min(1).max(60).optional(),
      pointsPrice: z.number().int().min(0).max(10_000_000).optional(),
      cashPrice: z.number().int().min(0).max(100_000_000).optional(),
      stockDelta: z.number().int().min(-10_000_000).max(10_000_000).optional(),
      perMemberLimit: z.number().int().min(1).max(1000).optional(),
      availableFrom: z.iso.datetime({ offset: true }).nullable().optional(),
      availableTo: z.iso.datetime({ offset: true }).nullable().optional(),
      tiers: z.array(z.string().trim().min(1).max(32)).max(10).optional(),
      memberDayOnly: z.boolean().optional(),
      imageUrl: z.url().max(500).nullable().optional(),
      description: z.string().trim().max(1000).optional(),
      active: z.boolean().optional(),
    }),
    response: mallItemView,
  }),
  redemptions: defineRoute({
    method: 'GET',
    path: '/admin/mall/redemptions',
    auth: staff('owner', 'operator'),
    tag: 'admin-mall',
    summary: 'Redemptions by status, newest first (fulfilment)',
    query: z.strictObject({
      status: z.enum(REDEMPTION_STATUSES).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(50),
      cursor: z.string().max(20).optional(),
    }),
    response: z.object({
      items: z.array(
        redemptionView.extend({
          memberId: z.number().int(),
          address: z
            .object({ name: z.string(), phone: z.string(), address: z.string() })
            .nullable(),
        }),
      ),
      nextCursor: z.string().nullable(),
    }),
  }),
  ship: defineRoute({
    method: 'POST',
    path: '/admin/mall/redemptions/:id/ship',
    auth: staff('owner', 'operator'),
    tag: 'admin-mall',
    summary: 'Mark shipped with a tracking number',
    params: idParam,
    body: z.strictObject({ trackingNo: z.string().trim().min(4).max(64) }),
    response: redemptionView,
  }),
  deliver: defineRoute({
    method: 'POST',
    path: '/admin/mall/redemptions/:id/deliver',
    auth: staff('owner', 'operator'),
    tag: 'admin-mall',
    summary: 'Mark a shipped redemption delivered',
    params: idParam,
    response: redemptionView,
  }),
  cancel: defineRoute({
    method: 'POST',
    path: '/admin/mall/redemptions/:id/cancel',
    auth: staff('owner', 'operator'),
    tag: 'admin-mall',
    summary: 'Cancel (not shipped) or refund (returned): stock and points are restored',
    params: idParam,
    body: z.strictObject({ reason: z.string().trim().min(2).max(200) }),
    response: redemptionView,
  }),
};
