import { z } from 'zod';
import { LIFECYCLE_STAGES } from '../constants.js';
import { defineRoute, defineStreamRoute, staff } from '../route.js';
import { isoDate } from './common.js';

export const RFM_SEGMENTS = [
  'champions',
  'loyal',
  'potential_loyalist',
  'new_customers',
  'promising',
  'need_attention',
  'about_to_sleep',
  'at_risk',
  'cant_lose_them',
  'hibernating',
  'lost',
] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

export const RFM_SEGMENT_LABELS: Record<RfmSegment, string> = {
  champions: '重要价值',
  loyal: '忠诚客户',
  potential_loyalist: '潜力客户',
  new_customers: '新客户',
  promising: '有望发展',
  need_attention: '需要关注',
  about_to_sleep: '即将沉睡',
  at_risk: '有流失风险',
  cant_lose_them: '不能失去',
  hibernating: '沉睡客户',
  lost: '已流失',
};

const days = (max: number) => z.number().int().min(1).max(max);

/** The brand's lifecycle rules. Stage ages are whole days between brand-local dates (see docs/lifecycle.md). */
export const lifecycleSettings = z
  .strictObject({
    /** A member who joined at most this many days ago and has not bought yet is `new`. */
    newDays: days(3650),
    /**
     * Days since the last purchase (or activity) up to which a member is `active`, then `silent`, then
     * `dormant`; beyond, `lost`.
     */
    activeDays: days(3650),
    silentDays: days(3650),
    dormantDays: days(3650),
    /** Whether check-ins, app opens, redemptions and opened messages count as activity beside purchases. */
    interactionsCount: z.boolean(),
    /** Low frequency: still interacted within this many days, but buys the least often (lowest F score). */
    lowFrequencyDays: days(365),
    /** RFM looks at purchases within this many days before the as-of date. */
    rfmLookbackDays: days(3650),
    /** A member is at risk on the day P(alive) would fall below this if no purchase comes. */
    atRiskThreshold: z.number().min(0.05).max(0.95),
  })
  .refine((s) => s.activeDays < s.silentDays && s.silentDays < s.dormantDays, {
    message: '天数须满足：活跃 < 沉默 < 沉睡',
    path: ['silentDays'],
  });
export type LifecycleSettings = z.output<typeof lifecycleSettings>;

export const DEFAULT_LIFECYCLE_SETTINGS: LifecycleSettings = {
  newDays: 30,
  activeDays: 90,
  silentDays: 180,
  dormantDays: 365,
  interactionsCount: false,
  lowFrequencyDays: 30,
  rfmLookbackDays: 365,
  atRiskThreshold: 0.5,
};

const stageCounts = z.record(z.enum(LIFECYCLE_STAGES), z.number().int());

export const recomputeBody = z.strictObject({
  /** Brand-local date; only data on or before it counts. Defaults to today. */
  asOf: isoDate.optional(),
  /** Compute and answer the counts without writing anything (what-if). */
  dryRun: z.boolean().default(false),
  /**
   * Rebuild the per-member aggregates from the whole order history first (after orders were loaded outside
   * the API).
   */
  rebuild: z.boolean().default(false),
});

export const recomputeResult = z.object({
  asOf: isoDate,
  dryRun: z.boolean(),
  /** `aggregates`: from the per-member aggregates kept at order time; `history`: rebuilt from orders up to asOf. */
  source: z.enum(['aggregates', 'history']),
  members: z.number().int(),
  stages: stageCounts,
  transitions: z.number().int(),
  newlyAtRisk: z.number().int(),
  /**
   * compute: decide every member; write: apply the changes, transitions and outbox rows; deliver: run the
   * events' handlers.
   */
  timings: z.object({ computeMs: z.number(), writeMs: z.number(), deliverMs: z.number() }),
});

export const lifecycleSummary = z.object({
  stages: stageCounts,
  segments: z.record(z.enum(RFM_SEGMENTS), z.number().int()),
  lowFrequency: z.number().int(),
  atRisk: z.number().int(),
  lastRecompute: z.object({ asOf: isoDate, at: z.string() }).nullable(),
});

export const rfmGrid = z.object({
  /** 25 cells, R = 5..1 by F = 1..5; average spend in fen over the lookback window. */
  cells: z.array(
    z.object({
      r: z.number().int(),
      f: z.number().int(),
      segment: z.enum(RFM_SEGMENTS),
      members: z.number().int(),
      avgSpend: z.number().int(),
    }),
  ),
  members: z.number().int(),
});

export const churnModel = z.object({
  model: z.enum(['bgnbd', 'mbgnbd']),
  r: z.number(),
  alpha: z.number(),
  a: z.number(),
  b: z.number(),
  timeUnit: z.literal('day'),
  logLikelihood: z.number(),
  members: z.number().int(),
  asOf: isoDate,
  fittedAt: z.string(),
  fitMs: z.number().int(),
});

export const memberLifecycleView = z.object({
  stage: z.enum(LIFECYCLE_STAGES),
  lowFrequency: z.boolean(),
  atRisk: z.boolean(),
  rfm: z
    .object({
      r: z.number().int(),
      f: z.number().int(),
      m: z.number().int(),
      segment: z.enum(RFM_SEGMENTS),
    })
    .nullable(),
  /** MBG/NBD probability that the member is still a customer (null: no purchase yet, or no model fitted). */
  pAlive: z.number().nullable(),
  /** BG/NBD expected purchase days in the next 30 and 90 days. */
  expectedPurchases30d: z.number().nullable(),
  expectedPurchases90d: z.number().nullable(),
  /** The brand-local date on which P(alive) falls below the brand's threshold if no purchase comes. */
  driftDate: isoDate.nullable(),
  firstPurchaseDate: isoDate.nullable(),
  lastPurchaseDate: isoDate.nullable(),
  purchaseDays: z.number().int(),
  stageHistory: z.array(
    z.object({
      from: z.enum(LIFECYCLE_STAGES),
      to: z.enum(LIFECYCLE_STAGES),
      day: isoDate,
      at: z.string(),
      cause: z.string(),
    }),
  ),
});

export const lifecycleExportQuery = z
  .strictObject({
    stage: z.enum(LIFECYCLE_STAGES).optional(),
    segment: z.enum(RFM_SEGMENTS).optional(),
  })
  .refine((q) => !(q.stage && q.segment), { message: '请只选择阶段或分群之一' });

const STAFF = staff('owner', 'operator');

export const lifecycleRoutes = {
  snapshots: defineRoute({
    method: 'GET',
    path: '/admin/lifecycle/snapshots',
    auth: STAFF,
    tag: 'admin-lifecycle',
    summary: 'Members per stage on each recompute day (the dashboard’s stages over time)',
    query: z.strictObject({ days: z.coerce.number().int().min(1).max(730).default(90) }),
    response: z.object({
      items: z.array(
        z.object({ day: isoDate, stage: z.enum(LIFECYCLE_STAGES), members: z.number().int() }),
      ),
    }),
  }),
  flows: defineRoute({
    method: 'GET',
    path: '/admin/lifecycle/flows',
    auth: STAFF,
    tag: 'admin-lifecycle',
    summary: 'Stage transitions in a month, by from and to',
    query: z.strictObject({
      month: z
        .string()
        .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM')
        .optional(),
    }),
    response: z.object({
      month: z.string(),
      items: z.array(
        z.object({
          from: z.enum(LIFECYCLE_STAGES),
          to: z.enum(LIFECYCLE_STAGES),
          members: z.number().int(),
        }),
      ),
    }),
  }),
  getSettings: defineRoute({
    method: 'GET',
    path: '/admin/lifecycle/settings',
    auth: STAFF,
    tag: 'admin-lifecycle',
    summary: 'Lifecycle thresholds, RFM lookback and the at-risk threshold',
    response: lifecycleSettings,
  }),
  putSettings: defineRoute({
    method: 'PUT',
    path: '/admin/lifecycle/settings',
    auth: staff('owner'),
    tag: 'admin-lifecycle',
    summary: 'Change the lifecycle settings (takes effect at the next recompute)',
    body: lifecycleSettings,
    response: lifecycleSettings,
  }),
  recompute: defineRoute({
    method: 'POST',
    path: '/admin/lifecycle/recompute',
    auth: STAFF,
    tag: 'admin-lifecycle',
    status: 200,
    summary: 'Recompute every member’s stage, RFM, low-frequency and at-risk flags as of a date',
    body: recomputeBody,
    response: recomputeResult,
  }),
  summary: defineRoute({
    method: 'GET',
    path: '/admin/lifecycle/summary',
    auth: STAFF,
    tag: 'admin-lifecycle',
    summary: 'Members per stage and per RFM segment',
    response: lifecycleSummary,
  }),
  rfmGrid: defineRoute({
    method: 'GET',
    path: '/admin/lifecycle/rfm-grid',
    auth: STAFF,
    tag: 'admin-lifecycle',
    summary: 'The 5×5 R×F grid with member counts and average spend',
    response: rfmGrid,
  }),
  export: defineStreamRoute({
    method: 'GET',
    path: '/admin/lifecycle/export',
    auth: STAFF,
    tag: 'admin-lifecycle',
    summary: 'Members of a stage or segment as CSV (streamed)',
    query: lifecycleExportQuery,
    stream: 'text/csv',
    response: z.string(),
  }),
  fitModel: defineRoute({
    method: 'POST',
    path: '/admin/lifecycle/model/fit',
    auth: STAFF,
    tag: 'admin-lifecycle',
    status: 200,
    summary: 'Fit BG/NBD and MBG/NBD on the purchase history as of a date',
    body: z.strictObject({ asOf: isoDate.optional() }),
    response: z.object({ bgnbd: churnModel, mbgnbd: churnModel }),
  }),
  getModel: defineRoute({
    method: 'GET',
    path: '/admin/lifecycle/model',
    auth: STAFF,
    tag: 'admin-lifecycle',
    summary: 'The latest churn model fit',
    query: z.strictObject({ model: z.enum(['bgnbd', 'mbgnbd']).default('bgnbd') }),
    response: churnModel,
  }),
} as const;
