import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { computeOrderPoints } from '@huoyue/server/dist/modules/points/points-rules.js';
import {
  addDays,
  brandDay,
  routes,
  startOfBrandDay,
  type ApiClient,
  type SimulationView,
} from '@huoyue/shared';
import { brandTime, expectError, joinedMember, staffLogin } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const S = routes.simulator;
let seq = 0;
const orderNo = () => `SIM${process.pid}-${Date.now().toString(36)}-${++seq}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a run and polls it to the end, as the console does. */
interface StartBody {
  name?: string;
  window?: { from: string; to: string };
  proposal: Record<string, unknown>;
}

async function simulate(api: ApiClient, body: StartBody): Promise<SimulationView> {
  const started = await api.call(S.start, { body: body as never });
  assert.ok(['queued', 'running', 'done'].includes(started.status));
  for (let i = 0; i < 600; i++) {
    const run = await api.call(S.get, { params: { id: started.id } });
    if (run.status === 'done' || run.status === 'failed') {
      assert.equal(run.error, null, `run failed: ${run.error}`);
      return run;
    }
    await sleep(50);
  }
  throw new Error('simulation did not finish');
}

/** The real ledger's points for the window: order earnings, refund take-backs (with what became owed), check-ins. */
async function ledgerIssued(server: TestServer, from: string, to: string) {
  const tz = server.config.brandTimezone;
  const ds = server.dataSource;
  const start = startOfBrandDay(from, tz);
  const end = startOfBrandDay(addDays(to, 1), tz);
  const orders = (await ds.query(
    "SELECT order_no, amount, paid_at, channel FROM orders WHERE channel IN ('api', 'integration')",
  )) as { order_no: string; paid_at: string | Date }[];
  const inWindow = new Set(
    orders
      .filter((o) => {
        const at = new Date(
          typeof o.paid_at === 'string' ? `${o.paid_at.replace(' ', 'T')}Z` : o.paid_at,
        );
        return at >= start && at < end;
      })
      .map((o) => o.order_no),
  );
  const entries = (await ds.query(
    "SELECT type, points, source_type, source_ref FROM points_entry WHERE source_type IN ('order', 'refund')",
  )) as { type: string; points: number; source_type: string; source_ref: string }[];
  const earned = entries
    .filter((e) => e.source_type === 'order' && inWindow.has(e.source_ref))
    .reduce((s, e) => s + Number(e.points), 0);
  const refunds = (await ds.query(
    'SELECT order_no, points_reversed, points_owed FROM order_refund',
  )) as {
    order_no: string;
    points_reversed: number;
    points_owed: number;
  }[];
  const takenBack = refunds
    .filter((r) => inWindow.has(r.order_no))
    .reduce((s, r) => s + Number(r.points_reversed) + Number(r.points_owed), 0);
  const checkinEntries = (await ds.query(
    "SELECT COALESCE(SUM(points), 0) AS n FROM points_entry WHERE source_type = 'checkin'",
  )) as { n: number }[];
  return { orders: earned, refunds: takenBack, checkins: Number(checkinEntries[0]!.n) };
}

describe('points rule simulator: a generated brand through the real API paths', () => {
  let server: TestServer;
  let owner: ApiClient;
  const tz = () => server.config.brandTimezone;
  const today = () => brandDay(new Date(), tz());
  const at = (day: string, hhmm: string) => brandTime(tz(), day, hhmm);
  const orderNos: string[] = [];
  const order = async (memberId: number, amount: number, paidAt: string) => {
    const no = orderNo();
    orderNos.push(no);
    const o = await owner.call(routes.points.createOrder, {
      body: { orderNo: no, member: { id: memberId }, amount, paidAt },
    });
    // Upgrades follow the order (after its answer): let them land, a second apart from the next order (SQLite
    // keeps an order's creation to the second).
    await sleep(1100);
    return o;
  };
  let window: { from: string; to: string };

  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
    const day = (n: number) => addDays(today(), -n);
    window = { from: day(60), to: today() };
    await owner.call(routes.memberDays.create, {
      body: {
        name: '双倍积分日',
        schedule: { kind: 'dates', dates: [day(40), day(20)] },
        startTime: '10:00',
        endTime: '22:00',
        benefits: { pointsMultiplier: 2 },
      },
    });
    await owner.call(routes.memberDays.create, {
      body: {
        name: '银卡三倍日',
        schedule: { kind: 'dates', dates: [day(10)] },
        startTime: '00:00',
        endTime: '24:00',
        audience: { tiers: ['silver'] },
        benefits: { pointsMultiplier: 3 },
      },
    });
    const members = [];
    for (let i = 0; i < 4; i++) members.push(await joinedMember(server, `模拟会员${i}`));
    const [a, b, c, d] = members.map((m) => m.member.id) as [number, number, number, number];
    // Before the window: a is silver already (1,000 yuan of growth).
    await order(a, 120_000, at(day(90), '12:00'));
    await order(a, 19_999, at(day(40), '12:00')); // member day: × 2, silver × 1.2
    await order(a, 5_000, at(day(10), '09:00')); // the silver day: × 3
    await order(b, 88_800, at(day(40), '09:59')); // just before the window opens
    await order(b, 30_000, at(day(30), '12:00')); // b turns silver with this one
    await order(b, 12_345, at(day(10), '12:00')); // silver now: the silver day counts
    await order(c, 520_000, at(day(50), '12:00')); // c turns gold
    await order(c, 7_777, at(day(20), '21:59')); // gold × 1.5, member day × 2
    await order(d, 2_599, at(day(5), '12:00'));
    const refundable = await order(d, 10_000, at(day(3), '12:00'));
    await owner.call(routes.points.refund, {
      params: { orderNo: refundable.orderNo },
      body: { refundNo: `${refundable.orderNo}-R1`, amount: 3_333 },
    });
    await owner.call(routes.points.refund, {
      params: { orderNo: orderNos[5]! },
      body: { refundNo: `${orderNos[5]}-R1`, amount: 12_345 },
    });
    for (const m of members.slice(0, 3)) await m.api.call(routes.engagement.checkin, { body: {} });
  });
  after(async () => server.stop());

  it('with today’s rules reproduces the real ledger’s issued points exactly', async () => {
    const run = await simulate(owner, { window, proposal: {} });
    // Who started it, by the name staff know each other by (the first owner's), never the login name.
    assert.equal(run.createdBy?.name, '品牌管理员');
    const r = run.result!;
    const ledger = await ledgerIssued(server, window.from, window.to);
    assert.ok(
      ledger.orders > 0 && ledger.refunds > 0 && ledger.checkins > 0,
      JSON.stringify(ledger),
    );
    for (const side of [r.totals.actual, r.totals.simulated]) {
      assert.equal(side.orders, ledger.orders, 'order points');
      assert.equal(side.refunds, ledger.refunds, 'refund take-backs');
      assert.equal(side.checkins, ledger.checkins, 'check-in points');
    }
    assert.equal(r.replayed.orders, 9, 'the orders paid in the window');
    assert.deepEqual(r.mostAffected, [], 'nobody is affected by today’s rules');
    for (const m of r.byMonth) assert.deepEqual(m.actual, m.simulated, m.month);
    for (const t of r.byTier) assert.deepEqual(t.actual, t.simulated, String(t.tierCode));
    assert.ok(
      r.byTier.some((t) => t.tierCode === 'silver') && r.byTier.some((t) => t.tierCode === 'gold'),
    );
    assert.deepEqual(r.liability.actual, r.liability.simulated);
    assert.equal(r.tiersAtEnd, null);
    const listed = await owner.call(S.list);
    assert.equal(listed.items[0]!.id, run.id);
  });

  it('a doubled earn rate doubles order points (computeOrderPoints order by order) and nothing else', async () => {
    const current = await owner.call(S.current);
    const run = await simulate(owner, {
      window,
      proposal: { pointsPerYuan: current.pointsPerYuan * 2 },
    });
    const r = run.result!;
    // The same figure order by order, from each order's own breakdown (tier multiplier and member-day bonus).
    let expected = 0;
    let refunded = 0;
    for (const no of orderNos) {
      const o = await owner.call(routes.points.getOrder, { params: { orderNo: no } });
      const paid = new Date(o.paidAt);
      if (paid < startOfBrandDay(window.from, tz())) continue;
      const b = o.breakdown!;
      const doubled = computeOrderPoints(
        o.amount,
        { pointsPerYuan: current.pointsPerYuan * 2, perOrderCap: current.perOrderCap },
        b.tierMultiplier,
        b.bonuses,
      ).total;
      expected += doubled;
      refunded +=
        o.refundedAmount === o.amount
          ? doubled
          : Math.floor((doubled * o.refundedAmount) / o.amount);
    }
    assert.equal(r.totals.simulated.orders, expected);
    assert.equal(r.totals.simulated.refunds, refunded);
    assert.ok(
      Math.abs(r.totals.simulated.orders - 2 * r.totals.actual.orders) <= r.replayed.orders,
    );
    assert.equal(r.totals.simulated.checkins, r.totals.actual.checkins, 'check-ins unchanged');
    assert.ok(r.mostAffected.length > 0);
    assert.ok(r.mostAffected.every((m) => m.delta > 0 && m.delta === m.simulated - m.actual));
    assert.match(r.mostAffected[0]!.name ?? '', /^模\*+\d$/);
    assert.ok(r.totals.simulated.cost > r.totals.actual.cost);
  });

  it('a longer check-in ladder changes check-in points only; a tier ladder shows members by tier at the end', async () => {
    const current = await owner.call(S.current);
    const rewards = current.checkinLadder.rewards.map((x) => ({ ...x, points: x.points + 7 }));
    const run = await simulate(owner, {
      window,
      proposal: {
        checkinLadder: { cycleDays: rewards.length, rewards },
        tierLadder: [
          { code: 'normal', growthThreshold: 0 },
          { code: 'silver', growthThreshold: 500 },
          { code: 'gold', growthThreshold: 3000 },
          { code: 'diamond', growthThreshold: 4000 },
        ],
      },
    });
    const r = run.result!;
    assert.equal(r.totals.simulated.orders, r.totals.actual.orders);
    assert.equal(r.totals.simulated.checkins, r.totals.actual.checkins + 7 * r.replayed.checkins);
    const tiers = r.tiersAtEnd!;
    assert.ok(tiers.length >= 4);
    assert.equal(
      tiers.reduce((s, t) => s + t.actual, 0),
      tiers.reduce((s, t) => s + t.simulated, 0),
    );
    assert.equal(tiers.find((t) => t.code === 'diamond')!.simulated, 1, 'c: 5,277 of growth');
  });

  it('refuses a bad window, cashiers, operators applying; an owner’s apply writes audited rule changes', async () => {
    await expectError(
      owner.call(S.start, {
        body: { window: { from: today(), to: addDays(today(), -1) }, proposal: {} },
      }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      owner.call(S.start, {
        body: { window: { from: today(), to: addDays(today(), 1) }, proposal: {} },
      }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      owner.call(S.start, { body: { proposal: { tierMultipliers: { nope: 2 } } } }),
      400,
      'VALIDATION_FAILED',
    );
    await owner.call(routes.staff.createStore, { body: { code: 'SIM1', name: '模拟店' } });
    await owner.call(routes.staff.create, {
      body: { username: 'sim-clerk', password: 'clerk-pass-1', role: 'clerk', storeCode: 'SIM1' },
    });
    await owner.call(routes.staff.create, {
      body: { username: 'sim-op', password: 'operator-pass', role: 'operator' },
    });
    const clerk = await staffLogin(server, 'sim-clerk', 'clerk-pass-1');
    const op = await staffLogin(server, 'sim-op', 'operator-pass');
    await expectError(clerk.call(S.start, { body: { proposal: {} } }), 403, 'FORBIDDEN');
    await expectError(clerk.call(S.list), 403, 'FORBIDDEN');
    const current = await owner.call(S.current);
    const dayId = Object.keys(current.memberDayMultipliers)[0]!;
    const run = await simulate(op, {
      name: '试试 1.5 倍',
      window,
      proposal: {
        pointsPerYuan: 1.5,
        perOrderCap: 5000,
        tierMultipliers: { gold: 1.8 },
        memberDayMultipliers: { [dayId]: 2.5 },
        expiry: { kind: 'days', days: 365 },
        tierLadder: [
          { code: 'normal', growthThreshold: 0 },
          { code: 'silver', growthThreshold: 800 },
          { code: 'gold', growthThreshold: 6000 },
          { code: 'diamond', growthThreshold: 30000 },
        ],
      },
    });
    await expectError(op.call(S.apply, { params: { id: run.id } }), 403, 'FORBIDDEN');
    const applied = await owner.call(S.apply, { params: { id: run.id } });
    assert.ok(applied.appliedAt);
    const rules = await owner.call(routes.points.getRules);
    assert.equal(rules.pointsPerYuan, 1.5);
    assert.equal(rules.perOrderCap, 5000);
    assert.deepEqual(rules.expiry, { kind: 'days', days: 365 });
    const tiers = (await owner.call(routes.points.listTiers)).items;
    assert.equal(tiers.find((t) => t.code === 'gold')!.benefits.pointsMultiplier, 1.8);
    assert.deepEqual(
      tiers.map((t) => t.growthThreshold),
      [0, 800, 6000, 30000],
    );
    const days = (await owner.call(routes.memberDays.list)).items;
    assert.equal(days.find((d) => String(d.id) === dayId)!.benefits.pointsMultiplier, 2.5);
    const audits = (await server.dataSource.query(
      'SELECT action FROM audit_log ORDER BY id DESC LIMIT 20',
    )) as { action: string }[];
    const actions = audits.map((a) => a.action);
    for (const action of [
      'points.rules.update',
      'tier.update',
      'member_day.update',
      'points.simulation.apply',
    ])
      assert.ok(actions.includes(action), `${action} in ${actions.join(', ')}`);
    // Today's rules are now the proposal: a run with them changes nothing.
    const again = await owner.call(S.current);
    assert.equal(again.pointsPerYuan, 1.5);
    assert.equal(again.memberDayMultipliers[dayId], 2.5);
    await expectError(owner.call(S.apply, { params: { id: run.id } }), 409, 'CONFLICT');
    await expectError(owner.call(S.get, { params: { id: 999_999 } }), 404, 'NOT_FOUND');
  });
});

describe('points rule simulator: the demo brand', () => {
  let server: TestServer;
  let owner: ApiClient;
  before(async () => {
    server = await startTestServer({ DEMO_DATA: 'true' });
    owner = await staffLogin(server);
  });
  after(async () => server.stop());

  it('with today’s rules reproduces the ledger for the last 12 months; a doubled rate doubles order points only', async () => {
    const tz = server.config.brandTimezone;
    const t = brandDay(new Date(), tz);
    const window = { from: addDays(t, -365), to: t };
    const run = await simulate(owner, { window, proposal: {} });
    const r = run.result!;
    const ledger = await ledgerIssued(server, window.from, window.to);
    assert.ok(r.replayed.orders > 100, `orders: ${r.replayed.orders}`);
    assert.equal(r.totals.actual.orders, ledger.orders);
    assert.equal(r.totals.simulated.orders, ledger.orders);
    assert.equal(r.totals.simulated.refunds, ledger.refunds);
    assert.deepEqual(r.totals.simulated, r.totals.actual);
    assert.deepEqual(r.mostAffected, []);
    const doubled = await simulate(owner, { window, proposal: { pointsPerYuan: 2 } });
    const d = doubled.result!;
    assert.ok(d.totals.simulated.orders >= 2 * d.totals.actual.orders - d.replayed.orders);
    assert.ok(d.totals.simulated.orders <= 2 * d.totals.actual.orders + d.replayed.orders);
    assert.equal(d.totals.simulated.checkins, d.totals.actual.checkins);
    assert.equal(d.mostAffected.length, 20);
  });
});
