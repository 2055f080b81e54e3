import { z } from 'zod';
import { BADGE_METRICS, LEADERBOARDS } from '../constants.js';
import { defineRoute, MEMBER, staff } from '../route.js';
import { idParam, isoDate } from './common.js';

// ---- check-ins ----

export const checkinRules = z
  .strictObject({
    /** Length of the reward cycle in days (7 or 30 are usual). */
    cycleDays: z.number().int().min(1).max(31),
    /** The reward for each day of the cycle, day 1 first; a badge code awards that badge on that day. */
    rewards: z
      .array(
        z.strictObject({
          points: z.number().int().min(0).max(100_000),
          badgeCode: z.string().trim().min(1).max(32).nullable().default(null),
        }),
      )
      .min(1)
      .max(31),
    /** Whether a broken streak restarts the cycle at day 1 (else the cycle goes on where it stopped). */
    breakResets: z.boolean(),
    makeup: z.strictObject({
      enabled: z.boolean(),
      /** Points a makeup check-in costs when the member holds no makeup card. */
      costPoints: z.number().int().min(0).max(100_000),
      maxPerMonth: z.number().int().min(0).max(31),
    }),
    antiFarming: z.strictObject({
      /** Check-ins accepted from one IP address per hour (across members). */
      perIpPerHour: z.number().int().min(1).max(100_000),
      /** Members who may check in from one device per day. */
      membersPerDevicePerDay: z.number().int().min(1).max(100),
    }),
  })
  .refine((r) => r.rewards.length === r.cycleDays, {
    message: '奖励阶梯的天数必须等于周期天数',
    path: ['rewards'],
  });
export type CheckinRules = z.infer<typeof checkinRules>;

export const checkinBody = z.strictObject({
  /** A device fingerprint from the mini-program (stored for investigation, limited per day). */
  deviceId: z.string().trim().min(8).max(64).optional(),
});

export const badgeAward = z.object({
  code: z.string(),
  name: z.string(),
  level: z.number().int(),
  artworkUrl: z.string().nullable(),
});

export const checkinResult = z.object({
  date: isoDate,
  streak: z.number().int(),
  cycleDay: z.number().int(),
  points: z.number().int(),
  badges: z.array(badgeAward),
});

export const checkinMonth = z.object({
  month: z.string(),
  days: z.array(
    z.object({ date: isoDate, kind: z.enum(['daily', 'makeup']), points: z.number().int() }),
  ),
  today: isoDate,
  checkedToday: z.boolean(),
  streak: z.number().int(),
  nextReward: z.object({
    cycleDay: z.number().int(),
    points: z.number().int(),
    badgeCode: z.string().nullable(),
  }),
  ladder: z.object({
    cycleDays: z.number().int(),
    rewards: z.array(z.object({ points: z.number().int(), badgeCode: z.string().nullable() })),
  }),
  makeup: z.object({
    enabled: z.boolean(),
    costPoints: z.number().int(),
    cards: z.number().int(),
    remainingThisMonth: z.number().int(),
    allowedDates: z.array(isoDate),
  }),
  reminder: z.boolean(),
});

export const makeupBody = z.strictObject({ date: isoDate });
export const reminderBody = z.strictObject({ enabled: z.boolean() });

// ---- badges ----

export const badgeRule = z.strictObject({
  metric: z.enum(BADGE_METRICS),
  /** One threshold: a one-off badge. Rising thresholds: levels (bronze, silver, gold). */
  thresholds: z
    .array(z.number().int().min(1).max(1_000_000_000))
    .min(1)
    .max(5)
    .refine((t) => t.every((v, i) => i === 0 || v > t[i - 1]!), '等级门槛必须逐级升高'),
});

const badgeCode = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[a-z0-9_-]+$/, '勋章编码只能包含小写字母、数字、_ 和 -');

/**
 * A badge. `rule.thresholds` are in the metric's own unit: days, times, whole years, a tier rank, and for `spend`
 * yuan (元, not fen): the console asks in yuan and the mini-program shows progress in yuan.
 */
export const badgeInput = z.strictObject({
  /** Integrations name badges by code; left out, the server makes one (staff never type it). */
  code: badgeCode.optional(),
  name: z.string().trim().min(1).max(32),
  artworkUrl: z.url().max(500).nullable().default(null),
  description: z.string().trim().max(200).default(''),
  rule: badgeRule,
  rewardPoints: z.number().int().min(0).max(1_000_000).default(0),
  active: z.boolean().default(true),
});

export const badgeView = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  artworkUrl: z.string().nullable(),
  description: z.string(),
  rule: badgeRule,
  rewardPoints: z.number().int(),
  active: z.boolean(),
});

export const myBadges = z.object({
  earned: z.array(
    badgeView
      .pick({ code: true, name: true, artworkUrl: true, description: true })
      .extend({ level: z.number().int(), levels: z.number().int(), awardedAt: z.string() }),
  ),
  locked: z.array(
    badgeView.pick({ code: true, name: true, artworkUrl: true, description: true }).extend({
      /** The level being worked towards (1 = not earned yet). */
      nextLevel: z.number().int(),
      levels: z.number().int(),
      progress: z.object({ current: z.number().int(), target: z.number().int() }),
    }),
  ),
});

// ---- leaderboards ----

export const leaderboardView = z.object({
  board: z.enum(LEADERBOARDS),
  period: z.string(),
  top: z.array(
    z.object({
      rank: z.number().int(),
      nickname: z.string(),
      score: z.number().int(),
      me: z.boolean(),
    }),
  ),
  /** rank null: below the top 1,000 ("1000 名以外"); me null: opted out. */
  me: z.object({ rank: z.number().int().nullable(), score: z.number().int() }).nullable(),
  optedOut: z.boolean(),
  updatedAt: z.string().nullable(),
});

export const privacyView = z.object({ leaderboard: z.boolean() });

const codeParam = z.strictObject({ code: badgeCode });

export const dailyActivity = z.object({
  items: z.array(
    z.object({
      day: isoDate,
      checkins: z.number().int(),
      redemptions: z.number().int(),
      purchases: z.number().int(),
      pointsIssued: z.number().int(),
      pointsSpent: z.number().int(),
    }),
  ),
});

export const engagementRoutes = {
  dailyActivity: defineRoute({
    method: 'GET',
    path: '/admin/activity/daily',
    auth: staff('owner', 'operator'),
    tag: 'admin-dashboard',
    summary: 'Per brand-local day: check-ins, redemptions, purchases, points issued and spent',
    query: z.strictObject({ days: z.coerce.number().int().min(1).max(366).default(30) }),
    response: dailyActivity,
  }),
  checkin: defineRoute({
    method: 'POST',
    path: '/checkins',
    auth: MEMBER,
    tag: 'checkins',
    status: 201,
    summary: "Today's check-in (one per brand-local day)",
    body: checkinBody,
    response: checkinResult,
  }),
  checkinMonth: defineRoute({
    method: 'GET',
    path: '/checkins',
    auth: MEMBER,
    tag: 'checkins',
    summary: 'Days checked in a month, streak, next reward, the ladder, makeup options',
    query: z.strictObject({
      month: z
        .string()
        .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM')
        .optional(),
    }),
    response: checkinMonth,
  }),
  makeup: defineRoute({
    method: 'POST',
    path: '/checkins/makeup',
    auth: MEMBER,
    tag: 'checkins',
    status: 201,
    summary: 'Check in for a missed day of the current cycle (costs points or a makeup card)',
    body: makeupBody,
    response: checkinResult,
  }),
  reminder: defineRoute({
    method: 'PUT',
    path: '/checkins/reminder',
    auth: MEMBER,
    tag: 'checkins',
    summary: 'Opt in or out of the daily check-in reminder',
    body: reminderBody,
    response: reminderBody,
  }),
  getCheckinRules: defineRoute({
    method: 'GET',
    path: '/admin/checkins/rules',
    auth: staff('owner', 'operator'),
    tag: 'admin-checkins',
    summary: 'The check-in ladder and limits',
    response: checkinRules,
  }),
  putCheckinRules: defineRoute({
    method: 'PUT',
    path: '/admin/checkins/rules',
    auth: staff('owner', 'operator'),
    tag: 'admin-checkins',
    summary: 'Change the ladder and limits (audited)',
    body: checkinRules,
    response: checkinRules,
  }),
  grantMakeupCards: defineRoute({
    method: 'POST',
    path: '/admin/members/:id/makeup-cards',
    auth: staff('owner', 'operator'),
    tag: 'admin-checkins',
    status: 201,
    summary: 'Give a member makeup cards (audited)',
    params: idParam,
    body: z.strictObject({
      count: z.number().int().min(1).max(31),
      reason: z.string().trim().min(2).max(200),
    }),
    response: z.object({ cards: z.number().int() }),
  }),
  earningBlock: defineRoute({
    method: 'PUT',
    path: '/admin/members/:id/earning-block',
    auth: staff('owner', 'operator'),
    tag: 'admin-checkins',
    summary:
      'Block or unblock a member from earning points (every earning path honours it; audited)',
    params: idParam,
    body: z.strictObject({ blocked: z.boolean(), reason: z.string().trim().min(2).max(200) }),
    response: z.object({ blocked: z.boolean() }),
  }),
  memberBadges: defineRoute({
    method: 'GET',
    path: '/admin/members/:id/badges',
    auth: staff('owner', 'operator', 'clerk'),
    tag: 'admin-badges',
    summary: "A member's badges, earned and locked with progress",
    params: idParam,
    response: myBadges,
  }),
  myBadges: defineRoute({
    method: 'GET',
    path: '/badges',
    auth: MEMBER,
    tag: 'badges',
    summary: 'Earned badges (with date) and locked ones (with progress)',
    response: myBadges,
  }),
  listBadges: defineRoute({
    method: 'GET',
    path: '/admin/badges',
    auth: staff('owner', 'operator'),
    tag: 'admin-badges',
    summary: 'Badge definitions',
    response: z.object({ items: z.array(badgeView) }),
  }),
  createBadge: defineRoute({
    method: 'POST',
    path: '/admin/badges',
    auth: staff('owner', 'operator'),
    tag: 'admin-badges',
    status: 201,
    summary: 'Define a badge (audited)',
    body: badgeInput,
    response: badgeView,
  }),
  updateBadge: defineRoute({
    method: 'PATCH',
    path: '/admin/badges/:code',
    auth: staff('owner', 'operator'),
    tag: 'admin-badges',
    summary: 'Change a badge (audited)',
    params: codeParam,
    body: badgeInput.omit({ code: true }).partial(),
    response: badgeView,
  }),
  deleteBadge: defineRoute({
    method: 'DELETE',
    path: '/admin/badges/:code',
    auth: staff('owner', 'operator'),
    tag: 'admin-badges',
    summary:
      'Delete a badge nobody holds and nothing refers to (else 409 with the reason: switch it off instead)',
    params: codeParam,
    response: z.object({ deleted: z.literal(true) }),
  }),
  backfillBadge: defineRoute({
    method: 'POST',
    path: '/admin/badges/:code/backfill',
    auth: staff('owner', 'operator'),
    tag: 'admin-badges',
    summary: 'Award a badge to every member who already qualifies',
    params: codeParam,
    response: z.object({ awarded: z.number().int() }),
  }),
  leaderboard: defineRoute({
    method: 'GET',
    path: '/leaderboards/:board',
    auth: MEMBER,
    tag: 'leaderboards',
    summary: "This month's top 100 and my rank",
    params: z.strictObject({ board: z.enum(LEADERBOARDS) }),
    response: leaderboardView,
  }),
  getPrivacy: defineRoute({
    method: 'GET',
    path: '/me/privacy',
    auth: MEMBER,
    tag: 'me',
    summary: 'My privacy settings',
    response: privacyView,
  }),
  putPrivacy: defineRoute({
    method: 'PUT',
    path: '/me/privacy',
    auth: MEMBER,
    tag: 'me',
    summary: 'Show me on leaderboards or not',
    body: z.strictObject({ leaderboard: z.boolean() }),
    response: privacyView,
  }),
};
