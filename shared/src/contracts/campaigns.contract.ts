import { z } from 'zod';
import { LIFECYCLE_STAGES } from '../constants.js';
import { defineRoute, staff } from '../route.js';
import { idParam, dbId } from './common.js';
import { RFM_SEGMENTS } from './lifecycle.contract.js';

export const automationTrigger = z.discriminatedUnion('type', [
  /** A member moved into a stage (the lifecycle module's decision). */
  z.strictObject({ type: z.literal('stage_changed'), to: z.enum(LIFECYCLE_STAGES) }),
  /** The early warning: an active or silent member reached their drift date. */
  z.strictObject({ type: z.literal('at_risk') }),
  /** Points about to expire: `days` before (daily scan), or with the points rules' notice (`days` null). */
  z.strictObject({
    type: z.literal('points_expiring'),
    days: z.number().int().min(1).max(90).nullable().default(null),
  }),
  /**
   * A coupon about to expire: `days` before its last day (daily scan), or with the coupon notice three days
   * ahead (null).
   */
  z.strictObject({
    type: z.literal('coupon_expiring'),
    days: z.number().int().min(1).max(90).nullable().default(null),
  }),
  /** The member's birthday (daily, brand-local). */
  z.strictObject({ type: z.literal('birthday') }),
  /** A check-in streak of at least `minStreak` days broke yesterday (daily). */
  z.strictObject({
    type: z.literal('streak_broken'),
    minStreak: z.number().int().min(1).max(365).default(3),
  }),
  /** A member day opened (any, or this one): its audience is enrolled, to announce it within consent and caps. */
  z.strictObject({
    type: z.literal('member_day_started'),
    memberDayId: dbId.nullable().default(null),
  }),
  /** Joined exactly `days` days ago and not bought yet (daily). */
  z.strictObject({ type: z.literal('joined_no_purchase'), days: z.number().int().min(1).max(365) }),
]);
export type AutomationTrigger = z.output<typeof automationTrigger>;

export const automationBody = z
  .strictObject({
    name: z.string().trim().min(1).max(40),
    trigger: automationTrigger,
    conditions: z
      .strictObject({
        tiers: z.array(z.string().trim().min(1).max(32)).max(20).default([]),
        stages: z.array(z.enum(LIFECYCLE_STAGES)).max(6).default([]),
        segments: z.array(z.enum(RFM_SEGMENTS)).max(11).default([]),
        /** true: only low-frequency members; false: only those who are not; null: either. */
        lowFrequency: z.boolean().nullable().default(null),
      })
      .default({ tiers: [], stages: [], segments: [], lowFrequency: null }),
    actions: z.strictObject({
      couponTemplateId: dbId.nullable().default(null),
      points: z.number().int().min(0).max(100_000).default(0),
      /** Message templates in fallback order (e.g. subscribe message, then Official Account, then SMS). */
      messageTemplateIds: z.array(dbId).max(4).default([]),
    }),
    /** A member enters this automation at most once per this many days. */
    dedupeDays: z.number().int().min(1).max(365).default(30),
    /** Share of qualifying members held out (deterministic by member id): they are recorded and receive nothing. */
    controlPercent: z.number().int().min(0).max(50).default(10),
    /** What counts as coming back, and within how many days of entering. */
    conversion: z
      .strictObject({
        kind: z.enum(['purchase', 'checkin']),
        days: z.number().int().min(1).max(90),
      })
      .default({ kind: 'purchase', days: 14 }),
    active: z.boolean().default(true),
  })
  .refine(
    (a) =>
      a.actions.couponTemplateId !== null ||
      a.actions.points > 0 ||
      a.actions.messageTemplateIds.length > 0,
    { message: '至少需要一个动作：发券、送积分或发消息', path: ['actions'] },
  );

export const automationView = z.object({
  id: z.number().int(),
  name: z.string(),
  playbook: z.string().nullable(),
  trigger: automationTrigger,
  conditions: z.object({
    tiers: z.array(z.string()),
    stages: z.array(z.enum(LIFECYCLE_STAGES)),
    segments: z.array(z.enum(RFM_SEGMENTS)),
    lowFrequency: z.boolean().nullable(),
  }),
  actions: z.object({
    couponTemplateId: z.number().int().nullable(),
    points: z.number().int(),
    messageTemplateIds: z.array(z.number().int()),
  }),
  dedupeDays: z.number().int(),
  controlPercent: z.number().int(),
  conversion: z.object({ kind: z.enum(['purchase', 'checkin']), days: z.number().int() }),
  active: z.boolean(),
  /**
   * Members who entered it so far (both groups): with any, its trigger and experiment are fixed and it cannot be
   * deleted.
   */
  entered: z.number().int(),
});

const groupReport = z.object({
  qualified: z.number().int(),
  sent: z.number().int(),
  /** Messages that did not go out, by the reason code the dispatcher stored (labels: `messageReasonLabel`). */
  failed: z.record(z.string(), z.number().int()),
  opened: z.number().int(),
  converted: z.number().int(),
  conversionRate: z.number(),
});

/**
 * The minimum sample before an uplift is shown: at least this many members in each group and this many
 * conversions in both together; below it the report says 样本不足 (and `uplift` is null) rather than a
 * meaningless 0.0 % (0.0 % ~ 0.0 %).
 */
export const MIN_SAMPLE = { perGroup: 30, conversions: 5 } as const;

export const automationReport = z.object({
  automationId: z.number().int(),
  conversion: z.object({ kind: z.enum(['purchase', 'checkin']), days: z.number().int() }),
  treatment: groupReport,
  control: groupReport,
  /** Treatment messages still waiting to go out (queued, sending, or waiting for a retry or quiet hours). */
  pending: z.number().int(),
  /** Treatment members whose actions could not be taken (e.g. the coupon sold out), by the reason given. */
  actionErrors: z.record(z.string(), z.number().int()),
  /** Whether the sample is large enough for an uplift (MIN_SAMPLE), and if not, why, in Chinese. */
  sample: z.object({ sufficient: z.boolean(), reason: z.string().nullable() }),
  /**
   * Treatment rate − control rate, with its 95 % confidence interval (normal approximation); null without
   * both groups or below the minimum sample.
   */
  uplift: z
    .object({
      absolute: z.number(),
      low: z.number(),
      high: z.number(),
      relative: z.number().nullable(),
    })
    .nullable(),
});

export const PLAYBOOK_CODES = [
  'new_member_activation',
  'low_frequency_reminder',
  'dormant_winback',
  'lost_recall',
] as const;

export const playbookView = z.object({
  code: z.enum(PLAYBOOK_CODES),
  name: z.string(),
  audience: z.string(),
  description: z.string(),
  /** What the playbook's messages promise: a coupon the staff pick at install ('required'), or nothing ('none'). */
  coupon: z.enum(['required', 'none']),
  installedAutomationId: z.number().int().nullable(),
});

export const broadcastBody = z.strictObject({
  templateId: dbId,
  fallbackTemplateIds: z.array(dbId).max(3).default([]),
  /** Members in any of these stages (empty: every stage) and, when given, any of these segments. */
  stages: z.array(z.enum(LIFECYCLE_STAGES)).max(6).default([]),
  segments: z.array(z.enum(RFM_SEGMENTS)).max(11).default([]),
  /** Sending the same request again queues nothing new. */
  requestId: z
    .string()
    .trim()
    .min(8)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/),
});

export const campaignRoutes = {
  broadcast: defineRoute({
    method: 'POST',
    path: '/admin/broadcasts',
    auth: staff('owner', 'operator'),
    tag: 'admin-automations',
    status: 202,
    summary:
      'Queue one message to every member of a stage or segment (consent, caps and quiet hours still apply per member)',
    body: broadcastBody,
    response: z.object({ queued: z.number().int() }),
  }),
  list: defineRoute({
    method: 'GET',
    path: '/admin/automations',
    auth: staff('owner', 'operator'),
    tag: 'admin-automations',
    summary: 'Automations',
    response: z.object({ items: z.array(automationView) }),
  }),
  create: defineRoute({
    method: 'POST',
    path: '/admin/automations',
    auth: staff('owner', 'operator'),
    tag: 'admin-automations',
    status: 201,
    summary: 'Create an automation: trigger → conditions → actions, with a control group',
    body: automationBody,
    response: automationView,
  }),
  update: defineRoute({
    method: 'PUT',
    path: '/admin/automations/:id',
    auth: staff('owner', 'operator'),
    tag: 'admin-automations',
    summary: 'Replace an automation',
    params: idParam,
    body: automationBody,
    response: automationView,
  }),
  setActive: defineRoute({
    method: 'PUT',
    path: '/admin/automations/:id/active',
    auth: staff('owner', 'operator'),
    tag: 'admin-automations',
    summary: 'Pause (停用) or resume (启用) an automation (audited)',
    params: idParam,
    body: z.strictObject({ active: z.boolean() }),
    response: automationView,
  }),
  remove: defineRoute({
    method: 'DELETE',
    path: '/admin/automations/:id',
    auth: staff('owner', 'operator'),
    tag: 'admin-automations',
    summary:
      'Delete an automation nobody entered yet (one with members in it keeps its report: 409, pause it instead)',
    params: idParam,
    response: z.object({ deleted: z.literal(true) }),
  }),
  report: defineRoute({
    method: 'GET',
    path: '/admin/automations/:id/report',
    auth: staff('owner', 'operator'),
    tag: 'admin-automations',
    summary:
      'Qualified, sent, failed by reason, opened, converted for treatment and control, and the uplift with its 95 % CI',
    params: idParam,
    response: automationReport,
  }),
  playbooks: defineRoute({
    method: 'GET',
    path: '/admin/automation-playbooks',
    auth: staff('owner', 'operator'),
    tag: 'admin-automations',
    summary: 'Ready-made automations by audience (new, low-frequency, dormant, lost)',
    response: z.object({ items: z.array(playbookView) }),
  }),
  installPlaybook: defineRoute({
    method: 'POST',
    path: '/admin/automation-playbooks/:code/install',
    auth: staff('owner', 'operator'),
    tag: 'admin-automations',
    status: 201,
    summary:
      'Create a playbook’s message templates and automation; a playbook whose messages promise a coupon needs one',
    params: z.strictObject({ code: z.enum(PLAYBOOK_CODES) }),
    body: z.strictObject({
      couponTemplateId: dbId.nullable().default(null),
    }),
    response: automationView,
  }),
} as const;
