import type { SimulationPointsFigures, SimulationResult } from '@huoyue/shared';
import type { DataSource } from 'typeorm';
import { bulkInsert } from '../../../infra/database/bulk.js';
import { addSecondsSql, sqlInstant } from '../../../infra/database/dialect.js';
import type { UnitOfWork } from '../../../infra/events/unit-of-work.js';
import { checkinSums, mostAffected, orderSums, type ReplayContext } from './simulator-sql.js';
import { currentProposal, type WindowRow } from './simulator-inputs.js';
import { ledgerFigures, LIABILITY_NOTE } from './simulator-ledger.js';

/** Members per slice of the replay (about ten orders each at a large brand): progress moves once per slice. */
const SLICE_MEMBERS = 50_000;
const MOST_AFFECTED = 20;
/** How long after a tier change an order may still have been priced at the tier before (see simulator-sql tierOf). */
const SETTLE_SECONDS = 60;

type Row = Record<string, unknown>;
const num = (v: unknown) => Number(v ?? 0);

interface Sums {
  orders: number;
  refunds: number;
  aPts: number;
  aRef: number;
  sPts: number;
  sRef: number;
  aCheckin: number;
  sCheckin: number;
  checkins: number;
  aAlive: number;
  sAlive: number;
}
const zero = (): Sums => ({
  orders: 0,
  refunds: 0,
  aPts: 0,
  aRef: 0,
  sPts: 0,
  sRef: 0,
  aCheckin: 0,
  sCheckin: 0,
  checkins: 0,
  aAlive: 0,
  sAlive: 0,
});
function add(into: Sums, from: Partial<Sums>): void {
  for (const [k, v] of Object.entries(from)) into[k as keyof Sums] += v ?? 0;
}

/** What a replay reads and writes with: the data source for plain SELECTs, the unit of work for scratch rows. */
export interface ReplayDeps {
  dataSource: DataSource;
  uow: UnitOfWork;
  contacts: (
    ids: number[],
  ) => Promise<Map<number, { cardNo: string | null; nickname: string | null }>>;
  tierNames: Map<string, string>;
}

/**
 * Replays the window under the proposal: scratch rows (tier spans, member-day windows) for the run, the orders in
 * slices of ids, the check-ins, the most affected members, the ledger's figures; the scratch rows are removed at
 * the end whatever happens. `progress` is told 0 … 99 as it goes.
 */
export async function replay(
  deps: ReplayDeps,
  c: ReplayContext,
  windows: WindowRow[],
  progress: (pct: number) => Promise<void>,
): Promise<SimulationResult> {
  try {
    await clearScratch(deps, c.runId);
    await writeScratch(deps, c, windows);
    const spans = (await deps.dataSource.query(
      'SELECT id FROM points_simulation_tier_span WHERE run_id = ? LIMIT 1',
      [c.runId],
    )) as unknown[];
    c = { ...c, hasSpans: spans.length > 0, hasWindows: windows.length > 0 };
    await progress(5);
    const byKey = new Map<string, Sums>();
    const cell = (month: unknown, tier: unknown) => {
      const key = JSON.stringify([num(month), tier ?? null]);
      if (!byKey.has(key)) byKey.set(key, zero());
      return byKey.get(key)!;
    };
    const top = await replayOrders(deps, c, cell, progress);
    const q = checkinSums(c);
    for (const r of (await deps.dataSource.query(q.text, q.params)) as Row[])
      add(cell(r.month, r.tier), {
        checkins: num(r.n),
        aCheckin: num(r.a_pts),
        sCheckin: num(r.s_pts),
        aAlive: num(r.a_alive),
        sAlive: num(r.s_alive),
      });
    await progress(90);
    const affected = await mostAffectedMembers(deps, top);
    const ledger = await ledgerFigures(deps.dataSource, c);
    return assemble(deps, c, byKey, affected, ledger);
  } finally {
    await clearScratch(deps, c.runId);
  }
}

/**
 * The orders, slice by slice of member ids: each slice folded into month × tier sums, and its members whose
 * points change the most (a member's orders are all in one slice, so the top of the slices' tops is the top).
 */
async function replayOrders(
  deps: ReplayDeps,
  c: ReplayContext,
  cell: (month: unknown, tier: unknown) => Sums,
  progress: (pct: number) => Promise<void>,
): Promise<Row[]> {
  const [range] = (await deps.dataSource.query(
    'SELECT MIN(id) AS lo, MAX(id) AS hi FROM member',
  )) as Row[];
  if (range?.lo === null || range?.lo === undefined) return [];
  const lo = num(range.lo);
  const hi = num(range.hi);
  const slices = Math.max(1, Math.ceil((hi - lo + 1) / SLICE_MEMBERS));
  const parts = changedParts(c);
  let top: Row[] = [];
  for (let i = 0; i < slices; i++) {
    const slice = {
      from: lo + i * SLICE_MEMBERS,
      to: Math.min(hi, lo + (i + 1) * SLICE_MEMBERS - 1),
    };
    const q = orderSums(c, slice);
    for (const r of (await deps.dataSource.query(q.text, q.params)) as Row[])
      add(cell(r.month, r.tier), {
        orders: num(r.n),
        refunds: num(r.refunds),
        aPts: num(r.a_pts),
        aRef: num(r.a_ref),
        sPts: num(r.s_pts),
        sRef: num(r.s_ref),
        aAlive: num(r.a_alive),
        sAlive: num(r.s_alive),
      });
    if (parts.orders || parts.checkins) {
      const m = mostAffected(c, MOST_AFFECTED, parts, slice);
      top = [...top, ...((await deps.dataSource.query(m.text, m.params)) as Row[])]
        .sort((a, b) => delta(b) - delta(a) || num(a.member_id) - num(b.member_id))
        .slice(0, MOST_AFFECTED);
    }
    await progress(5 + Math.floor((80 * (i + 1)) / slices));
  }
  return top;
}

const delta = (r: Row) => Math.abs(num(r.simulated) - num(r.actual));

async function mostAffectedMembers(
  deps: ReplayDeps,
  rows: Row[],
): Promise<SimulationResult['mostAffected']> {
  const contacts = await deps.contacts(rows.map((r) => num(r.member_id)));
  return rows.map((r) => {
    const memberId = num(r.member_id);
    const contact = contacts.get(memberId);
    return {
      memberId,
      name: contact?.nickname ? maskName(contact.nickname) : null,
      cardNo: contact?.cardNo ? maskCard(contact.cardNo) : null,
      actual: num(r.actual),
      simulated: num(r.simulated),
      delta: num(r.simulated) - num(r.actual),
    };
  });
}

/** Which points the proposal can change: orders (an earn rule differs), check-ins (the ladder differs). */
function changedParts(c: ReplayContext): { orders: boolean; checkins: boolean } {
  const today = currentProposal(c.today);
  const p = c.proposal;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const sorted = (r: Record<string, number>) =>
    Object.entries(r).sort(([a], [b]) => a.localeCompare(b));
  return {
    orders:
      p.pointsPerYuan !== today.pointsPerYuan ||
      p.perOrderCap !== today.perOrderCap ||
      !same(sorted(p.tierMultipliers), sorted(today.tierMultipliers)) ||
      !same(sorted(p.memberDayMultipliers), sorted(today.memberDayMultipliers)),
    checkins:
      p.checkinLadder.cycleDays !== today.checkinLadder.cycleDays ||
      !same(
        p.checkinLadder.rewards.map((r) => r.points),
        today.checkinLadder.rewards.map((r) => r.points),
      ),
  };
}

/** 张小三 → 张*三; 张三 → 张*. */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length <= 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** 880012341234 → 8800****1234. */
export function maskCard(cardNo: string): string {
  if (cardNo.length <= 8) return `${cardNo.slice(0, 2)}****`;
  return `${cardNo.slice(0, 4)}****${cardNo.slice(-4)}`;
}

async function writeScratch(
  deps: ReplayDeps,
  c: ReplayContext,
  windows: WindowRow[],
): Promise<void> {
  await deps.uow.run(async (tx) => {
    // Each member's tier over time: from each change until the next, and before the first change its from-tier.
    await tx.em.query(
      `INSERT INTO points_simulation_tier_span
         (run_id, member_id, tier_code, prev_tier, valid_from, settled_at, valid_to)
       SELECT ?, h.member_id, h.to_tier, h.from_tier, h.at, ${addSecondsSql(c.kind, 'h.at', SETTLE_SECONDS)},
         LEAD(h.at) OVER (PARTITION BY h.member_id ORDER BY h.at, h.id) FROM tier_history h`,
      [c.runId],
    );
    await tx.em.query(
      `INSERT INTO points_simulation_tier_span (run_id, member_id, tier_code, valid_from, valid_to)
       SELECT ?, f.member_id, f.from_tier, NULL, f.at FROM (
         SELECT h.member_id, h.from_tier, h.at,
           ROW_NUMBER() OVER (PARTITION BY h.member_id ORDER BY h.at, h.id) AS rn FROM tier_history h
       ) f WHERE f.rn = 1`,
      [c.runId],
    );
    await bulkInsert(
      tx.em,
      c.kind,
      'points_simulation_window',
      [
        'run_id',
        'member_day_id',
        'starts_at',
        'ends_at',
        'tier_code',
        'stage',
        'defined_at',
        'actual_multiplier',
        'simulated_multiplier',
      ],
      windows.map((w) => [
        c.runId,
        w.memberDayId,
        sqlInstant(c.kind, w.startsAt),
        sqlInstant(c.kind, w.endsAt),
        w.tierCode,
        w.stage,
        sqlInstant(c.kind, w.definedAt),
        w.actualMultiplier,
        w.simulatedMultiplier,
      ]),
    );
  });
}

export async function clearScratch(deps: Pick<ReplayDeps, 'uow'>, runId: number): Promise<void> {
  await deps.uow.run(async (tx) => {
    await tx.em.query('DELETE FROM points_simulation_tier_span WHERE run_id = ?', [runId]);
    await tx.em.query('DELETE FROM points_simulation_window WHERE run_id = ?', [runId]);
  });
}

const yuan = (points: number, costPerPoint: number) =>
  Math.round(points * costPerPoint * 100) / 100;

function figures(
  orders: number,
  refunds: number,
  checkins: number,
  costPerPoint: number,
): SimulationPointsFigures {
  const net = orders - refunds + checkins;
  return { orders, refunds, checkins, net, cost: yuan(net, costPerPoint) };
}

function comparison(s: Sums, costPerPoint: number) {
  return {
    actual: figures(s.aPts, s.aRef, s.aCheckin, costPerPoint),
    simulated: figures(s.sPts, s.sRef, s.sCheckin, costPerPoint),
  };
}

function assemble(
  deps: ReplayDeps,
  c: ReplayContext,
  byKey: Map<string, Sums>,
  mostAffected: SimulationResult['mostAffected'],
  ledger: Awaited<ReturnType<typeof ledgerFigures>>,
): SimulationResult {
  const cost = c.today.points.costPerPoint;
  const total = zero();
  const months = c.plan.months.map(() => zero());
  const tiers = new Map<string | null, Sums>();
  for (const [key, s] of byKey) {
    const [month, tier] = JSON.parse(key) as [number, string | null];
    add(total, s);
    add(months[month]!, s);
    if (!tiers.has(tier)) tiers.set(tier, zero());
    add(tiers.get(tier)!, s);
  }
  const kept = 1 - ledger.redeemedShare;
  return {
    costPerPoint: cost,
    replayed: { orders: total.orders, refunds: total.refunds, checkins: total.checkins },
    totals: comparison(total, cost),
    byMonth: c.plan.months.map((m, i) => ({ month: m.label, ...comparison(months[i]!, cost) })),
    byTier: [...tiers.entries()]
      .sort(([a], [b]) => tierRank(c, a) - tierRank(c, b))
      .map(([code, s]) => ({
        tierCode: code,
        tierName: code === null ? null : (deps.tierNames.get(code) ?? code),
        ...comparison(s, cost),
      })),
    liability: {
      actual: liability(total.aAlive * kept, cost),
      simulated: liability(total.sAlive * kept, cost),
      approximation: LIABILITY_NOTE(ledger.redeemedShare),
    },
    tiersAtEnd: ledger.tiersAtEnd,
    mostAffected,
  };
}

const tierRank = (c: ReplayContext, code: string | null) =>
  code === null ? -1 : c.today.tiers.findIndex((t) => t.code === code);

function liability(points: number, cost: number) {
  const p = Math.max(0, Math.round(points));
  return { points: p, value: yuan(p, cost) };
}
