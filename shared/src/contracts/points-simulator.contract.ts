import { z } from 'zod';
import { defineRoute, staff } from '../route.js';
import { checkinRules } from './engagement.contract.js';
import { idParam, isoDate } from './common.js';
import { pointsRules, tierBenefits } from './points.contract.js';

/**
 * The points rule simulator (docs/points-simulator.md): staff describe a proposed rule set, the server replays a
 * window's real orders, refunds and check-ins under it in the background and shows the outcome beside what really
 * happened. Every piece of the proposal is the real rule's zod piece, so the console can reuse the rule forms.
 */

/** A points multiplier, as a tier's or a member day's benefit (1 … 10). */
const multiplier = tierBenefits.shape.pointsMultiplier.unwrap();

/** The check-in reward ladder: the same fields as the real check-in rules (the rest of them stays as it is). */
export const simulatedCheckinLadder = z
  .strictObject({
    cycleDays: checkinRules.shape.cycleDays,
    rewards: checkinRules.shape.rewards,
  })
  .refine((r) => r.rewards.length === r.cycleDays, {
    message: '奖励阶梯的天数必须等于周期天数',
    path: ['rewards'],
  });

export const simulationProposal = z.strictObject({
  pointsPerYuan: pointsRules.shape.pointsPerYuan,
  perOrderCap: pointsRules.shape.perOrderCap,
  /** Tier code → the tier's points multiplier. A tier left out keeps today's. */
  tierMultipliers: z.record(z.string().trim().min(1).max(32), multiplier),
  /** Member day id (as text, JSON keys are text) → its points multiplier. A member day left out keeps today's. */
  memberDayMultipliers: z.record(z.string().regex(/^[1-9]\d{0,9}$/, '会员日编号无效'), multiplier),
  checkinLadder: simulatedCheckinLadder,
  expiry: pointsRules.shape.expiry,
  /**
   * Optionally, new growth thresholds for the tiers (codes of the existing ladder); null keeps today's ladder. Only
   * with a ladder does the result show members by tier at the end of the window.
   */
  tierLadder: z
    .array(
      z.strictObject({
        code: z.string().trim().min(1).max(32),
        growthThreshold: z.number().int().min(0).max(100_000_000),
      }),
    )
    .min(1)
    .max(20)
    .nullable()
    .default(null),
});
export type SimulationProposal = z.output<typeof simulationProposal>;

/** Brand-local dates, both included. */
export const simulationWindow = z
  .strictObject({ from: isoDate, to: isoDate })
  .refine((w) => w.from <= w.to, { message: '开始日期不能晚于结束日期', path: ['to'] });

export const startSimulationBody = z.strictObject({
  name: z.string().trim().min(1, '请填写名称').max(60, '名称最多 60 个字').optional(),
  /** Default: the last 12 months up to yesterday. At most 3 years, not in the future (else 400). */
  window: simulationWindow.optional(),
  /** Fields left out are today's rules (GET …/current-rules gives them all). */
  proposal: simulationProposal.partial(),
});

/** Points of one slice, as they happened and as the proposal would have made them. */
const pointsFigures = z.object({
  /** Points orders earned (before refunds). */
  orders: z.number().int(),
  /** Points taken back by refunds: floor(points × refunded / amount) per refund. */
  refunds: z.number().int(),
  checkins: z.number().int(),
  /** orders − refunds + checkins. */
  net: z.number().int(),
  /** net × costPerPoint, in yuan (2 decimals). */
  cost: z.number(),
});
export type SimulationPointsFigures = z.infer<typeof pointsFigures>;

const comparison = z.object({ actual: pointsFigures, simulated: pointsFigures });

export const simulationResult = z.object({
  /** Yuan per point the costs use (today's points rules). */
  costPerPoint: z.number(),
  /** Orders replayed (paid, api/integration channels) and check-ins replayed. */
  replayed: z.object({
    orders: z.number().int(),
    refunds: z.number().int(),
    checkins: z.number().int(),
  }),
  totals: comparison,
  /** Every month of the window, oldest first ('YYYY-MM'). */
  byMonth: z.array(comparison.extend({ month: z.string() })),
  /** By the member's tier at the time of the order or check-in (null code: no tier). */
  byTier: z.array(
    comparison.extend({ tierCode: z.string().nullable(), tierName: z.string().nullable() }),
  ),
  /**
   * Points from the window still outstanding at its end (not refunded, not yet expired under each expiry rule),
   * valued at costPerPoint. An approximation: spends are assumed to take the window's points in the same share
   * under both rule sets (docs/points-simulator.md).
   */
  liability: z.object({
    actual: z.object({ points: z.number().int(), value: z.number() }),
    simulated: z.object({ points: z.number().int(), value: z.number() }),
    approximation: z.string(),
  }),
  /** Members by tier at the end of the window, only when the proposal changes the tier ladder. */
  tiersAtEnd: z
    .array(
      z.object({
        code: z.string().nullable(),
        name: z.string().nullable(),
        actual: z.number().int(),
        simulated: z.number().int(),
      }),
    )
    .nullable(),
  /** The 20 members whose net points change the most (by absolute delta). */
  mostAffected: z.array(
    z.object({
      memberId: z.number().int(),
      /** Masked: 张*三. */
      name: z.string().nullable(),
      /** Masked: 8800****1234. */
      cardNo: z.string().nullable(),
      actual: z.number().int(),
      simulated: z.number().int(),
      delta: z.number().int(),
    }),
  ),
});
export type SimulationResult = z.infer<typeof simulationResult>;

export const simulationStatus = z.enum(['queued', 'running', 'done', 'failed']);

export const simulationView = z.object({
  id: z.number().int(),
  name: z.string(),
  status: simulationStatus,
  /** 0 … 100. */
  progress: z.number().int(),
  window: z.object({ from: isoDate, to: isoDate }),
  /** The whole proposal, today's rules filled in where the request left a field out. */
  proposal: simulationProposal,
  createdAt: z.string(),
  createdBy: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  finishedAt: z.string().nullable(),
  /** Set when the run failed (friendly Chinese text). */
  error: z.string().nullable(),
  /** Set when an owner applied this proposal as the brand's rules. */
  appliedAt: z.string().nullable(),
  result: simulationResult.nullable(),
});
export type SimulationView = z.infer<typeof simulationView>;

/** A run in the list: everything but the result. */
export const simulationSummary = simulationView.omit({ result: true });

export const pointsSimulatorRoutes = {
  current: defineRoute({
    method: 'GET',
    path: '/admin/points/simulations/current-rules',
    auth: staff('owner', 'operator'),
    tag: 'admin-points-simulator',
    summary: "Today's rules as a proposal (the simulator form's starting point)",
    response: simulationProposal,
  }),
  start: defineRoute({
    method: 'POST',
    path: '/admin/points/simulations',
    auth: staff('owner', 'operator'),
    tag: 'admin-points-simulator',
    status: 202,
    summary:
      'Replay a window of real orders, refunds and check-ins under a proposed rule set (runs in the background)',
    body: startSimulationBody,
    response: simulationView,
  }),
  list: defineRoute({
    method: 'GET',
    path: '/admin/points/simulations',
    auth: staff('owner', 'operator'),
    tag: 'admin-points-simulator',
    summary: 'Recent simulation runs, newest first (the last 50)',
    response: z.object({ items: z.array(simulationSummary) }),
  }),
  get: defineRoute({
    method: 'GET',
    path: '/admin/points/simulations/:id',
    auth: staff('owner', 'operator'),
    tag: 'admin-points-simulator',
    summary: 'A simulation run: progress, then actual vs simulated',
    params: idParam,
    response: simulationView,
  }),
  apply: defineRoute({
    method: 'POST',
    path: '/admin/points/simulations/:id/apply',
    auth: staff('owner'),
    tag: 'admin-points-simulator',
    summary:
      "Make a finished run's proposal the brand's rules: the rule pages' audited changes, in one transaction",
    params: idParam,
    response: simulationView,
  }),
};
