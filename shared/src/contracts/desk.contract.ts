import { z } from 'zod';
import { defineRoute, staff } from '../route.js';
import { COUPON_KINDS } from './coupons.contract.js';

/** Who holds a coupon or a voucher, as the clerk may see it: enough to ask "are you …?", nothing more. */
export const deskHolder = z.object({
  nickname: z.string(),
  phoneMasked: z.string().nullable(),
  cardNo: z.string().nullable(),
});

/** What is done with it and where; `reason` says why it cannot be used at this desk's store now. */
const usability = {
  usable: z.boolean(),
  reason: z.string().nullable(),
};

export const deskCoupon = z.object({
  kind: z.literal('coupon'),
  code: z.string(),
  name: z.string(),
  couponKind: z.enum(COUPON_KINDS),
  /** "满100减20", "8折（最多减30）" … */
  face: z.string(),
  /** 满X可用 in fen; 0 = none. */
  threshold: z.number().int(),
  validFrom: z.string(),
  validTo: z.string(),
  status: z.enum(['available', 'used', 'expired', 'revoked']),
  usedAt: z.string().nullable(),
  usedStoreName: z.string().nullable(),
  storeNames: z.array(z.string()),
  holder: deskHolder,
  ...usability,
});

export const deskVoucher = z.object({
  kind: z.literal('voucher'),
  code: z.string(),
  itemName: z.string(),
  validTo: z.string(),
  status: z.enum(['available', 'used', 'expired', 'void']),
  usedAt: z.string().nullable(),
  usedStoreName: z.string().nullable(),
  storeNames: z.array(z.string()),
  holder: deskHolder,
  ...usability,
});

export const deskMember = z.object({
  kind: z.literal('member'),
  cardNo: z.string().nullable(),
  nickname: z.string(),
  phoneMasked: z.string().nullable(),
  tierName: z.string().nullable(),
  points: z.number().int(),
  /** How the member was found: the rotating card code, the printed card number or the phone number. */
  foundBy: z.enum(['card_code', 'card_no', 'phone']),
});

export const deskLookupResult = z.discriminatedUnion('kind', [deskCoupon, deskVoucher, deskMember]);

export const deskRoutes = {
  lookup: defineRoute({
    method: 'GET',
    path: '/admin/desk/lookup',
    auth: staff('owner', 'operator', 'clerk'),
    tag: 'admin-desk',
    summary:
      'What a scanned or typed code is, before anything is done with it: a coupon, a voucher, or a member ' +
      '(rotating card code, card number or phone)',
    query: z.strictObject({
      code: z.string().trim().min(1, '请扫描或输入券码、会员码、卡号或手机号').max(64),
      /** The desk's store (a clerk's own when left out): whether the coupon or voucher may be used here. */
      storeCode: z.string().trim().min(1).max(32).optional(),
    }),
    response: deskLookupResult,
  }),
} as const;
