import { z } from 'zod';
import { memberLifecycleView } from './lifecycle.contract.js';
import { LIFECYCLE_STAGES } from '../constants.js';
import { defineRoute, defineStreamRoute, MEMBER, PUBLIC, staff } from '../route.js';
import { cursorQuery, idParam, isoDate, page } from './common.js';
import { avatarDataUrl, nicknameField, welcomeGiftView } from './membership.contract.js';

export const tierRef = z.object({ code: z.string(), name: z.string() });

export const memberCard = z.object({
  id: z.number().int(),
  nickname: z.string().nullable(),
  cardNo: z.string().nullable(),
  stage: z.enum(LIFECYCLE_STAGES),
  tier: tierRef.nullable(),
  points: z.number().int(),
  growth: z.number().int(),
  joinedAt: z.string().nullable(),
});
export type MemberCard = z.infer<typeof memberCard>;

export const sessionResponse = z.object({
  token: z.string(),
  expiresIn: z.number().int(),
  member: memberCard,
});

export const wechatLoginBody = z.strictObject({
  code: z.string().trim().min(1, '登录凭证不能为空').max(128),
});

export const joinBody = z.strictObject({
  nickname: nicknameField.optional(),
  avatar: avatarDataUrl.optional(),
  birthday: isoDate.optional(),
  phoneCode: z.string().trim().min(1).max(128).optional(),
});

/** The join's answer also says what the welcome gift brought (null: the brand gives none). */
export const joinResponse = sessionResponse.extend({ welcomeGift: welcomeGiftView.nullable() });

export const cardCodeResponse = z.object({
  code: z.string(),
  expiresAt: z.string(),
  refreshInSeconds: z.number().int(),
});

export const engagementEventView = z.object({
  type: z.string(),
  occurredAt: z.string(),
  properties: z.record(z.string(), z.unknown()).nullable(),
});

export const memberExport = z.object({
  exportedAt: z.string(),
  member: z.object({
    id: z.number().int(),
    cardNo: z.string().nullable(),
    nickname: z.string().nullable(),
    avatar: z.string().nullable(),
    phone: z.string().nullable(),
    birthday: z.string().nullable(),
    openid: z.string().nullable(),
    unionid: z.string().nullable(),
    stage: z.string(),
    tierCode: z.string().nullable(),
    firstSeenAt: z.string(),
    joinedAt: z.string().nullable(),
  }),
  points: z.object({ balance: z.number().int(), growth: z.number().int() }),
  events: z.array(engagementEventView),
  /**
   * Every table that holds the member's data, one section each (the list each module contributes to:
   * docs/security-privacy.md): its rows, and what closing the membership does to them.
   */
  sections: z.array(
    z.object({
      key: z.string(),
      title: z.string(),
      tables: z.array(z.string()),
      onClose: z.string(),
      rows: z.array(z.record(z.string(), z.unknown())),
    }),
  ),
});

/** What closing did, section by section: what was erased and what is kept, and why. */
export const closeAnswer = z.object({
  closed: z.literal(true),
  policy: z.array(z.object({ title: z.string(), onClose: z.string() })),
});

export const MEMBER_LIST_STATUSES = ['member', 'visitor', 'closed'] as const;

export const memberSummary = z.object({
  id: z.number().int(),
  cardNo: z.string().nullable(),
  nickname: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  stage: z.enum(LIFECYCLE_STAGES),
  status: z.enum(['visitor', 'member', 'closed', 'merged']),
  tier: tierRef.nullable(),
  /** The store of the member's first purchase in a store (归属门店). */
  homeStore: z.object({ code: z.string(), name: z.string() }).nullable(),
  points: z.number().int(),
  joinedAt: z.string().nullable(),
});

/**
 * Filters of the staff member list and its export. `query` finds a card number, a full phone number or its last
 * four digits, or a nickname containing the text.
 */
export const memberListFilter = {
  query: z.string().trim().max(64).optional(),
  tier: z.string().trim().min(1).max(32).optional(),
  stage: z.enum(LIFECYCLE_STAGES).optional(),
  /** Default: members and visitors (not closed accounts). */
  status: z.enum(MEMBER_LIST_STATUSES).optional(),
  storeCode: z.string().trim().min(1).max(32).optional(),
  joinedFrom: isoDate.optional(),
  joinedTo: isoDate.optional(),
};
export type MemberListFilter = z.output<z.ZodObject<typeof memberListFilter>>;

export const memberDetail = memberSummary
  .extend({
    phone: z.string().nullable(),
    birthday: z.string().nullable(),
    points: z.number().int(),
    growth: z.number().int(),
    firstSeenAt: z.string(),
    source: z.enum(['wechat', 'offline']),
    recentEvents: z.array(engagementEventView),
  })
  .extend(memberLifecycleView.omit({ stage: true }).shape);

export const memberRoutes = {
  wechatLogin: defineRoute({
    method: 'POST',
    path: '/auth/wechat',
    auth: PUBLIC,
    tag: 'auth',
    status: 200,
    summary: 'Exchange a wx.login code for a session token (creates a visitor on first sight)',
    body: wechatLoginBody,
    response: sessionResponse,
  }),
  join: defineRoute({
    method: 'POST',
    path: '/me/join',
    auth: MEMBER,
    tag: 'me',
    status: 200,
    summary: 'Join the programme: a visitor becomes a member with a card number',
    body: joinBody,
    response: joinResponse,
  }),
  me: defineRoute({
    method: 'GET',
    path: '/me',
    auth: MEMBER,
    tag: 'me',
    summary: 'My member card',
    response: memberCard,
  }),
  cardCode: defineRoute({
    method: 'GET',
    path: '/me/card-code',
    auth: MEMBER,
    tag: 'me',
    summary: 'A short-lived signed code for the clerk to scan (rotates every 60 s)',
    response: cardCodeResponse,
  }),
  exportMe: defineRoute({
    method: 'GET',
    path: '/me/export',
    auth: MEMBER,
    tag: 'me',
    summary: 'Everything held about me (personal data rights)',
    response: memberExport,
  }),
  closeMe: defineRoute({
    method: 'DELETE',
    path: '/me',
    auth: MEMBER,
    tag: 'me',
    summary: 'Close my membership: personal data erased, balances kept anonymously',
    response: closeAnswer,
  }),
  adminSearch: defineRoute({
    method: 'GET',
    path: '/admin/members',
    auth: staff('owner', 'operator', 'clerk'),
    tag: 'admin-members',
    summary:
      'Members, newest first, filtered; by page number (page, limit) or by cursor; total counts the filtered list',
    query: z.strictObject({
      ...memberListFilter,
      ...cursorQuery,
      page: z.coerce.number().int().min(1).max(100_000).optional(),
    }),
    response: page(memberSummary).extend({ total: z.number().int() }),
  }),
  adminExport: defineStreamRoute({
    method: 'GET',
    path: '/admin/members/export',
    auth: staff('owner', 'operator'),
    tag: 'admin-members',
    stream: 'text/csv',
    summary:
      'The whole filtered member list as CSV (UTF-8 with BOM): Chinese headers and values, brand-local times',
    query: z.strictObject(memberListFilter),
    response: z.string(),
  }),
  adminDetail: defineRoute({
    method: 'GET',
    path: '/admin/members/:id',
    auth: staff('owner', 'operator', 'clerk'),
    tag: 'admin-members',
    summary: 'One member: card, stage, recent events',
    params: idParam,
    response: memberDetail,
  }),
  adminByCardCode: defineRoute({
    method: 'GET',
    path: '/admin/members/by-card-code/:code',
    auth: staff('owner', 'operator', 'clerk'),
    tag: 'admin-members',
    summary: 'Resolve a scanned dynamic card code to the member',
    params: z.strictObject({ code: z.string().regex(/^\d{10,24}$/, '会员码格式不正确') }),
    response: memberDetail,
  }),
} as const;
