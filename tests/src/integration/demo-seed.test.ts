import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkLedger } from '@huoyue/server/dist/modules/points/ledger-check.js';
import { routes } from '@huoyue/shared';
import { loginVisitor } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('the demo brand that npm start seeds', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ DEMO_DATA: 'true' });
  });
  after(async () => server.stop());

  const one = async <T>(sql: string) => ((await server.dataSource.query(sql)) as T[])[0]!;
  /** An instant column as the brand-local (UTC+8) date text, in either dialect. */
  const dayOf = (column: string) =>
    server.config.database.kind === 'mysql'
      ? `DATE_FORMAT(DATE_ADD(${column}, INTERVAL 8 HOUR), '%Y-%m-%d')`
      : `DATE(${column}, '+8 hours')`;

  it('has members in every stage, with orders through the real path: ledger, tiers, badges', async () => {
    const stages = (await server.dataSource.query(
      'SELECT stage, COUNT(*) AS n FROM member GROUP BY stage',
    )) as { stage: string; n: number }[];
    assert.deepEqual(stages.map((s) => s.stage).sort(), [
      'active',
      'dormant',
      'lost',
      'new',
      'potential',
      'silent',
    ]);
    const orders = await one<{ n: number }>('SELECT COUNT(*) AS n FROM orders');
    assert.ok(Number(orders.n) > 500, `orders: ${orders.n}`);
    const entries = await one<{ n: number }>(
      "SELECT COUNT(*) AS n FROM points_entry WHERE type = 'earn'",
    );
    assert.equal(Number(entries.n), Number(orders.n), 'every order earned points in the ledger');
    const upgraded = await one<{ n: number }>(
      "SELECT COUNT(*) AS n FROM member WHERE tier_code IN ('silver', 'gold', 'diamond')",
    );
    assert.ok(
      Number(upgraded.n) > 0,
      'growth moved members up the ladder (listeners were bound before the seed)',
    );
    const badges = await one<{ n: number }>('SELECT COUNT(*) AS n FROM member_badge');
    assert.ok(Number(badges.n) > 0, 'badges were awarded from the orders');
    assert.deepEqual((await checkLedger(server.dataSource)).discrepancies, []);
  });

  it('spreads its history over time as it would have happened: points by day, stage changes by day', async () => {
    const days = (await server.dataSource.query(
      `SELECT SUBSTR(${dayOf('created_at')}, 1, 10) AS day, SUM(points) AS n FROM points_entry
       WHERE type IN ('earn', 'reward') GROUP BY SUBSTR(${dayOf('created_at')}, 1, 10)`,
    )) as { day: string; n: number }[];
    const issued = days.reduce((s, d) => s + Number(d.n), 0);
    const top = Math.max(...days.map((d) => Number(d.n)));
    assert.ok(days.length > 300, `points issued on ${days.length} days`);
    assert.ok(top < issued * 0.05, `the busiest day holds ${top} of ${issued} points issued`);
    const expired = (await server.dataSource.query(
      `SELECT COUNT(DISTINCT SUBSTR(${dayOf('created_at')}, 1, 10)) AS days, COUNT(*) AS n
       FROM points_entry WHERE type = 'expire'`,
    )) as { days: number; n: number }[];
    assert.ok(Number(expired[0]!.n) > 0, 'some points already expired');
    const moves = (await server.dataSource.query(
      'SELECT day, COUNT(*) AS n FROM lifecycle_transition GROUP BY day',
    )) as { day: string; n: number }[];
    const total = moves.reduce((s, m) => s + Number(m.n), 0);
    assert.ok(moves.length > 60, `stage changes on ${moves.length} days`);
    assert.ok(
      Math.max(...moves.map((m) => Number(m.n))) < total * 0.1,
      'no single day holds more than a tenth of the stage changes',
    );
    const snapshots = (await server.dataSource.query(
      'SELECT COUNT(DISTINCT day) AS n FROM lifecycle_snapshot',
    )) as { n: number }[];
    assert.ok(Number(snapshots[0]!.n) >= 60, 'a snapshot per day for the dashboard');
  });

  it('gives a newcomer in the member app something to do: coupons to claim, a mall, a member day coming', async () => {
    const visitor = await loginVisitor(server);
    const center = await visitor.api.call(routes.coupons.center);
    const wednesday = (await visitor.api.call(routes.memberDays.current)).current !== null;
    assert.ok(
      center.items.length >= 2 && center.items.every((c) => c.canClaim),
      'claimable coupons in the center',
    );
    assert.equal(
      center.items.some((c) => c.name === '会员日满100减30'),
      wednesday,
      'the member day’s exclusive coupon only while it is on',
    );
    const mall = await visitor.api.call(routes.mall.items);
    assert.ok(
      mall.items.some((i) => i.kind === 'coupon') &&
        mall.items.some((i) => i.memberDayOnly) &&
        mall.items.some((i) => i.cashPrice > 0),
      'coupon, member-day and points + cash items',
    );
    const [current, next] = [
      await visitor.api.call(routes.memberDays.current),
      await visitor.api.call(routes.memberDays.next),
    ];
    assert.ok(
      current.current?.name === '周三会员日' || next.next?.name === '周三会员日',
      'the weekly member day is on or coming',
    );
  });
});
