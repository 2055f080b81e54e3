import { z } from 'zod';
import { defineRoute, MEMBER, PUBLIC, staff } from '../route.js';
import { cursorQuery, idParam, page, dbId, idCursor } from './common.js';

export const MALL_ITEM_KINDS = ['coupon', 'physical', 'virtual'] as const;
export const REDEMPTION_STATUSES = [
  'pending_payment',
  'pending_shipment',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
] as const;

/** An image uploaded through POST /admin/uploads/images (its answer's `path`), or a picture elsewhere on the web. */
export const UPLOADED_IMAGE_PATH = /^\/uploads\/[a-f0-9]{32}\.(jpg|png|webp)$/;
export const itemImage = z.union([
  z.string().regex(UPLOADED_IMAGE_PATH, '图片地址不正确，请重新上传'),
  z.url('图片地址不正确，请重新上传').max(500),
]);

const storeCodeRef = z.string().trim().min(1).max(32);

export const mallItemInput = z
  .strictObject({
    name: z.string().trim().min(1).max(60),
    kind: z.enum(MALL_ITEM_KINDS),
    /** For coupon items: the template a redemption issues. */
    couponTemplateId: dbId.nullable().default(null),
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
    imageUrl: itemImage.nullable().default(null),
    description: z.string().trim().max(1000).default(''),
    /** Virtual items: 适用门店 where the voucher may be verified (empty: every store). */
    stores: z.array(storeCodeRef).max(50).default([]),
    /** Virtual items: the voucher is valid this many days after redemption. */
    voucherDays: z.number().int().min(1).max(3650).default(30),
    active: z.boolean().default(true),
  })
  .refine((i) => i.kind !== 'coupon' || i.couponTemplateId !== null, {
    message: '优惠券商品必须选择兑换出的优惠券',
    path: ['couponTemplateId'],
  })
  .refine((i) => i.kind === 'coupon' || i.couponTemplateId === null, {
    message: '只有优惠券商品可以关联优惠券',
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
  /** Where the picture is served (the brand's CDN when PUBLIC_ASSET_BASE_URL is set). */
  imageUrl: z.string().nullable(),
  description: z.string(),
  stores: z.array(z.string()),
  voucherDays: z.number().int(),
  active: z.boolean(),
  /** Coupon items: the coupon a redemption gives, as staff pick it. */
  couponTemplate: z
    .object({
      id: z.number().int(),
      name: z.string(),
      face: z.string(),
      validity: z.string(),
      active: z.boolean(),
      offeredInMall: z.boolean(),
    })
    .nullable(),
  /** Why members cannot redeem it now although it is on sale (its coupon switched off …); null when they can. */
  unavailableReason: z.string().nullable(),
  /** Redemptions made (cancelled ones included): an item with any cannot be deleted, only taken off sale. */
  redeemedCount: z.number().int(),
});

export const voucherView = z.object({
  /** What the clerk scans: 16 characters, unguessable; shown only to its holder and staff. */
  code: z.string(),
  status: z.enum(['available', 'used', 'expired', 'void']),
  validTo: z.string(),
  usedAt: z.string().nullable(),
  usedStoreName: z.string().nullable(),
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
  itemKind: z.enum(MALL_ITEM_KINDS),
  /** Virtual items: one voucher per unit, shown with its QR in 我的兑换 and verified once at the desk. */
  vouchers: z.array(voucherView),
  /** For points + cash: pay before this, or the redemption is cancelled and everything restored. */
  payBefore: z.string().nullable(),
  paymentParams: z.record(z.string(), z.string()).nullable(),
  trackingNo: z.string().nullable(),
  /** A cancelled points + cash redemption: when its cash was refunded through the payment gateway. */
  cashRefundedAt: z.string().nullable(),
  /** Where that refund stands at WeChat Pay; abnormal: the member's account refused it, staff follow up. */
  cashRefundStatus: z.enum(['processing', 'success', 'abnormal', 'closed']).nullable(),
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
  payment: defineRoute({
    method: 'POST',
    path: '/mall/redemptions/:id/payment',
    auth: MEMBER,
    tag: 'mall',
    summary:
      'Points + cash awaiting payment: the parameters for wx.requestPayment (the same WeChat Pay order, signed again)',
    params: idParam,
    response: redemptionView,
  }),
  wechatPayNotify: defineRoute({
    method: 'POST',
    path: '/pay/wechat/notify',
    auth: PUBLIC,
    tag: 'mall',
    status: 204,
    summary:
      'WeChat Pay notifications (payments, refunds): signature verified on the raw body, resource ' +
      'decrypted; 204 once handled, else 4xx/5xx {code: FAIL, message} and WeChat Pay retries',
    rawBody: true,
    response: z.union([z.null(), z.object({ code: z.literal('FAIL'), message: z.string() })]),
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
  redemption: defineRoute({
    method: 'GET',
    path: '/mall/redemptions/:id',
    auth: MEMBER,
    tag: 'mall',
    summary: 'One of my redemptions, with its vouchers (code and QR for the clerk)',
    params: idParam,
    response: redemptionView,
  }),
  listItems: defineRoute({
    method: 'GET',
    path: '/admin/mall/items',
    auth: staff('owner', 'operator'),
    tag: 'admin-mall',
    summary: 'All items, by status (上架 / 下架)',
    query: z.strictObject({ status: z.enum(['active', 'inactive']).optional() }),
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
      couponTemplateId: dbId.optional(),
      stores: z.array(storeCodeRef).max(50).optional(),
      voucherDays: z.number().int().min(1).max(3650).optional(),
      pointsPrice: z.number().int().min(0).max(10_000_000).optional(),
      cashPrice: z.number().int().min(0).max(100_000_000).optional(),
      stockDelta: z.number().int().min(-10_000_000).max(10_000_000).optional(),
      perMemberLimit: z.number().int().min(1).max(1000).optional(),
      availableFrom: z.iso.datetime({ offset: true }).nullable().optional(),
      availableTo: z.iso.datetime({ offset: true }).nullable().optional(),
      tiers: z.array(z.string().trim().min(1).max(32)).max(10).optional(),
      memberDayOnly: z.boolean().optional(),
      imageUrl: itemImage.nullable().optional(),
      description: z.string().trim().max(1000).optional(),
      active: z.boolean().optional(),
    }),
    response: mallItemView,
  }),
  deleteItem: defineRoute({
    method: 'DELETE',
    path: '/admin/mall/items/:id',
    auth: staff('owner', 'operator'),
    tag: 'admin-mall',
    summary: 'Delete an item never redeemed; else 409 IN_USE (take it off sale instead)',
    params: idParam,
    response: z.object({ id: z.number().int() }),
  }),
  redeemVoucher: defineRoute({
    method: 'POST',
    path: '/admin/vouchers/redeem',
    auth: staff('owner', 'operator', 'clerk'),
    tag: 'admin-mall',
    summary: 'Verify a virtual item’s voucher in store (exactly once)',
    body: z.strictObject({
      code: z.string().trim().min(8).max(32),
      /** A clerk's own store when left out; owners and operators pick one. */
      storeCode: z.string().trim().min(1).max(32).optional(),
    }),
    response: voucherView.extend({ itemName: z.string() }),
  }),
  uploadImage: defineRoute({
    method: 'POST',
    path: '/admin/uploads/images',
    auth: staff('owner', 'operator'),
    tag: 'admin-mall',
    status: 201,
    rawBody: true,
    summary:
      'Upload a picture (the file itself as the body: JPEG, PNG or WebP, checked by its content; UPLOAD_MAX_BYTES)',
    response: z.object({ path: z.string(), url: z.string() }),
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
      cursor: idCursor.optional(),
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
