import type { SimulationProposal } from '@huoyue/shared';
import {
  floorSql,
  intDivSql,
  jsonNumberSql,
  orderedJoinSql,
  sqlInstant,
  type Dialect,
} from '../../../infra/database/dialect.js';
import type { TodayRules, WindowPlan } from './simulator-inputs.js';

/**
 * The SQL of one replay (docs/points-simulator.md). Every statement is set-based: orders and check-ins are read
 * once per slice and folded into month × tier sums in the database; nothing loops over members in Node. Values
 * that come from the rules are bound, never spliced, except integers the contract validated.
 */
export type Sql = { text: string; params: unknown[] };
/** A range of member ids, both included: the replay goes slice by slice, each member's orders in one slice. */
export type MemberSlice = { from: number; to: number };

export interface ReplayContext {
  kind: Dialect;
  runId: number;
  plan: WindowPlan;
  today: TodayRules;
  proposal: SimulationProposal;
  /** Whether the run has member-day windows and tier spans (scratch rows): without, their joins are left out. */
  hasWindows: boolean;
  hasSpans: boolean;
  /** Points earned at or after these instants are unexpired at the window's end (null: all). */
  aliveActual: Date | null;
  aliveSimulated: Date | null;
}

const at = (c: ReplayContext, d: Date) => sqlInstant(c.kind, d);

/** The month index (0 …) of an instant column, by the brand-local month starts of the window. */
function monthOf(c: ReplayContext, column: string, byDay: boolean): Sql {
  const months = c.plan.months.slice(1);
  if (months.length === 0) return { text: '0', params: [] };
  const text = `CASE ${months.map((_, i) => `WHEN ${column} < ? THEN ${i}`).join(' ')} ELSE ${months.length} END`;
  return { text, params: months.map((m) => (byDay ? m.firstDay : at(c, m.start))) };
}

/** The member's tier at `instant` (a column): the tier span it falls in, else the member's tier today. */
function tierJoin(c: ReplayContext, memberColumn: string, instant: string): Sql {
  if (!c.hasSpans) return { text: '', params: [] };
  return {
    text: `LEFT JOIN points_simulation_tier_span s ON s.run_id = ? AND s.member_id = ${memberColumn}
       AND (s.valid_from IS NULL OR s.valid_from <= ${instant}) AND (s.valid_to IS NULL OR ${instant} < s.valid_to)`,
    params: [c.runId],
  };
}
const tierAt = (c: ReplayContext) =>
  c.hasSpans
    ? 'CASE WHEN s.member_id IS NULL THEN m.tier_code ELSE s.tier_code END'
    : 'm.tier_code';

/**
 * An order's tier: the as-of tier, except for an order processed within a minute after a tier change that was
 * priced at the tier before it (its own breakdown's tier multiplier says so): it read the member while the change
 * was committing, so it earned at the old tier.
 */
function orderTier(c: ReplayContext): Sql {
  if (!c.hasSpans) return { text: 'm.tier_code', params: [] };
  const recorded = jsonNumberSql(c.kind, 'o.breakdown', '$.tierMultiplier');
  const todayByCode = Object.fromEntries(c.today.tiers.map((t) => [t.code, t.pointsMultiplier]));
  const now = tierMultiplier('s.tier_code', todayByCode);
  const before = tierMultiplier('s.prev_tier', todayByCode);
  return {
    text: `CASE WHEN s.member_id IS NULL THEN m.tier_code
      WHEN s.settled_at IS NOT NULL AND o.created_at < s.settled_at AND ${recorded} <> ${now.text}
        AND ${recorded} = ${before.text} THEN s.prev_tier
      ELSE s.tier_code END`,
    params: [...now.params, ...before.params],
  };
}

/** A multiplier by tier code (1 for a code not listed, or no tier), as a DOUBLE. */
function tierMultiplier(column: string, byCode: Record<string, number>): Sql {
  const entries = Object.entries(byCode);
  if (entries.length === 0) return { text: '1e0', params: [] };
  return {
    text: `CASE ${entries.map(() => `WHEN ${column} = ? THEN ? * 1e0`).join(' ')} ELSE 1e0 END`,
    params: entries.flat(),
  };
}

/** The best member-day multiplier above 1 whose window holds the order and whose audience holds the member. */
function bonus(c: ReplayContext, column: 'actual_multiplier' | 'simulated_multiplier'): Sql {
  if (!c.hasWindows) return { text: '1e0', params: [] };
  return {
    text: `COALESCE((SELECT MAX(w.${column}) FROM points_simulation_window w
       WHERE w.run_id = ? AND w.starts_at <= b.paid_at AND b.paid_at < w.ends_at AND w.${column} > 1
         AND w.defined_at <= b.created_at
         AND (w.tier_code IS NULL OR w.tier_code = b.tier) AND (w.stage IS NULL OR w.stage = b.stage)), 1e0)`,
    params: [c.runId],
  };
}

/** computeOrderPoints' whole-yuan base: floor(floor(amount / 100) × rate × 100 / 100), in integers. */
function baseOf(c: ReplayContext, rate: number): string {
  return intDivSql(
    c.kind,
    `${intDivSql(c.kind, 'b.amount', '100')} * ${Math.round(rate * 100)}`,
    '100',
  );
}

/** The refunded share of what an order earned: all of it at a full refund, else floor(points × refunded / amount). */
function refunded(c: ReplayContext, points: string): string {
  return `CASE WHEN r.refunded_amount = 0 THEN 0 WHEN r.refunded_amount = r.amount THEN ${points}
    ELSE ${intDivSql(c.kind, `${points} * r.refunded_amount`, 'r.amount')} END`;
}

/**
 * Each replayed order (paid in the window, api/integration channels) with the points it earned and lost to
 * refunds, actual and simulated: columns member_id, paid_at, month, tier, a_pts, a_ref, s_pts, s_ref. The
 * simulated points are computeOrderPoints in SQL: the whole-yuan base, × the tier's and the best member day's
 * multipliers, floored once (+1e-9 as there), capped; a blocked member's order earns nothing.
 */
export function replayedOrders(c: ReplayContext, slice: MemberSlice | null): Sql {
  const month = monthOf(c, 'o.paid_at', false);
  const tierJ = tierJoin(c, 'o.member_id', 'o.created_at');
  const tier = orderTier(c);
  const simTier = tierMultiplier('b.tier', c.proposal.tierMultipliers);
  const simBonus = bonus(c, 'simulated_multiplier');
  const cap = c.proposal.perOrderCap;
  const capped =
    cap === null
      ? 'q.s_raw'
      : `CASE WHEN q.s_raw > ${Math.trunc(cap)} THEN ${Math.trunc(cap)} ELSE q.s_raw END`;
  const text = `
    SELECT r.*, ${refunded(c, 'r.s_pts')} AS s_ref FROM (
      SELECT q.*, CASE WHEN q.blocked = 1 THEN 0 ELSE ${capped} END AS s_pts FROM (
        SELECT p.*, ${floorSql(c.kind, 'p.base * p.mult + 1e-9')} AS s_raw FROM (
          SELECT b.*, ${baseOf(c, c.proposal.pointsPerYuan)} AS base, (${simTier.text}) * ${simBonus.text} AS mult
          FROM (
            SELECT o.member_id, o.paid_at, o.created_at, o.amount, o.refunded_amount, o.points AS a_pts,
              o.points_reversed AS a_ref, ${month.text} AS month, ${tier.text} AS tier, m.stage,
              CASE WHEN o.points = 0 AND o.breakdown LIKE '%"blocked":true%' THEN 1 ELSE 0 END AS blocked
            FROM orders o
            ${orderedJoinSql(c.kind)} member m ON m.id = o.member_id
            ${tierJ.text}
            WHERE o.paid_at >= ? AND o.paid_at < ? AND o.channel IN ('api', 'integration')
              ${slice ? 'AND o.member_id >= ? AND o.member_id <= ?' : ''}
          ) b
        ) p
      ) q
    ) r`;
  // Placeholders in the order they appear: the simulated multipliers, then the innermost query.
  const params = [
    ...simTier.params,
    ...simBonus.params,
    ...month.params,
    ...tier.params,
    ...tierJ.params,
    at(c, c.plan.start),
    at(c, c.plan.end),
    ...(slice ? [slice.from, slice.to] : []),
  ];
  return { text, params };
}

const alive = (column: string, since: Date | null, c: ReplayContext, value: string): Sql =>
  since === null
    ? { text: `SUM(${value})`, params: [] }
    : { text: `SUM(CASE WHEN ${column} >= ? THEN ${value} ELSE 0 END)`, params: [at(c, since)] };

/** One slice of orders (by id) folded into month × tier sums. */
export function orderSums(c: ReplayContext, slice: MemberSlice): Sql {
  const rows = replayedOrders(c, slice);
  const aAlive = alive('x.paid_at', c.aliveActual, c, 'x.a_pts - x.a_ref');
  const sAlive = alive('x.paid_at', c.aliveSimulated, c, 'x.s_pts - x.s_ref');
  return {
    text: `SELECT x.month, x.tier, COUNT(*) AS n, SUM(CASE WHEN x.refunded_amount > 0 THEN 1 ELSE 0 END) AS refunds,
        SUM(x.a_pts) AS a_pts, SUM(x.a_ref) AS a_ref, SUM(x.s_pts) AS s_pts, SUM(x.s_ref) AS s_ref,
        ${aAlive.text} AS a_alive, ${sAlive.text} AS s_alive
      FROM (${rows.text}) x GROUP BY x.month, x.tier`,
    params: [...aAlive.params, ...sAlive.params, ...rows.params],
  };
}

/** A check-in's reward under the proposal: today's points less today's ladder reward, plus the proposal's. */
function checkinPoints(c: ReplayContext): string {
  const today = c.today.checkins;
  const ladder = c.proposal.checkinLadder;
  const same =
    ladder.cycleDays === today.cycleDays &&
    ladder.rewards.every((r, i) => r.points === today.rewards[i]?.points);
  if (same) return 'c.points';
  const reward = (column: string, rewards: { points: number }[]) =>
    `CASE ${column} ${rewards.map((r, i) => `WHEN ${i + 1} THEN ${Math.trunc(r.points)}`).join(' ')} ELSE 0 END`;
  const n = ladder.cycleDays;
  // The position in the proposed cycle: as today when the cycle keeps its length; else counted along the streak
  // (a broken streak restarts the cycle) or along today's cycle (it goes on where it stopped).
  let position = 'c.cycle_day';
  if (n !== today.cycleDays)
    position = today.breakResets ? `((c.streak - 1) % ${n}) + 1` : `((c.cycle_day - 1) % ${n}) + 1`;
  // What a member day added on top of the ladder stays: the proposal does not change check-in bonuses.
  const todayReward = reward('c.cycle_day', today.rewards);
  const extra = `CASE WHEN c.points > ${todayReward} THEN c.points - ${todayReward} ELSE 0 END`;
  return `CASE WHEN c.kind = 'makeup' THEN 0 ELSE ${reward(position, ladder.rewards)} + ${extra} END`;
}

/** The window's check-ins, actual and simulated: columns member_id, checked_at, month, tier, a_pts, s_pts. */
export function replayedCheckins(c: ReplayContext, slice: MemberSlice | null = null): Sql {
  const month = monthOf(c, 'c.day', true);
  const tierJ = tierJoin(c, 'c.member_id', 'c.checked_at');
  return {
    text: `SELECT c.member_id, c.checked_at, ${month.text} AS month, ${tierAt(c)} AS tier,
        c.points AS a_pts, ${checkinPoints(c)} AS s_pts
      FROM checkin c
      ${orderedJoinSql(c.kind)} member m ON m.id = c.member_id
      ${tierJ.text}
      WHERE c.day >= ? AND c.day <= ? ${slice ? 'AND c.member_id >= ? AND c.member_id <= ?' : ''}`,
    params: [
      ...month.params,
      ...tierJ.params,
      c.plan.months[0]!.firstDay,
      c.plan.lastDay,
      ...(slice ? [slice.from, slice.to] : []),
    ],
  };
}

export function checkinSums(c: ReplayContext): Sql {
  const rows = replayedCheckins(c);
  const aAlive = alive('x.checked_at', c.aliveActual, c, 'x.a_pts');
  const sAlive = alive('x.checked_at', c.aliveSimulated, c, 'x.s_pts');
  return {
    text: `SELECT x.month, x.tier, COUNT(*) AS n, SUM(x.a_pts) AS a_pts, SUM(x.s_pts) AS s_pts,
        ${aAlive.text} AS a_alive, ${sAlive.text} AS s_alive
      FROM (${rows.text}) x GROUP BY x.month, x.tier`,
    params: [...aAlive.params, ...sAlive.params, ...rows.params],
  };
}

/**
 * The members whose net points change the most. Only the parts the proposal changes are read: the orders when an
 * earn rule differs, the check-ins when the ladder does.
 */
export function mostAffected(
  c: ReplayContext,
  limit: number,
  parts: { orders: boolean; checkins: boolean },
  slice: MemberSlice,
): Sql {
  const orders = replayedOrders(c, slice);
  const checkins = replayedCheckins(c, slice);
  const union = [
    ...(parts.orders
      ? [
          `SELECT o.member_id, o.a_pts - o.a_ref AS a, o.s_pts - o.s_ref AS s FROM (${orders.text}) o`,
        ]
      : []),
    ...(parts.checkins
      ? [`SELECT k.member_id, k.a_pts AS a, k.s_pts AS s FROM (${checkins.text}) k`]
      : []),
  ];
  return {
    // Grouped by an expression, not the column: MariaDB would otherwise read the orders in member order through
    // their member index (a lookup per order) to group without a temporary table, several times slower.
    text: `SELECT MIN(u.member_id) AS member_id, SUM(u.a) AS actual, SUM(u.s) AS simulated
      FROM (${union.join(' UNION ALL ')}) u
      GROUP BY u.member_id + 0
      HAVING SUM(u.s) <> SUM(u.a)
      ORDER BY ABS(SUM(u.s) - SUM(u.a)) DESC, MIN(u.member_id) LIMIT ${Math.trunc(limit)}`,
    params: [...(parts.orders ? orders.params : []), ...(parts.checkins ? checkins.params : [])],
  };
}
