import { z } from 'zod';
import { LIFECYCLE_STAGES } from '../constants.js';
import { defineRoute, MEMBER, staff } from '../route.js';
import { idParam, isoDate, dbId } from './common.js';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, '时间格式应为 HH:MM');

export const memberDaySchedule = z.discriminatedUnion('kind', [
  /** Day N of every month; in a shorter month, its last day. */
  z.strictObject({ kind: z.literal('monthly'), day: z.number().int().min(1).max(31) }),
  /** A weekday, 1 = Monday … 7 = Sunday. */
  z.strictObject({ kind: z.literal('weekly'), weekday: z.number().int().min(1).max(7) }),
  z.strictObject({ kind: z.literal('dates'), dates: z.array(isoDate).min(1).max(366) }),
]);
export type MemberDaySchedule = z.output<typeof memberDaySchedule>;

export const memberDayBody = z
  .strictObject({
    name: z.string().trim().min(1).max(40),
    schedule: memberDaySchedule,
    /** Brand-local times on the day; the window is [start, end). */
    startTime: hhmm,
    endTime: hhmm,
    audience: z
      .strictObject({
        tiers: z.array(z.string().trim().min(1).max(32)).max(20).default([]),
        stages: z.array(z.enum(LIFECYCLE_STAGES)).max(6).default([]),
      })
      .default({ tiers: [], stages: [] }),
    benefits: z.strictObject({
      /** Multiplies the points an order earns inside the window (on top of the tier's). */
      pointsMultiplier: z.number().min(1).max(10).default(1),
      /** Extra points for a check-in inside the window. */
      checkinBonusPoints: z.number().int().min(0).max(10_000).default(0),
      /**
       * This member day's exclusives: claimable (coupons) and redeemable (mall items) only while it is on for the
       * member, and shown only to its audience.
       */
      couponTemplateIds: z.array(dbId).max(20).default([]),
      mallItemIds: z.array(dbId).max(50).default([]),
    }),
    active: z.boolean().default(true),
  })
  .refine((d) => d.startTime < d.endTime, { message: '结束时间须晚于开始时间', path: ['endTime'] });

export const memberDayView = z.object({
  id: z.number().int(),
  name: z.string(),
  schedule: memberDaySchedule,
  startTime: z.string(),
  endTime: z.string(),
  audience: z.object({ tiers: z.array(z.string()), stages: z.array(z.enum(LIFECYCLE_STAGES)) }),
  benefits: z.object({
    pointsMultiplier: z.number(),
    checkinBonusPoints: z.number().int(),
    couponTemplateIds: z.array(z.number().int()),
    mallItemIds: z.array(z.number().int()),
  }),
  active: z.boolean(),
  /** An occurrence has started (or its window has passed): the member day can be switched off, not deleted. */
  hasRun: z.boolean(),
});

export const occurrenceView = z.object({
  memberDayId: z.number().int(),
  name: z.string(),
  day: isoDate,
  startsAt: z.string(),
  endsAt: z.string(),
  benefits: memberDayView.shape.benefits,
});

const figures = z.object({
  participants: z.number(),
  orders: z.number(),
  spend: z.number(),
  pointsIssued: z.number(),
  couponsClaimed: z.number(),
  couponsUsed: z.number(),
});

export const occurrenceReport = z.object({
  occurrenceId: z.number().int(),
  memberDayId: z.number().int(),
  day: isoDate,
  status: z.enum(['scheduled', 'started', 'ended']),
  figures,
  /**
   * Members of this member day's audience who took part inside the window (a purchase, a check-in, a redemption or
   * a coupon claim), each counted once; `figures.participants` counts every member active in the window.
   */
  audienceParticipants: z.number().int(),
  /** The same window on the four same weekdays before, averaged. */
  baseline: figures,
  baselineDays: z.array(isoDate),
});

export const memberDayRoutes = {
  current: defineRoute({
    method: 'GET',
    path: '/member-days/current',
    auth: MEMBER,
    tag: 'member-days',
    summary: 'The member day on now for me, if any',
    response: z.object({ current: occurrenceView.nullable() }),
  }),
  next: defineRoute({
    method: 'GET',
    path: '/member-days/next',
    auth: MEMBER,
    tag: 'member-days',
    summary: 'My next member day',
    response: z.object({ next: occurrenceView.nullable() }),
  }),
  list: defineRoute({
    method: 'GET',
    path: '/admin/member-days',
    auth: staff('owner', 'operator'),
    tag: 'admin-member-days',
    summary: 'Member days',
    response: z.object({ items: z.array(memberDayView) }),
  }),
  create: defineRoute({
    method: 'POST',
    path: '/admin/member-days',
    auth: staff('owner', 'operator'),
    tag: 'admin-member-days',
    status: 201,
    summary:
      'Define a recurring member day (monthly, weekly or dates) with its window, audience and benefits',
    body: memberDayBody,
    response: memberDayView,
  }),
  update: defineRoute({
    method: 'PUT',
    path: '/admin/member-days/:id',
    auth: staff('owner', 'operator'),
    tag: 'admin-member-days',
    summary: 'Replace a member day (occurrences not started yet follow the change)',
    params: idParam,
    body: memberDayBody,
    response: memberDayView,
  }),
  setActive: defineRoute({
    method: 'PUT',
    path: '/admin/member-days/:id/active',
    auth: staff('owner', 'operator'),
    tag: 'admin-member-days',
    summary: 'Switch a member day off (no future occurrences, no benefits) or on again (audited)',
    params: idParam,
    body: z.strictObject({ active: z.boolean() }),
    response: memberDayView,
  }),
  remove: defineRoute({
    method: 'DELETE',
    path: '/admin/member-days/:id',
    auth: staff('owner', 'operator'),
    tag: 'admin-member-days',
    summary: 'Delete a member day that never ran (one that ran is switched off instead: 409)',
    params: idParam,
    response: z.object({ deleted: z.literal(true) }),
  }),
  preview: defineRoute({
    method: 'GET',
    path: '/admin/member-days/:id/preview',
    auth: staff('owner', 'operator'),
    tag: 'admin-member-days',
    summary: 'The next occurrences',
    params: idParam,
    query: z.strictObject({ count: z.coerce.number().int().min(1).max(24).default(6) }),
    response: z.object({ items: z.array(occurrenceView) }),
  }),
  occurrences: defineRoute({
    method: 'GET',
    path: '/admin/member-days/:id/occurrences',
    auth: staff('owner', 'operator'),
    tag: 'admin-member-days',
    summary: 'Occurrences scheduled, running and past',
    params: idParam,
    response: z.object({
      items: z.array(
        occurrenceView.extend({
          id: z.number().int(),
          status: z.enum(['scheduled', 'started', 'ended']),
        }),
      ),
    }),
  }),
  report: defineRoute({
    method: 'GET',
    path: '/admin/member-day-occurrences/:id/report',
    auth: staff('owner', 'operator'),
    tag: 'admin-member-days',
    summary:
      'Participants, orders and spend, points issued, coupons claimed and used, beside the four same weekdays before',
    params: idParam,
    response: occurrenceReport,
  }),
} as const;
