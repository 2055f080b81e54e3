import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brandDay, routes, type ApiClient } from '@huoyue/shared';
import { joinedMember, staffLogin } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('dashboard series: stages over time, stage flows, daily activity', () => {
  let server: TestServer;
  let owner: ApiClient;
  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
  });
  after(async () => server.stop());

  it('counts what happened today, by brand-local day', async () => {
    const today = brandDay(new Date(), server.config.brandTimezone);
    const [a, b] = [await joinedMember(server), await joinedMember(server)];
    await a.api.call(routes.engagement.checkin, { body: {} });
    for (const m of [a, b])
      await owner.call(routes.points.createOrder, {
        body: {
          orderNo: `DB-${m.member.id}-${Date.now()}`,
          member: { id: m.member.id },
          amount: 5_000,
          paidAt: new Date().toISOString(),
        },
      });
    await owner.call(routes.lifecycle.recompute, { body: {} });

    const daily = await owner.call(routes.engagement.dailyActivity, { query: { days: 7 } });
    assert.equal(daily.items.length, 7);
    const t = daily.items.at(-1)!;
    assert.equal(t.day, today);
    assert.deepEqual([t.checkins, t.purchases, t.redemptions], [1, 2, 0]);
    const ladder = await owner.call(routes.engagement.getCheckinRules);
    assert.ok(
      t.pointsIssued >= 50 + 50 + ladder.rewards[0]!.points,
      `points issued today: ${t.pointsIssued}`,
    );

    const snapshots = await owner.call(routes.lifecycle.snapshots, { query: { days: 30 } });
    const todays = snapshots.items.filter((s) => s.day === today);
    assert.equal(todays.find((s) => s.stage === 'active')?.members, 2);
    const flows = await owner.call(routes.lifecycle.flows, { query: {} });
    assert.equal(flows.month, today.slice(0, 7));
    assert.deepEqual(
      flows.items.filter((f) => f.from === 'potential' && f.to === 'new').map((f) => f.members),
      [2],
    );
    assert.deepEqual(
      flows.items.filter((f) => f.from === 'new' && f.to === 'active').map((f) => f.members),
      [2],
    );
  });

  it("shows staff a member's coupons and badges", async () => {
    const template = await owner.call(routes.coupons.createTemplate, {
      body: { name: '员工视图券', kind: 'cash', value: 500, validity: { kind: 'days', days: 10 } },
    });
    const m = await joinedMember(server);
    await m.api.call(routes.coupons.claim, { body: { templateId: template.id } });
    await m.api.call(routes.engagement.checkin, { body: {} });
    const coupons = await owner.call(routes.coupons.memberCoupons, {
      params: { id: m.member.id },
      query: {},
    });
    assert.deepEqual(
      coupons.items.map((c) => c.name),
      ['员工视图券'],
    );
    assert.deepEqual(
      (
        await owner.call(routes.coupons.memberCoupons, {
          params: { id: m.member.id },
          query: { status: 'used' },
        })
      ).items,
      [],
    );
    const badges = await owner.call(routes.engagement.memberBadges, {
      params: { id: m.member.id },
    });
    const own = await m.api.call(routes.engagement.myBadges);
    assert.deepEqual(badges, own, 'staff see what the member sees');
  });
});
