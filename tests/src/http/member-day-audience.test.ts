import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  addDays,
  ApiError,
  brandDay,
  routes,
  startOfBrandDay,
  type ApiClient,
} from '@huoyue/shared';
import { expectError, joinedMember, staffLogin } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const D = routes.memberDays;
let seq = 0;
const orderNo = () => `MA${process.pid}-${Date.now().toString(36)}-${++seq}`;

/**
 * Member days for an audience: the gold members' double points day doubles gold members' points only, its
 * exclusive items and coupons are for gold members while it is on, and staff switch it off or delete it.
 */
describe('member days: audience, exclusives, switching off and deleting', () => {
  let server: TestServer;
  let owner: ApiClient;
  const tz = () => server.config.brandTimezone;
  const today = () => brandDay(new Date(), tz());
  const at = (day: string, hhmm: string) =>
    new Date(
      startOfBrandDay(day, tz()).getTime() +
        (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * 60_000,
    ).toISOString();
  const order = (memberId: number, amount: number, paidAt = new Date().toISOString()) =>
    owner.call(routes.points.createOrder, {
      body: { orderNo: orderNo(), member: { id: memberId }, amount, paidAt },
    });
  /** A member made gold the way a brand does it: purchases worth the gold tier's growth. */
  const goldMember = async () => {
    const m = await joinedMember(server, '金卡会员');
    const gold = (await owner.call(routes.points.listTiers)).items.find((t) => t.code === 'gold')!;
    await order(m.member.id, gold.growthThreshold * 100, at(addDays(today(), -30), '12:00'));
    assert.equal((await m.api.call(routes.members.me)).tier?.code, 'gold');
    return m;
  };
  const redeem = (api: ApiClient, id: number) =>
    api.call(routes.mall.redeem, {
      params: { id },
      body: { quantity: 1, requestId: `r-${Date.now()}-${Math.random()}` },
    });

  let gold: Awaited<ReturnType<typeof goldMember>>;
  let normal: Awaited<ReturnType<typeof joinedMember>>;

  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
    gold = await goldMember();
    normal = await joinedMember(server, '普通会员');
    await order(normal.member.id, 50_000, at(addDays(today(), -30), '12:00')); // points to redeem with
  });
  after(async () => server.stop());

  it('a gold members’ double points day doubles gold members’ points only, and their check-in bonus', async () => {
    const day = await owner.call(D.create, {
      body: {
        name: '金卡双倍积分日',
        schedule: { kind: 'dates', dates: [today()] },
        startTime: '00:00',
        endTime: '24:00',
        audience: { tiers: ['gold'] },
        benefits: { pointsMultiplier: 2, checkinBonusPoints: 30 },
      },
    });
    assert.deepEqual(day.audience, { tiers: ['gold'], stages: [] });
    const goldOrder = await order(gold.member.id, 10_000);
    const normalOrder = await order(normal.member.id, 10_000);
    assert.deepEqual(goldOrder.breakdown?.bonuses, [
      { name: '会员日·金卡双倍积分日', multiplier: 2 },
    ]);
    assert.deepEqual(normalOrder.breakdown?.bonuses ?? [], [], 'no member-day bonus for others');
    const tiers = (await owner.call(routes.points.listTiers)).items;
    const goldRate = tiers.find((t) => t.code === 'gold')!.benefits.pointsMultiplier;
    const normalRate = tiers.find((t) => t.code === 'normal')!.benefits.pointsMultiplier;
    assert.equal(goldOrder.points, Math.floor(100 * goldRate * 2));
    assert.equal(normalOrder.points, Math.floor(100 * normalRate));

    const ladder = (await owner.call(routes.engagement.getCheckinRules)).rewards[0]!.points;
    assert.equal(
      (await gold.api.call(routes.engagement.checkin, { body: {} })).points,
      ladder + 30,
    );
    assert.equal((await normal.api.call(routes.engagement.checkin, { body: {} })).points, ladder);
    assert.equal((await gold.api.call(D.current)).current?.memberDayId, day.id);
    assert.equal((await normal.api.call(D.current)).current, null);
    await owner.call(D.setActive, { params: { id: day.id }, body: { active: false } });
  });

  it('ends a day at 24:00: stored as 24:00, the window closes at the next midnight', async () => {
    const yesterday = addDays(today(), -1);
    const day = await owner.call(D.create, {
      body: {
        name: '昨日全天',
        schedule: { kind: 'dates', dates: [yesterday] },
        startTime: '00:00',
        endTime: '24:00',
        benefits: { pointsMultiplier: 3 },
      },
    });
    assert.equal(day.endTime, '24:00');
    const [preview] = (await owner.call(D.list)).items.filter((d) => d.id === day.id);
    assert.equal(preview!.endTime, '24:00');
    const lastMinute = await order(normal.member.id, 10_000, at(yesterday, '23:59'));
    const midnight = await order(normal.member.id, 10_000, at(today(), '00:00'));
    assert.equal(lastMinute.breakdown?.bonuses?.[0]?.multiplier, 3, '23:59 is inside');
    assert.deepEqual(midnight.breakdown?.bonuses ?? [], [], '00:00 of the next day is not');
  });

  it('shows and gives its exclusive item only to its audience while it is on', async () => {
    const item = await owner.call(routes.mall.createItem, {
      body: {
        name: '金卡专享咖啡',
        kind: 'virtual',
        pointsPrice: 100,
        stock: 10,
        perMemberLimit: 2,
      },
    });
    const listed = async (api: ApiClient) =>
      (await api.call(routes.mall.items)).items.find((i) => i.id === item.id);
    assert.ok(await listed(normal.api), 'an ordinary item before any member day lists it');

    const tomorrow = await owner.call(D.create, {
      body: {
        name: '明日金卡日',
        schedule: { kind: 'dates', dates: [addDays(today(), 1)] },
        startTime: '00:00',
        endTime: '24:00',
        audience: { tiers: ['gold'] },
        benefits: { mallItemIds: [item.id] },
      },
    });
    assert.equal(await listed(normal.api), undefined, 'hidden from members outside the audience');
    assert.equal(
      (await listed(gold.api))?.memberDayOnly,
      true,
      'shown to gold, as a member-day item',
    );
    await assert.rejects(redeem(gold.api, item.id), (err: ApiError) => {
      assert.equal(err.code, 'NOT_ELIGIBLE');
      assert.match(err.message, /「明日金卡日」.*会员日活动时间内兑换/);
      return true;
    });

    const todayDay = await owner.call(D.create, {
      body: {
        name: '金卡会员日',
        schedule: { kind: 'dates', dates: [today()] },
        startTime: '00:00',
        endTime: '24:00',
        audience: { tiers: ['gold'] },
        benefits: { mallItemIds: [item.id] },
      },
    });
    await assert.rejects(redeem(normal.api, item.id), (err: ApiError) => {
      assert.equal(err.code, 'NOT_ELIGIBLE');
      assert.match(err.message, /专享，仅限活动对象兑换/);
      return true;
    });
    assert.equal((await redeem(gold.api, item.id)).pointsSpent, 100);

    // Switched off, the day gives nothing: its exclusive stays its own, for nobody until it is on again.
    await owner.call(D.setActive, { params: { id: todayDay.id }, body: { active: false } });
    await expectError(redeem(gold.api, item.id), 403, 'NOT_ELIGIBLE');
    await owner.call(D.setActive, { params: { id: todayDay.id }, body: { active: true } });
    assert.equal((await redeem(gold.api, item.id)).pointsSpent, 100);
    await owner.call(D.setActive, { params: { id: tomorrow.id }, body: { active: false } });
  });

  it('lets its audience claim its exclusive coupon only while it is on', async () => {
    const coupon = await owner.call(routes.coupons.createTemplate, {
      body: {
        name: '金卡日立减券',
        kind: 'cash',
        value: 1_000,
        validity: { kind: 'days', days: 7 },
        perMemberLimit: 2,
      },
    });
    const later = await owner.call(routes.coupons.createTemplate, {
      body: {
        name: '下周会员日券',
        kind: 'cash',
        value: 500,
        validity: { kind: 'days', days: 7 },
      },
    });
    const inCenter = async (api: ApiClient, id: number) =>
      (await api.call(routes.coupons.center)).items.some((t) => t.id === id);
    assert.ok(await inCenter(normal.api, coupon.id), 'an ordinary coupon before');
    const day = await owner.call(D.create, {
      body: {
        name: '金卡领券日',
        schedule: { kind: 'dates', dates: [today()] },
        startTime: '00:00',
        endTime: '24:00',
        audience: { tiers: ['gold'] },
        benefits: { couponTemplateIds: [coupon.id] },
      },
    });
    await owner.call(D.create, {
      body: {
        name: '下周会员日',
        schedule: { kind: 'dates', dates: [addDays(today(), 7)] },
        startTime: '10:00',
        endTime: '22:00',
        benefits: { couponTemplateIds: [later.id] },
      },
    });
    assert.equal(await inCenter(normal.api, coupon.id), false);
    assert.equal(await inCenter(gold.api, coupon.id), true);
    assert.equal(await inCenter(gold.api, later.id), false, 'not before its own day');
    await assert.rejects(
      normal.api.call(routes.coupons.claim, { body: { templateId: coupon.id } }),
      (err: ApiError) => {
        assert.equal(err.code, 'NOT_ELIGIBLE');
        assert.match(err.message, /「金卡领券日」的专享，仅限活动对象领取/);
        return true;
      },
    );
    await assert.rejects(
      gold.api.call(routes.coupons.claim, { body: { templateId: later.id } }),
      (err: ApiError) => {
        assert.equal(err.code, 'NOT_ELIGIBLE');
        assert.match(err.message, /「下周会员日」.*请在会员日活动时间内领取/);
        return true;
      },
    );
    const claimed = await gold.api.call(routes.coupons.claim, { body: { templateId: coupon.id } });
    assert.equal(claimed.name, '金卡日立减券');
    await owner.call(D.setActive, { params: { id: day.id }, body: { active: false } });
    await expectError(
      gold.api.call(routes.coupons.claim, { body: { templateId: coupon.id } }),
      403,
      'NOT_ELIGIBLE',
    );
  });

  it('counts its audience’s participation once per member in the occurrence report', async () => {
    const item = await owner.call(routes.mall.createItem, {
      body: { name: '报表专享', kind: 'virtual', pointsPrice: 10, stock: 10, perMemberLimit: 5 },
    });
    const day = await owner.call(D.create, {
      body: {
        name: '金卡报表日',
        schedule: { kind: 'dates', dates: [today()] },
        startTime: '00:00',
        endTime: '24:00',
        audience: { tiers: ['gold'] },
        benefits: { mallItemIds: [item.id] },
      },
    });
    const [occurrence] = (await owner.call(D.occurrences, { params: { id: day.id } })).items;
    const before = await owner.call(D.report, { params: { id: occurrence!.id } });
    assert.equal(before.audienceParticipants, 0);
    await redeem(gold.api, item.id);
    await redeem(gold.api, item.id);
    await order(gold.member.id, 1_000);
    await order(normal.member.id, 1_000); // not in the audience: active in the window, not a participant
    const report = await owner.call(D.report, { params: { id: occurrence!.id } });
    assert.equal(report.audienceParticipants, 1, 'the gold member, once');
    assert.ok(report.figures.participants >= 2, 'everyone active in the window');
  });

  it('refuses exclusives that do not exist, with a Chinese reason', async () => {
    await assert.rejects(
      owner.call(D.create, {
        body: {
          name: '坏商品',
          schedule: { kind: 'weekly', weekday: 2 },
          startTime: '10:00',
          endTime: '12:00',
          benefits: { mallItemIds: [99_999] },
        },
      }),
      (err: ApiError) => {
        assert.equal(err.status, 404);
        assert.equal(err.message, '所选的专享商品不存在，请重新选择');
        return true;
      },
    );
    await expectError(
      owner.call(D.create, {
        body: {
          name: '坏券',
          schedule: { kind: 'weekly', weekday: 2 },
          startTime: '10:00',
          endTime: '12:00',
          benefits: { couponTemplateIds: [99_999] },
        },
      }),
      404,
      'NOT_FOUND',
    );
    assert.ok(!(await owner.call(D.list)).items.some((d) => d.name.startsWith('坏')));
  });

  it('switched off: no future occurrences and no benefits; on again: scheduled again', async () => {
    const weekly = await owner.call(D.create, {
      body: {
        name: '每周双倍',
        schedule: { kind: 'dates', dates: [today(), addDays(today(), 3), addDays(today(), 9)] },
        startTime: '00:00',
        endTime: '24:00',
        benefits: { pointsMultiplier: 2 },
      },
    });
    const occurrences = async () =>
      (await owner.call(D.occurrences, { params: { id: weekly.id } })).items;
    assert.equal((await occurrences()).length, 3);
    assert.equal((await order(normal.member.id, 10_000)).breakdown?.bonuses?.[0]?.multiplier, 2);
    const off = await owner.call(D.setActive, {
      params: { id: weekly.id },
      body: { active: false },
    });
    assert.equal(off.active, false);
    assert.deepEqual(
      (await occurrences()).filter((o) => o.status === 'scheduled' && o.day > today()),
      [],
      'no future occurrences',
    );
    assert.deepEqual((await order(normal.member.id, 10_000)).breakdown?.bonuses ?? [], []);
    assert.equal((await normal.api.call(D.current)).current, null);
    await owner.call(D.setActive, { params: { id: weekly.id }, body: { active: true } });
    assert.ok((await occurrences()).some((o) => o.day === addDays(today(), 9)));
    const audit = await owner.call(routes.staff.audit, { query: { entityType: 'member_day' } });
    assert.ok(
      audit.items.some(
        (a) => a.action === 'member_day.deactivate' && a.entityId === String(weekly.id),
      ),
    );
  });

  it('deletes a member day that never ran; one that ran can only be switched off', async () => {
    const future = await owner.call(D.create, {
      body: {
        name: '未举办',
        schedule: { kind: 'dates', dates: [addDays(today(), 20)] },
        startTime: '10:00',
        endTime: '12:00',
        benefits: {},
      },
    });
    assert.equal(future.hasRun, false);
    assert.deepEqual(await owner.call(D.remove, { params: { id: future.id } }), { deleted: true });
    assert.ok(!(await owner.call(D.list)).items.some((d) => d.id === future.id));
    await expectError(owner.call(D.remove, { params: { id: future.id } }), 404, 'NOT_FOUND');

    const ran = await owner.call(D.create, {
      body: {
        name: '已举办',
        schedule: { kind: 'dates', dates: [today()] },
        startTime: '00:00',
        endTime: '24:00',
        benefits: {},
      },
    });
    assert.equal(ran.hasRun, true, 'today’s window is open');
    await assert.rejects(owner.call(D.remove, { params: { id: ran.id } }), (err: ApiError) => {
      assert.equal(err.status, 409);
      assert.match(err.message, /不能删除；可以停用它/);
      return true;
    });
    const audit = await owner.call(routes.staff.audit, { query: { entityType: 'member_day' } });
    assert.ok(
      audit.items.some((a) => a.action === 'member_day.delete' && a.entityId === String(future.id)),
    );
  });
});
