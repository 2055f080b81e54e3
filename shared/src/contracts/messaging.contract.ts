import { z } from 'zod';
import { defineRoute, MEMBER, staff } from '../route.js';
import { cursorQuery, idParam, okResponse, page, dbIdText, dbId } from './common.js';

export const MESSAGE_CHANNELS = ['subscribe', 'oa_template', 'sms'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];

/**
 * transactional: a notice about the member's own action (points changed, coupon received, shipping): not capped.
 * reactivation: a true service event sent by an automation (points or a coupon about to expire…): capped.
 * marketing: pure promotion: SMS only, with marketing consent, capped.
 */
export const MESSAGE_PURPOSES = ['transactional', 'reactivation', 'marketing'] as const;
export type MessagePurpose = (typeof MESSAGE_PURPOSES)[number];

export const MESSAGE_STATUSES = ['queued', 'sending', 'sent', 'failed', 'suppressed'] as const;

/** Variables a template may use as {{name}}; filled per member when the message is queued. */
export const MESSAGE_VARIABLES = [
  'nickname',
  'cardNo',
  'points',
  'today',
  'expiringPoints',
  'expiringOn',
  'couponName',
  'couponValidTo',
  'daysSinceLastVisit',
  'streak',
  'memberDayName',
] as const;

const SUBSCRIBE_RESULT = z.enum([
  'accept',
  'reject',
  'ban',
  'filter',
  'acceptWithAlert',
  'acceptWithAudio',
  'acceptWithForcePush',
]);
const wechatTemplateId = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, '模板 ID 格式不正确');

export const subscriptionBody = z.strictObject({
  /** What wx.requestSubscribeMessage answered, per template id. */
  results: z
    .record(wechatTemplateId, SUBSCRIBE_RESULT)
    .refine(
      (r) => Object.keys(r).length >= 1 && Object.keys(r).length <= 10,
      '一次最多上报 10 个模板',
    ),
});
export const subscriptionView = z.object({
  quotas: z.array(
    z.object({ templateId: z.string(), remaining: z.number().int(), banned: z.boolean() }),
  ),
});

export const messagePreferences = z.strictObject({
  /** Reminders and service notices from automations (points or coupons about to expire, tier at stake…). */
  reminders: z.boolean(),
  /** Promotional SMS (only ever by SMS, only with this consent). */
  marketingSms: z.boolean(),
});

const templateField = z.strictObject({
  /** The WeChat template's keyword, e.g. thing1, date2 (its type comes from the prefix). */
  key: z
    .string()
    .trim()
    .regex(/^[a-z_]+\d+$/, '字段名应像 thing1、date2 这样'),
  /** Text with {{variables}}, e.g. "{{nickname}}，您有积分即将到期". */
  value: z.string().trim().min(1).max(200),
});

export const messageTemplateBody = z
  .strictObject({
    code: z
      .string()
      .trim()
      .min(1)
      .max(32)
      .regex(/^[a-z0-9_]+$/, '编码只能包含小写字母、数字和下划线'),
    name: z.string().trim().min(1).max(40),
    channel: z.enum(MESSAGE_CHANNELS),
    purpose: z.enum(MESSAGE_PURPOSES),
    wechatTemplateId: wechatTemplateId.nullable().default(null),
    fields: z.array(templateField).max(10).default([]),
    smsText: z.string().trim().min(1).max(300).nullable().default(null),
    /** The mini-program page the message opens; a tracking parameter is added to it. */
    page: z
      .string()
      .trim()
      .max(120)
      .regex(/^pages\/[A-Za-z0-9_/-]+$/, '页面路径应以 pages/ 开头')
      .nullable()
      .default(null),
    active: z.boolean().default(true),
  })
  .refine((t) => t.purpose !== 'marketing' || t.channel === 'sms', {
    message: '微信订阅消息和模板消息禁止营销内容：营销类只能用短信发送',
    path: ['channel'],
  })
  .refine((t) => t.channel === 'sms' || (t.wechatTemplateId !== null && t.fields.length > 0), {
    message: '微信消息需要模板 ID 和字段',
    path: ['wechatTemplateId'],
  })
  .refine((t) => t.channel !== 'sms' || t.smsText !== null, {
    message: '短信需要正文',
    path: ['smsText'],
  });

export const messageTemplateView = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  channel: z.enum(MESSAGE_CHANNELS),
  purpose: z.enum(MESSAGE_PURPOSES),
  wechatTemplateId: z.string().nullable(),
  fields: z.array(z.object({ key: z.string(), value: z.string() })),
  smsText: z.string().nullable(),
  page: z.string().nullable(),
  active: z.boolean(),
});

export const messagingSettings = z
  .strictObject({
    /** Brand-local HH:MM; messages due inside the window wait for its end (never dropped). */
    quietHours: z
      .strictObject({
        start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
        end: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
      })
      .nullable(),
    /** Reactivation and marketing messages per member, across channels. */
    caps: z.strictObject({
      per3Days: z.number().int().min(0).max(100),
      per30Days: z.number().int().min(0).max(1000),
    }),
    /** Sends per second per channel, per dispatcher process. */
    ratePerSecond: z.strictObject({
      subscribe: z.number().min(0.1).max(10_000),
      oa_template: z.number().min(0.1).max(10_000),
      sms: z.number().min(0.1).max(10_000),
    }),
    /**
     * Transient failures are retried with exponential backoff and jitter, from baseSeconds, up to maxAttempts
     * tries.
     */
    retry: z.strictObject({
      maxAttempts: z.number().int().min(1).max(20),
      baseSeconds: z.number().min(0.01).max(3600),
    }),
  })
  .refine((s) => s.caps.per3Days <= s.caps.per30Days, {
    message: '3 天上限不能大于 30 天上限',
    path: ['caps'],
  });
export type MessagingSettings = z.output<typeof messagingSettings>;

export const DEFAULT_MESSAGING_SETTINGS: MessagingSettings = {
  quietHours: { start: '21:00', end: '09:00' },
  caps: { per3Days: 1, per30Days: 4 },
  ratePerSecond: { subscribe: 20, oa_template: 20, sms: 10 },
  retry: { maxAttempts: 8, baseSeconds: 10 },
};

export const messageView = z.object({
  id: z.number().int(),
  memberId: z.number().int(),
  templateId: z.number().int(),
  channel: z.enum(MESSAGE_CHANNELS),
  purpose: z.enum(MESSAGE_PURPOSES),
  status: z.enum(MESSAGE_STATUSES),
  reason: z.string().nullable(),
  attempts: z.number().int(),
  dueAt: z.string(),
  sentAt: z.string().nullable(),
  openedAt: z.string().nullable(),
  msgid: z.string().nullable(),
  automationId: z.number().int().nullable(),
  data: z.record(z.string(), z.string()).nullable(),
});

export const messagingRoutes = {
  reportSubscriptions: defineRoute({
    method: 'POST',
    path: '/me/subscriptions',
    auth: MEMBER,
    tag: 'me',
    status: 200,
    summary:
      'Report what wx.requestSubscribeMessage answered: each accept adds one send, ban sets it to zero',
    body: subscriptionBody,
    response: subscriptionView,
  }),
  getPreferences: defineRoute({
    method: 'GET',
    path: '/me/message-preferences',
    auth: MEMBER,
    tag: 'me',
    summary: 'My message preferences',
    response: messagePreferences,
  }),
  putPreferences: defineRoute({
    method: 'PUT',
    path: '/me/message-preferences',
    auth: MEMBER,
    tag: 'me',
    summary: 'Opt in or out of reminders and promotional SMS',
    body: messagePreferences,
    response: messagePreferences,
  }),
  opened: defineRoute({
    method: 'POST',
    path: '/me/messages/opened',
    auth: MEMBER,
    tag: 'me',
    status: 200,
    summary: 'The mini-program opened from a message: report its tracking token',
    body: z.strictObject({
      token: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9_-]{8,40}$/, '追踪参数无效'),
    }),
    response: okResponse,
  }),
  listTemplates: defineRoute({
    method: 'GET',
    path: '/admin/message-templates',
    auth: staff('owner', 'operator'),
    tag: 'admin-messaging',
    summary: 'Message templates',
    response: z.object({ items: z.array(messageTemplateView) }),
  }),
  createTemplate: defineRoute({
    method: 'POST',
    path: '/admin/message-templates',
    auth: staff('owner', 'operator'),
    tag: 'admin-messaging',
    status: 201,
    summary:
      'Create a message template (channel, WeChat template id, fields with variables, landing page)',
    body: messageTemplateBody,
    response: messageTemplateView,
  }),
  updateTemplate: defineRoute({
    method: 'PUT',
    path: '/admin/message-templates/:id',
    auth: staff('owner', 'operator'),
    tag: 'admin-messaging',
    summary: 'Replace a message template',
    params: idParam,
    body: messageTemplateBody,
    response: messageTemplateView,
  }),
  getSettings: defineRoute({
    method: 'GET',
    path: '/admin/messaging/settings',
    auth: staff('owner', 'operator'),
    tag: 'admin-messaging',
    summary: 'Quiet hours, frequency caps, rate limits, retries',
    response: messagingSettings,
  }),
  putSettings: defineRoute({
    method: 'PUT',
    path: '/admin/messaging/settings',
    auth: staff('owner'),
    tag: 'admin-messaging',
    summary: 'Change quiet hours, caps, rate limits, retries',
    body: messagingSettings,
    response: messagingSettings,
  }),
  send: defineRoute({
    method: 'POST',
    path: '/admin/messages',
    auth: staff('owner', 'operator'),
    tag: 'admin-messaging',
    status: 202,
    summary:
      'Queue one message to one member (the same pipeline as automations: consent, caps, quiet hours)',
    body: z.strictObject({
      memberId: dbId,
      templateId: dbId,
      /** Templates on other channels to try, in order, when this one cannot reach the member. */
      fallbackTemplateIds: z.array(dbId).max(3).default([]),
      requestId: z.string().trim().min(8).max(64),
    }),
    response: messageView,
  }),
  listMessages: defineRoute({
    method: 'GET',
    path: '/admin/messages',
    auth: staff('owner', 'operator'),
    tag: 'admin-messaging',
    summary: 'Messages, newest first, by member or status',
    query: z.strictObject({
      memberId: dbIdText.optional(),
      status: z.enum(MESSAGE_STATUSES).optional(),
      automationId: dbIdText.optional(),
      ...cursorQuery,
    }),
    response: page(messageView),
  }),
  syncFollowers: defineRoute({
    method: 'POST',
    path: '/admin/oa-followers',
    auth: staff('owner'),
    tag: 'admin-messaging',
    status: 200,
    integration: true,
    summary:
      'Official Account followers (unionid → OA openid), from the OA user list or its subscribe events',
    body: z.strictObject({
      followers: z
        .array(
          z.strictObject({
            unionid: z.string().trim().min(1).max(64),
            oaOpenid: z.string().trim().min(1).max(64),
            following: z.boolean().default(true),
          }),
        )
        .min(1)
        .max(10_000),
    }),
    response: z.object({ upserted: z.number().int() }),
  }),
} as const;
