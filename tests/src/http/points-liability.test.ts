import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ApiClient, addDays, brandDay, routes, startOfBrandDay } from '@huoyue/shared';
import { UnitOfWork } from '@huoyue/server/dist/infra/events/unit-of-work.js';
import { PointsService } from '@huoyue/server/dist/modules/points/points.service.js';
import { expectError, joinedMember, runJobAt, staffLogin } from '../support/flows.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

const L = routes.liability;
const P = routes.points;

/**
 * A hand-computed ledger (docs/points-liability.md). N is the current brand-local month; cohorts are issued in
 * months N−5 (A), N−4 (B) and N−1 (C), by orders at controlled paidAt; spends are the ledger's own debit at
 * controlled instants; the expiry is the expiry job run as of a past day.
 *
 *   N−5 d10  P earns 600 (rule: expire after 60 days), Q earns 900, U earns 500   → A issued 2,000
 *   N−4 d10  Q earns 90, R earns 950                                             → B issued 1,040
 *   N−4 d15  P spends 200 (A, age 1);  N−4 d20  Q spends 300 (A, age 1)
 *   N−3 d10  R spends 450 (B, age 1);  N−3 d20  the expiry job: P's 400 left expire (A, age 2)
 *   N−2 d05  Q spends 650: 600 from A (age 3), then 50 from B (age 2) — FIFO across Q's two lots
 *   N−1 d10  S earns 800, T earns 400 → C issued 1,200;  N−1 d20  S spends 100 (C, age 0)
 *   now      U spends 250 (A, age 5); V's order of 300 waits in its protection period (pending)
 *
 * Cumulative redeemed by age: A 0 500 500 1100 1100 1350 (expired 0 0 400 400 400 400), B 0 450 500 500 500, C 100 100.
 * Factors: f0 = 1050/100 = 10.5, f1 = 1000/950 = 1.052632, f2 = 1600/1000 = 1.6, f3 = 1, f4 = 1350/1100 = 1.227273.
 * A (age 5, tail 1): ultimate 1350 = 67.5 %, outstanding 250 → breakage 250.
 * B (age 4): 500 × 1.227273 = 613.6365 = 59.0035 %, outstanding 540 → future 114, breakage 426.
 * C (age 1): too young, outstanding 1100 all expected to be redeemed.
 * Outstanding 1,890 (= 4,240 earned − 2,350 out), breakage 676, net 1,214; at ¥0.006: ¥11.34 gross, ¥7.28 net.
 */
describe('points liability and breakage (chain ladder) on a hand-computed ledger', () => {
  let server: TestServer;
  let owner: ApiClient;
  let tz: string;
  let n: number;
  let seq = 0;

  const monthOf = (day: string) => Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;
  const label = (m: number) => `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
  /** Brand-local noon of day `d` of month N − `back`. */
  const at = (back: number, d: number) =>
    new Date(
      startOfBrandDay(`${label(n - back)}-${String(d).padStart(2, '0')}`, tz).getTime() +
        12 * 3_600_000,
    );
  const order = (memberId: number, yuan: number, paidAt: Date) =>
    owner.call(P.createOrder, {
      body: {
        orderNo: `LIAB-${process.pid}-${++seq}`,
        member: { id: memberId },
        amount: yuan * 100,
        paidAt: paidAt.toISOString(),
      },
    });
  const spend = (memberId: number, points: number, when: Date) =>
    server.app.get(UnitOfWork).run((tx) =>
      server.app.get(PointsService).debit(tx, {
        memberId,
        key: `liab-spend:${process.pid}:${++seq}`,
        type: 'spend',
        sourceType: 'mall',
        points,
        at: when,
      }),
    );
  const setRules = async (patch: Record<string, unknown>) => {
    const rules = await owner.call(P.getRules);
    await owner.call(P.putRules, { body: { ...rules, ...patch } as never });
  };

  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
    tz = server.config.brandTimezone;
    n = monthOf(brandDay(new Date(), tz));
    const [p, q, r, s, t, u, v] = await Promise.all(
      Array.from({ length: 7 }, (_, i) => joinedMember(server, `负债会员${i}`)),
    ).then((ms) => ms.map((m) => m.member.id));
    await setRules({ costPerPoint: 0.006, expiry: { kind: 'days', days: 60 } });
    await order(p!, 600, at(5, 10));
    await setRules({ expiry: { kind: 'end_of_next_year' } });
    await order(q!, 900, at(5, 10));
    await order(u!, 500, at(5, 10));
    await order(q!, 90, at(4, 10));
    await order(r!, 950, at(4, 10));
    await spend(p!, 200, at(4, 15));
    await spend(q!, 300, at(4, 20));
    await spend(r!, 450, at(3, 10));
    assert.equal((await runJobAt(server, 'points.expire', at(3, 20))).affected, 1);
    await spend(q!, 650, at(2, 5));
    await order(s!, 800, at(1, 10));
    await order(t!, 400, at(1, 10));
    await spend(s!, 100, at(1, 20));
    await spend(u!, 250, new Date());
    await setRules({ pendingDays: 7 });
    await order(v!, 300, new Date());
  });
  after(async () => server.stop());

  it('breakage: the triangle, the volume-weighted factors, ultimate rates and status per cohort', async () => {
    const b = await owner.call(L.breakage, { query: {} });
    assert.deepEqual(
      b.factors.map((f) => [f.fromAge, f.toAge, f.factor, f.cohorts]),
      [
        [0, 1, 10.5, 3],
        [1, 2, 1.052632, 2],
        [2, 3, 1.6, 2],
        [3, 4, 1, 2],
        [4, 5, 1.227273, 1],
      ],
    );
    assert.deepEqual(
      b.cohorts.map((c) => [
        c.month,
        c.issued,
        c.redeemed,
        c.expired,
        c.reversed,
        c.outstanding,
        c.age,
        c.status,
      ]),
      [
        [label(n - 5), 2000, 1350, 400, 0, 250, 5, 'projected'],
        [label(n - 4), 1040, 500, 0, 0, 540, 4, 'projected'],
        [label(n - 1), 1200, 100, 0, 0, 1100, 1, 'too_young'],
      ],
    );
    const [a, bb, c] = b.cohorts;
    assert.deepEqual(a!.redeemedShare, [0, 0.25, 0.25, 0.55, 0.55, 0.675]);
    assert.deepEqual(a!.expiredShare, [0, 0, 0.2, 0.2, 0.2, 0.2]);
    assert.deepEqual(bb!.redeemedShare, [0, 0.432692, 0.480769, 0.480769, 0.480769]);
    assert.deepEqual(c!.redeemedShare, [0.083333, 0.083333]);
    assert.deepEqual(
      b.cohorts.map((x) => [x.ultimateRate, x.futureRedemption, x.expectedBreakage]),
      [
        [0.675, 0, 250],
        [0.590035, 114, 426],
        [null, 1100, 0],
      ],
    );
    assert.deepEqual(b.totals, {
      issued: 4240,
      redeemed: 1950,
      expired: 400,
      reversed: 0,
      outstanding: 1890,
      futureRedemption: 1214,
      expectedBreakage: 676,
    });
  });

  it('liability: outstanding, value, pending and expired apart, net of breakage, by expiry month, tier and over time', async () => {
    const l = await owner.call(L.liability, { query: {} });
    assert.deepEqual(
      [
        l.costPerPoint,
        l.outstanding,
        l.value,
        l.pending,
        l.expired,
        l.expectedBreakage,
        l.netPoints,
        l.netLiability,
      ],
      [0.006, 1890, 11.34, 300, 400, 676, 1214, 7.28],
    );
    // Points earned in year Y last until the end of Y + 1: A's 250, B's 40 + 500, C's 700 + 400.
    const expected = new Map<string, number>();
    for (const [back, points] of [
      [5, 250],
      [4, 540],
      [1, 1100],
    ] as const) {
      const month = `${Math.floor((n - back) / 12) + 1}-12`;
      expected.set(month, (expected.get(month) ?? 0) + points);
    }
    assert.deepEqual(
      l.byExpiry.map((e) => [e.month, e.points]),
      [...expected].sort(([x], [y]) => x.localeCompare(y)),
    );
    assert.deepEqual(
      l.byTier.map((t) => t.points),
      [1890],
      'every member is still in the entry tier',
    );
    assert.equal(l.series.length, 24);
    assert.deepEqual(
      l.series.slice(-7).map((s) => [s.month, s.outstanding]),
      [
        [label(n - 6), 0],
        [label(n - 5), 2000],
        [label(n - 4), 2540],
        [label(n - 3), 1690],
        [label(n - 2), 1040],
        [label(n - 1), 2140],
        [label(n), 1890],
      ],
    );
  });

  it('as of an earlier day: the series and the cohorts stop there', async () => {
    const asOf = addDays(brandDay(at(2, 5), tz), 1);
    const b = await owner.call(L.breakage, { query: { asOf } });
    assert.deepEqual(
      b.cohorts.map((c) => [c.month, c.redeemed, c.expired, c.outstanding, c.age]),
      [
        [label(n - 5), 1100, 400, 500, 3],
        [label(n - 4), 500, 0, 540, 2],
      ],
    );
    const l = await owner.call(L.liability, { query: { asOf } });
    assert.equal(l.outstanding, 1040);
    assert.equal(l.series[l.series.length - 1]!.month, label(n - 2));
  });

  it('exports the expiry calendar and the cohort table as CSV', async () => {
    const { token } = await server
      .client()
      .call(routes.staff.login, { body: { username: ADMIN.username, password: ADMIN.password } });
    const res = await fetch(`${server.apiUrl}/admin/points/liability/export`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/csv/);
    const text = (await res.text()).replace(/^\ufeff/, '');
    assert.match(text, /积分到期日历/);
    assert.match(text, new RegExp(`${label(n - 4)},1040,500,0,0,540,4,已预测,0.590035,114,426`));
    assert.match(text, new RegExp(`${label(n - 1)},1200,100,0,0,1100,1,发放不足3个月,,1100,0`));
  });

  it('clerks are refused; a malformed or future day is 400', async () => {
    await owner.call(routes.staff.createStore, { body: { code: 'LB01', name: '负债测试店' } });
    await owner.call(routes.staff.create, {
      body: { username: 'liab-clerk', password: 'liab-clerk-pw', role: 'clerk', storeCode: 'LB01' },
    });
    const clerk = await staffLogin(server, 'liab-clerk', 'liab-clerk-pw');
    await expectError(clerk.call(L.liability, { query: {} }), 403, 'FORBIDDEN');
    await expectError(clerk.call(L.breakage, { query: {} }), 403, 'FORBIDDEN');
    await expectError(
      owner.call(L.liability, { query: { asOf: '2026-13-01' } }),
      400,
      'VALIDATION_FAILED',
    );
    const tomorrow = addDays(brandDay(new Date(), tz), 2);
    await expectError(
      owner.call(L.breakage, { query: { asOf: tomorrow } }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      owner.call(L.liability, { query: { month: 'x' } as never }),
      400,
      'VALIDATION_FAILED',
    );
  });
});
