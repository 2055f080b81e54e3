import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { addDays, type ApiClient, ApiError, brandDay, routes } from '@huoyue/shared';
import { Checkin } from '@huoyue/server/dist/modules/checkins/checkin.entity.js';
import { CheckinsService } from '@huoyue/server/dist/modules/checkins/checkins.service.js';
import { BadgesService } from '@huoyue/server/dist/modules/badges/badges.service.js';
import { checkLedger } from '@huoyue/server/dist/modules/points/ledger-check.js';
import { EventBus } from '@huoyue/server/dist/infra/events/event-bus.js';
import { sqlInstant } from '@huoyue/server/dist/infra/database/bulk.js';
import { joinedMember, loginVisitor, staffLogin, expectError } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const e = routes.engagement;
const p = routes.points;
const TZ = 'Asia/Shanghai';

describe('check-ins, badges and leaderboards', () => {
  let server: TestServer;
  let owner: ApiClient;
  let checkins: CheckinsService;
  const rules = {
    cycleDays: 7,
    rewards: [5, 5, 5, 5, 5, 5, 50].map((points, i) => ({
      points,
      badgeCode: i === 6 ? 'streak-7' : null,
    })),
    breakResets: true,
    makeup: { enabled: true, costPoints: 20, maxPerMonth: 2 },
    antiFarming: { perIpPerHour: 10_000, membersPerDevicePerDay: 2 },
  };

  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
    checkins = server.app.get(CheckinsService);
    await owner.call(e.putCheckinRules, { body: rules });
    await owner.call(e.createBadge, {
      body: {
        code: 'streak-7',
        name: '七日连签',
        description: '连续签到 7 天',
        rule: { metric: 'streak', thresholds: [7] },
        rewardPoints: 0,
      },
    });
    await owner.call(e.createBadge, {
      body: {
        code: 'checkin-fan',
        name: '签到达人',
        rule: { metric: 'checkins', thresholds: [3, 5, 10] },
        rewardPoints: 10,
      },
    });
  });
  after(async () => server.stop());

  /** Check-ins on past days, as they would have happened: through the service with a given clock. */
  // The service answers before the badges consumer runs; what it awards is read once the consumers caught up.
  const checkInOn = async (memberId: number, day: string, hour = 10) => {
    const outcome = await checkins.checkIn(
      memberId,
      { ip: '10.0.0.1', deviceId: null },
      new Date(`${day}T${String(hour).padStart(2, '0')}:00:00+08:00`),
    );
    await server.settled();
    return { ...outcome, triggerRef: CheckinsService.triggerRef(memberId, day) };
  };

  it('50 concurrent check-ins by one member: exactly one succeeds and one reward is credited', async () => {
    const m = await joinedMember(server);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => m.api.call(e.checkin, { body: {} })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const already = results.filter(
      (r) => r.status === 'rejected' && (r.reason as ApiError).code === 'ALREADY_CHECKED_IN',
    );
    assert.equal(ok.length, 1);
    assert.equal(
      already.length,
      49,
      JSON.stringify(
        results
          .filter(
            (r) => r.status === 'rejected' && (r.reason as ApiError).code !== 'ALREADY_CHECKED_IN',
          )
          .map((r) => String((r as PromiseRejectedResult).reason)),
      ),
    );
    const ledger = await m.api.call(p.ledger, { query: { limit: 10 } });
    assert.equal(ledger.items.filter((x) => x.sourceType === 'checkin').length, 1);
    assert.equal((await m.api.call(p.summary)).balance, 5);
    const month = await m.api.call(e.checkinMonth, { query: {} });
    assert.equal(month.checkedToday, true);
    assert.equal(month.streak, 1);
    assert.equal(month.nextReward.cycleDay, 2);
    assert.deepEqual(
      month.days.map((d) => d.date),
      [month.today],
      "the calendar shows today's check-in",
    );
    assert.deepEqual((await checkLedger(server.dataSource)).discrepancies, []);
  });

  it('days follow the brand timezone: 23:59 and 00:01 Beijing time are two days and a streak of two', async () => {
    const m = await joinedMember(server);
    const late = await checkins.checkIn(
      m.member.id,
      { ip: null, deviceId: null },
      new Date('2026-03-01T23:59:00+08:00'),
    );
    const early = await checkins.checkIn(
      m.member.id,
      { ip: null, deviceId: null },
      new Date('2026-03-02T00:01:00+08:00'),
    );
    assert.equal(late.checkin.day, '2026-03-01');
    assert.equal(early.checkin.day, '2026-03-02');
    assert.equal(early.checkin.streak, 2);
    await assert.rejects(
      checkins.checkIn(
        m.member.id,
        { ip: null, deviceId: null },
        new Date('2026-03-02T23:59:00+08:00'),
      ),
      /今天已经签到过了/,
    );
  });

  it('a rush of 40 members, one of them pressing 10 times: written in groups, each member once, nobody refused for another', async () => {
    const members = await Promise.all(Array.from({ length: 40 }, () => joinedMember(server)));
    const presses = [...members, ...Array.from({ length: 9 }, () => members[0]!)];
    const results = await Promise.allSettled(
      presses.map((m) => m.api.call(e.checkin, { body: {} })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.flatMap((r) =>
      r.status === 'rejected' ? [(r.reason as ApiError).code] : [],
    );
    assert.equal(ok.length, 40, JSON.stringify(refused));
    assert.deepEqual(
      refused,
      Array.from({ length: 9 }, () => 'ALREADY_CHECKED_IN'),
    );
    for (const r of ok) assert.equal(r.value.points, 5, 'the first day of the ladder');
    const balances = await Promise.all(members.map((m) => m.api.call(p.summary)));
    assert.deepEqual(
      balances.map((b) => b.balance),
      members.map(() => 5),
    );
    assert.deepEqual((await checkLedger(server.dataSource)).discrepancies, []);
  });

  it('streak and ladder over a cycle: day 7 pays 50 and the streak badge, a broken streak restarts the cycle', async () => {
    const m = await joinedMember(server);
    const start = '2026-04-01';
    const outcomes = [];
    for (let i = 0; i < 8; i++) outcomes.push(await checkInOn(m.member.id, addDays(start, i)));
    assert.deepEqual(
      outcomes.map((o) => o.checkin.cycleDay),
      [1, 2, 3, 4, 5, 6, 7, 1],
    );
    assert.deepEqual(
      outcomes.map((o) => o.checkin.points),
      [5, 5, 5, 5, 5, 5, 50, 5],
    );
    assert.equal(outcomes[7]!.checkin.streak, 8);
    const seventh = await server.app
      .get(BadgesService)
      .awardsFor(m.member.id, outcomes[6]!.triggerRef);
    assert.ok(
      seventh.some((b) => b.code === 'streak-7'),
      'the ladder badge on day 7',
    );
    assert.deepEqual(outcomes[6]!.badges, seventh, 'the answer listed what the consumer awarded');
    const afterGap = await checkInOn(m.member.id, addDays(start, 10));
    assert.deepEqual(
      { streak: afterGap.checkin.streak, cycleDay: afterGap.checkin.cycleDay },
      { streak: 1, cycleDay: 1 },
    );
    assert.equal(
      (await m.api.call(p.summary)).balance,
      5 * 6 + 50 + 5 + 5 + 10 + 10,
      'ladder points plus the 3- and 5-check-in levels of 签到达人',
    );
    assert.deepEqual((await checkLedger(server.dataSource)).discrepancies, []);
  });

  it('check-ins consumed in one batch award what one at a time awards (levels to the day that reached them, the ladder badge)', async () => {
    const alone = await joinedMember(server);
    const batched = await joinedMember(server);
    const start = '2026-07-01';
    for (let i = 0; i < 8; i++) await checkInOn(alone.member.id, addDays(start, i));
    // The same eight days with nobody consuming (a crash, or consumers behind): the sweep then hands the badges
    // consumer all eight in one batch.
    const bus = server.app.get(EventBus);
    bus.configure({ deliverAfterCommit: false });
    try {
      for (let i = 0; i < 8; i++)
        await checkins.checkIn(
          batched.member.id,
          { ip: '10.0.0.2', deviceId: null },
          new Date(`${addDays(start, i)}T10:00:00+08:00`),
        );
    } finally {
      bus.configure({ deliverAfterCommit: true });
    }
    await bus.sweep(new Date(Date.now() + 60_000));
    const awards = async (memberId: number) =>
      (
        (await server.dataSource.query(
          `SELECT b.code, mb.level, mb.trigger_ref FROM member_badge mb JOIN badge b ON b.id = mb.badge_id
           WHERE mb.member_id = ? ORDER BY b.code, mb.level`,
          [memberId],
        )) as { code: string; level: number; trigger_ref: string }[]
      ).map((r) => `${r.code}:${r.level}:${r.trigger_ref.split(':').pop()}`);
    const expected = await awards(alone.member.id);
    assert.ok(expected.includes(`streak-7:1:${addDays(start, 6)}`), expected.join());
    assert.deepEqual(await awards(batched.member.id), expected);
    const stat = async (memberId: number) =>
      (
        (await server.dataSource.query(
          'SELECT checkins, best_streak FROM member_stat WHERE member_id = ?',
          [memberId],
        )) as { checkins: number; best_streak: number }[]
      ).map((r) => [Number(r.checkins), Number(r.best_streak)]);
    assert.deepEqual(await stat(batched.member.id), [[8, 8]]);
    assert.deepEqual(await stat(batched.member.id), await stat(alone.member.id));
  });

  /** A member who joined `days` ago (made-up days must not be before joining). */
  const joinedDaysAgo = async (days: number) => {
    const m = await joinedMember(server);
    await server.dataSource.query('UPDATE member SET joined_at = ? WHERE id = ?', [
      sqlInstant(server.config.database.kind, new Date(Date.now() - days * 86_400_000)),
      m.member.id,
    ]);
    return m;
  };

  it('makeup restores the streak, costs points (or a card), is limited per month and to the current cycle', async () => {
    const m = await joinedDaysAgo(30);
    const today = brandDay(new Date(), TZ);
    for (const back of [3, 2]) await checkInOn(m.member.id, addDays(today, -back));
    await checkInOn(m.member.id, addDays(today, -5));
    await m.api.call(e.checkin, { body: {} });
    // Days: -5 ✓, -4 ✗, -3 ✓, -2 ✓, -1 ✗, today ✓.
    const month = await m.api.call(e.checkinMonth, { query: {} });
    assert.deepEqual(
      month.makeup.allowedDates,
      [-6, -4, -1].map((d) => addDays(today, d)),
    );
    const made = await m.api.call(e.makeup, { body: { date: addDays(today, -1) } });
    assert.equal(made.streak, 4, 'today now continues -3, -2, -1');
    const spent = (await m.api.call(p.ledger, { query: { limit: 20 } })).items.filter(
      (x) => x.type === 'spend' && x.sourceType === 'checkin',
    );
    assert.deepEqual(
      spent.map((x) => x.points),
      [-20],
      'a makeup without a card costs 20 points',
    );
    const { balance } = await m.api.call(p.summary);
    if (balance > 0)
      await owner.call(p.adjust, {
        params: { id: m.member.id },
        body: { points: -balance, reason: '清空以测试补签', requestId: randomUUID() },
      });
    await expectError(
      m.api.call(e.makeup, { body: { date: addDays(today, -4) } }),
      422,
      'INSUFFICIENT_POINTS',
    );
    await owner.call(e.grantMakeupCards, {
      params: { id: m.member.id },
      body: { count: 2, reason: '活动奖励' },
    });
    const withCard = await m.api.call(e.makeup, { body: { date: addDays(today, -4) } });
    assert.equal(withCard.streak, 6, 'the whole run from -5 to today');
    assert.equal(
      (await m.api.call(e.checkinMonth, { query: {} })).makeup.cards,
      1,
      'the card paid, not points',
    );
    await expectError(
      m.api.call(e.makeup, { body: { date: addDays(today, -6) } }),
      422,
      'MAKEUP_NOT_ALLOWED',
    ); // third this month
    await expectError(
      m.api.call(e.makeup, { body: { date: addDays(today, -10) } }),
      422,
      'MAKEUP_NOT_ALLOWED',
    ); // outside the cycle
    await expectError(m.api.call(e.makeup, { body: { date: today } }), 422, 'MAKEUP_NOT_ALLOWED');
    const rows = await server.dataSource
      .getRepository(Checkin)
      .find({ where: { memberId: m.member.id }, order: { day: 'ASC' } });
    assert.deepEqual(
      rows.map((r) => r.streak),
      [1, 2, 3, 4, 5, 6],
    );
    assert.deepEqual((await checkLedger(server.dataSource)).discrepancies, []);
  });

  it('levelled badges show progress; a badge is awarded once even when its event arrives twice or concurrently', async () => {
    const m = await joinedMember(server);
    await checkInOn(m.member.id, '2026-05-01');
    let mine = await m.api.call(e.myBadges);
    const fan = mine.locked.find((b) => b.code === 'checkin-fan')!;
    assert.deepEqual(
      { next: fan.nextLevel, levels: fan.levels, progress: fan.progress },
      { next: 1, levels: 3, progress: { current: 1, target: 3 } },
    );
    await checkInOn(m.member.id, '2026-05-02');
    const third = await checkInOn(m.member.id, '2026-05-03');
    // The same event delivered four more times at once (a sweep racing the first delivery).
    const badges = server.app.get(BadgesService);
    await Promise.all(
      Array.from({ length: 4 }, () =>
        badges.apply(
          `checkin:${m.member.id}:2026-05-03`,
          m.member.id,
          { checkins: 1, bestStreak: { max: 3 } },
          third.triggerRef,
        ),
      ),
    );
    mine = await m.api.call(e.myBadges);
    const earned = mine.earned.find((b) => b.code === 'checkin-fan')!;
    assert.equal(earned.level, 1);
    assert.deepEqual(
      mine.locked.find((b) => b.code === 'checkin-fan')!.progress,
      { current: 3, target: 5 },
      'the duplicates did not count',
    );
    const rewards = (await m.api.call(p.ledger, { query: { limit: 20 } })).items.filter(
      (x) => x.sourceType === 'badge',
    );
    assert.equal(rewards.length, 1);
  });

  it('backfill awards a new badge to members who already qualify, once', async () => {
    const a = await joinedMember(server);
    const b = await joinedMember(server);
    for (const day of ['2026-06-01', '2026-06-02']) await checkInOn(a.member.id, day);
    await checkInOn(b.member.id, '2026-06-01');
    await owner.call(e.createBadge, {
      body: {
        code: `two-${Date.now() % 100000}`,
        name: '两次签到',
        rule: { metric: 'checkins', thresholds: [2] },
        rewardPoints: 7,
      },
    });
    const code = (await owner.call(e.listBadges)).items.at(-1)!.code;
    const first = await owner.call(e.backfillBadge, { params: { code } });
    assert.ok(first.awarded >= 1);
    assert.ok((await a.api.call(e.myBadges)).earned.some((x) => x.code === code));
    assert.ok(!(await b.api.call(e.myBadges)).earned.some((x) => x.code === code));
    assert.equal(
      (await owner.call(e.backfillBadge, { params: { code } })).awarded,
      0,
      'a second run awards nothing',
    );
    assert.deepEqual((await checkLedger(server.dataSource)).discrepancies, []);
  });

  it('farming limits: too many members on one device are refused; a blacklisted member earns nothing anywhere', async () => {
    const device = `dev-${randomUUID()}`;
    const members = await Promise.all([
      joinedMember(server),
      joinedMember(server),
      joinedMember(server),
    ]);
    await members[0].api.call(e.checkin, { body: { deviceId: device } });
    await members[1].api.call(e.checkin, { body: { deviceId: device } });
    await expectError(
      members[2].api.call(e.checkin, { body: { deviceId: device } }),
      403,
      'RISK_REJECTED',
    );

    const bad = await joinedMember(server);
    await owner.call(e.earningBlock, {
      params: { id: bad.member.id },
      body: { blocked: true, reason: '批量注册刷签到' },
    });
    await expectError(bad.api.call(e.checkin, { body: {} }), 403, 'MEMBER_BLOCKED');
    const order = await owner.call(p.createOrder, {
      body: {
        orderNo: `BL-${randomUUID().slice(0, 8)}`,
        member: { id: bad.member.id },
        amount: 10_000,
        paidAt: new Date().toISOString(),
      },
    });
    assert.equal(order.points, 0);
    assert.equal(order.breakdown?.blocked, true);
    await owner.call(e.earningBlock, {
      params: { id: bad.member.id },
      body: { blocked: false, reason: '核实后解除' },
    });
    assert.equal((await bad.api.call(e.checkin, { body: {} })).points, 5);

    const visitor = await loginVisitor(server);
    await expectError(visitor.api.call(e.checkin, { body: {} }), 422, 'NOT_A_MEMBER');
  });

  it('leaderboards: order by score, masked nicknames, my rank, and opting out', async () => {
    const month = brandDay(new Date(), TZ).slice(0, 7);
    const runner = await joinedMember(server, '张三丰');
    const second = await joinedMember(server, '李四');
    const shy = await joinedMember(server, '王五');
    for (let i = 1; i <= 4; i++) await checkInOn(runner.member.id, `${month}-0${i}`);
    for (let i = 1; i <= 2; i++) await checkInOn(second.member.id, `${month}-0${i}`);
    for (let i = 1; i <= 3; i++) await checkInOn(shy.member.id, `${month}-0${i}`);
    await owner.call(routes.system.runJob, { params: { name: 'leaderboards.refresh' }, body: {} });
    let board = await second.api.call(e.leaderboard, { params: { board: 'checkin-streak' } });
    const scores = board.top.map((t) => t.score);
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => b - a),
      'best first',
    );
    const names = board.top.map((t) => t.nickname);
    assert.ok(names.includes('张**') && names.includes('王*'), JSON.stringify(names));
    assert.ok(!names.some((n) => n.includes('三丰')), 'nicknames are masked');
    assert.ok(board.top.find((t) => t.me)?.nickname === '李*');
    assert.ok(
      board.me &&
        board.me.score === 2 &&
        board.me.rank !== null &&
        board.me.rank > board.top.find((t) => t.nickname === '张**')!.rank,
    );

    await shy.api.call(e.putPrivacy, { body: { leaderboard: false } });
    board = await shy.api.call(e.leaderboard, { params: { board: 'checkin-streak' } });
    assert.equal(board.optedOut, true);
    assert.equal(board.me, null);
    assert.ok(
      !board.top.some((t) => t.nickname === '王*'),
      'gone at once, not at the next refresh',
    );
    await owner.call(routes.system.runJob, { params: { name: 'leaderboards.refresh' }, body: {} });
    assert.ok(
      !(await second.api.call(e.leaderboard, { params: { board: 'checkin-streak' } })).top.some(
        (t) => t.nickname === '王*',
      ),
    );
    assert.deepEqual(await shy.api.call(e.getPrivacy), { leaderboard: false });

    const points = await runner.api.call(e.leaderboard, { params: { board: 'points' } });
    assert.ok(points.me && points.me.score > 0);
  });
});
