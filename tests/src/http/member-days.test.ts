import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addDays, brandDay, routes, startOfBrandDay, type ApiClient } from '@huoyue/shared';
import { MemberDaysService } from '@huoyue/server/dist/modules/memberdays/member-days.service.js';
import { expectError, joinedMember, staffLogin } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const D = routes.memberDays;
let seq = 0;
const orderNo = () => `MD${process.pid}-${Date.now().toString(36)}-${++seq}`;

describe('member days: windows, benefits, scheduling, reports', () => {
  let server: TestServer;
  let owner: ApiClient;
  const tz = () => server.config.brandTimezone;
  const today = () => brandDay(new Date(), tz());
  /** A brand-local wall time on a day, as an ISO instant. */
  const at = (day: string, hhmm: string) =>
    new Date(
      startOfBrandDay(day, tz()).getTime() +
        (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * 60_000,
    ).toISOString();
  const order = (memberId: number, paidAt: string, amount = 10_000) =>
    owner.call(routes.points.createOrder, {
      body: { orderNo: orderNo(), member: { id: memberId }, amount, paidAt },
    });
  const events = async (name: string, occurrenceId: number) =>
    (
      (await server.dataSource.query('SELECT payload FROM domain_event WHERE name = ?', [
        name,
      ])) as { payload: string }[]
    )
      .map((r) => JSON.parse(r.payload) as { occurrenceId: number })
      .filter((p) => p.occurrenceId === occurrenceId).length;

  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
  });
  after(async () => server.stop());

  it('validates definitions', async () => {
    await expectError(
      owner.call(D.create, {
        body: {
          name: '倒挂',
          schedule: { kind: 'weekly', weekday: 3 },
          startTime: '12:00',
          endTime: '10:00',
          benefits: {},
        },
      }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      owner.call(D.create, {
        body: {
          name: '坏日',
          schedule: { kind: 'monthly', day: 32 },
          startTime: '10:00',
          endTime: '12:00',
          benefits: {},
        },
      }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      owner.call(D.create, {
        body: {
          name: '倍数',
          schedule: { kind: 'weekly', weekday: 3 },
          startTime: '10:00',
          endTime: '12:00',
          benefits: { pointsMultiplier: 20 },
        },
      }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('multiplies order points only inside the window', async () => {
    const yesterday = addDays(today(), -1);
    await owner.call(D.create, {
      body: {
        name: '双倍积分日',
        schedule: { kind: 'dates', dates: [yesterday] },
        startTime: '10:00',
        endTime: '12:00',
        benefits: { pointsMultiplier: 2 },
      },
    });
    const m = await joinedMember(server);
    const points = [];
    for (const t of ['09:59', '10:00', '11:59', '12:00'])
      points.push((await order(m.member.id, at(yesterday, t))).points);
    assert.deepEqual(points, [100, 200, 200, 100]);
    const inside = await order(m.member.id, at(yesterday, '11:00'));
    assert.deepEqual(inside.breakdown?.bonuses, [{ name: '会员日·双倍积分日', multiplier: 2 }]);
  });

  it('gives the check-in bonus during the day, shows current and next, and respects the audience', async () => {
    const allDay = await owner.call(D.create, {
      body: {
        name: '今日会员日',
        schedule: { kind: 'dates', dates: [today()] },
        startTime: '00:00',
        endTime: '24:00',
        benefits: { checkinBonusPoints: 5, pointsMultiplier: 1.5 },
      },
    });
    const goldOnly = await owner.call(D.create, {
      body: {
        name: '金卡日',
        schedule: { kind: 'dates', dates: [today()] },
        startTime: '00:00',
        endTime: '24:00',
        audience: { tiers: ['gold'] },
        benefits: { checkinBonusPoints: 50 },
      },
    });
    await owner.call(D.create, {
      body: {
        name: '每周三',
        schedule: { kind: 'weekly', weekday: 3 },
        startTime: '10:00',
        endTime: '22:00',
        benefits: { pointsMultiplier: 2 },
      },
    });
    const m = await joinedMember(server);
    const result = await m.api.call(routes.engagement.checkin, { body: {} });
    const ladder = await owner.call(routes.engagement.getCheckinRules);
    assert.equal(
      result.points,
      ladder.rewards[0]!.points + 5,
      'the ladder reward plus the member-day bonus (not the gold-only one)',
    );
    const { current } = await m.api.call(D.current);
    assert.equal(current?.memberDayId, allDay.id);
    assert.ok(current.memberDayId !== goldOnly.id);
    const { next } = await m.api.call(D.next);
    assert.ok(next && next.startsAt > new Date().toISOString(), 'the next one is ahead');
  });

  it('counts taking part for badges: once per member day and date, however many orders', async () => {
    await owner.call(routes.engagement.createBadge, {
      body: {
        code: 'md_fan',
        name: '会员日常客',
        rule: { metric: 'member_days', thresholds: [1, 2] },
      },
    });
    const m = await joinedMember(server);
    for (let i = 0; i < 3; i++) await order(m.member.id, new Date().toISOString(), 1_000);
    const mine = await m.api.call(routes.engagement.myBadges);
    const badge = mine.earned.find((b) => b.code === 'md_fan');
    assert.ok(badge, 'earned during a member day');
    const [{ n }] = (await server.dataSource.query(
      "SELECT COUNT(*) AS n FROM domain_event WHERE name = 'member_day.participated' AND payload LIKE ?",
      [`%"memberId":${m.member.id},%`],
    )) as [{ n: number }];
    // The member days on right now for this member (the all-day ones of earlier tests; a Wednesday adds the weekly one).
    const days = (await server.app.get(MemberDaysService).activeFor(m.member.id, new Date()))
      .length;
    assert.ok(days >= 1);
    assert.equal(Number(n), days, 'announced once per member day and date, not per order');
    const [{ member_days: counted }] = (await server.dataSource.query(
      'SELECT member_days FROM member_stat WHERE member_id = ?',
      [m.member.id],
    )) as [{ member_days: number }];
    assert.equal(Number(counted), days, 'but counted once per member day and date');
  });

  it('starts and ends each occurrence once, even when two instances tick at the same moment', async () => {
    const day = await owner.call(D.create, {
      body: {
        name: '整点会员日',
        schedule: { kind: 'dates', dates: [today()] },
        startTime: '00:00',
        endTime: '24:00',
        benefits: { checkinBonusPoints: 1 },
      },
    });
    const announce = await owner.call(routes.campaigns.create, {
      body: {
        name: '会员日开场',
        trigger: { type: 'member_day_started', memberDayId: day.id },
        actions: { points: 3 },
        controlPercent: 0,
      },
    });
    const service = server.app.get(MemberDaysService);
    const now = new Date();
    await Promise.all([
      service.tick(now),
      service.tick(now),
      owner.call(routes.system.runJob, {
        params: { name: 'member_days.tick' },
        body: { asOf: now.toISOString() },
      }),
    ]);
    const [{ n: members }] = (await server.dataSource.query(
      "SELECT COUNT(*) AS n FROM member WHERE status = 'member'",
    )) as [{ n: number }];
    const report = await owner.call(routes.campaigns.report, { params: { id: announce.id } });
    assert.equal(
      report.treatment.qualified,
      Number(members),
      'every member of the audience entered the announcement automation, once',
    );
    const [occurrence] = (await owner.call(D.occurrences, { params: { id: day.id } })).items;
    assert.equal(occurrence!.status, 'started');
    assert.equal(await events('member_day.started', occurrence!.id), 1);
    const end = new Date(Date.parse(occurrence!.endsAt) + 1000);
    await Promise.all([service.tick(end), service.tick(end)]);
    assert.equal(
      (await owner.call(D.occurrences, { params: { id: day.id } })).items[0]!.status,
      'ended',
    );
    assert.equal(await events('member_day.ended', occurrence!.id), 1);
  });

  it('previews occurrences across month ends, in the brand time zone', async () => {
    const monthly = await owner.call(D.create, {
      body: {
        name: '月末会员日',
        schedule: { kind: 'monthly', day: 31 },
        startTime: '19:00',
        endTime: '21:00',
        benefits: { pointsMultiplier: 3 },
      },
    });
    const { items } = await owner.call(D.preview, {
      params: { id: monthly.id },
      query: { count: 6 },
    });
    assert.equal(items.length, 6);
    for (const o of items) {
      const [y, mo] = o.day.split('-').map(Number) as [number, number];
      assert.equal(
        o.day,
        new Date(Date.UTC(y, mo, 0)).toISOString().slice(0, 10),
        'the last day of its month',
      );
      assert.equal(
        new Intl.DateTimeFormat('en-GB', {
          timeZone: tz(),
          hour: '2-digit',
          minute: '2-digit',
        }).format(new Date(o.startsAt)),
        '19:00',
      );
    }
    const ny = await startTestServer({ TZ_BRAND: 'America/New_York' });
    try {
      const nyOwner = await staffLogin(ny);
      const weekly = await nyOwner.call(D.create, {
        body: {
          name: 'Sunday',
          schedule: { kind: 'weekly', weekday: 7 },
          startTime: '10:00',
          endTime: '12:00',
          benefits: { pointsMultiplier: 2 },
        },
      });
      const { items: sundays } = await nyOwner.call(D.preview, {
        params: { id: weekly.id },
        query: { count: 24 },
      });
      const offsets = new Set(sundays.map((o) => new Date(o.startsAt).getUTCHours()));
      for (const o of sundays)
        assert.equal(
          new Intl.DateTimeFormat('en-GB', {
            timeZone: 'America/New_York',
            hour: '2-digit',
            minute: '2-digit',
          }).format(new Date(o.startsAt)),
          '10:00',
        );
      assert.ok(offsets.has(15) && offsets.has(14), 'winter and summer Sundays: 15:00Z and 14:00Z');
    } finally {
      await ny.stop();
    }
  });

  it('reports an occurrence beside the average of the four same weekdays before it', async () => {
    const day = await owner.call(D.create, {
      body: {
        name: '报表日',
        schedule: { kind: 'dates', dates: [today()] },
        startTime: '00:00',
        endTime: '24:00',
        benefits: {},
      },
    });
    const service = server.app.get(MemberDaysService);
    await service.tick(new Date());
    const [occurrence] = (await owner.call(D.occurrences, { params: { id: day.id } })).items;
    const before = await owner.call(D.report, { params: { id: occurrence!.id } });
    const [a, b] = [await joinedMember(server), await joinedMember(server)];
    await order(a.member.id, new Date().toISOString(), 12_300);
    await order(b.member.id, new Date().toISOString(), 4_500);
    await order(a.member.id, at(addDays(today(), -7), '12:00'), 10_000);
    await order(a.member.id, at(addDays(today(), -14), '12:00'), 20_000);
    await order(b.member.id, at(addDays(today(), -14), '13:00'), 6_000);
    const report = await owner.call(D.report, { params: { id: occurrence!.id } });
    assert.deepEqual(
      report.baselineDays,
      [7, 14, 21, 28].map((n) => addDays(today(), -n)),
    );
    assert.equal(report.figures.orders - before.figures.orders, 2);
    assert.equal(report.figures.spend - before.figures.spend, 16_800);
    assert.ok(
      report.figures.pointsIssued - before.figures.pointsIssued >= 123 + 45,
      'the two orders’ points were issued during it',
    );
    assert.equal(report.baseline.orders - before.baseline.orders, 3 / 4);
    assert.equal(report.baseline.spend - before.baseline.spend, 36_000 / 4);
    assert.equal(report.baseline.participants - before.baseline.participants, (1 + 2) / 4);
  });
});

describe('member-day-only mall items', () => {
  let server: TestServer;
  let owner: ApiClient;
  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
  });
  after(async () => server.stop());

  it('are refused outside a member day and redeemable during one', async () => {
    const item = await owner.call(routes.mall.createItem, {
      body: {
        name: '会员日专享杯',
        kind: 'virtual',
        pointsPrice: 10,
        stock: 5,
        memberDayOnly: true,
      },
    });
    const m = await joinedMember(server);
    await owner.call(routes.points.adjust, {
      params: { id: m.member.id },
      body: { points: 100, reason: '测试积分', requestId: `md-${Date.now()}` },
    });
    const redeem = () =>
      m.api.call(routes.mall.redeem, {
        params: { id: item.id },
        body: { quantity: 1, requestId: `r-${Date.now()}-${Math.random()}` },
      });
    await expectError(redeem(), 403, 'NOT_ELIGIBLE');
    const today = brandDay(new Date(), server.config.brandTimezone);
    await owner.call(D.create, {
      body: {
        name: '今日专享',
        schedule: { kind: 'dates', dates: [today] },
        startTime: '00:00',
        endTime: '24:00',
        benefits: { mallItemIds: [item.id] },
      },
    });
    const redemption = await redeem();
    assert.equal(redemption.pointsSpent, 10);
  });
});
