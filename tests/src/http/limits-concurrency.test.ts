import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  addDays,
  type ApiClient,
  ApiError,
  brandDay,
  DEFAULT_MESSAGING_SETTINGS,
  routes,
} from '@huoyue/shared';
import { MessageDispatcher } from '@huoyue/server/dist/modules/messaging/dispatcher.js';
import { sqlInstant } from '@huoyue/server/dist/infra/database/bulk.js';
import { joinedMember, runJobAt, staffLogin } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const e = routes.engagement;
const TZ = 'Asia/Shanghai';
const PARALLEL = 50;

/**
 * Every per-member and per-period limit holds under parallel requests. SQLite runs one writer at a time, so there
 * these pass trivially; on MariaDB each limit was a COUNT followed by an INSERT, and parallel requests all passed
 * the COUNT before any INSERT committed.
 */
describe('limits under parallel requests', () => {
  let server: TestServer;
  let owner: ApiClient;

  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
    await owner.call(e.putCheckinRules, {
      body: {
        cycleDays: 31,
        rewards: Array.from({ length: 31 }, () => ({ points: 1, badgeCode: null })),
        breakResets: true,
        makeup: { enabled: true, costPoints: 0, maxPerMonth: 2 },
        antiFarming: { perIpPerHour: 100_000, membersPerDevicePerDay: 3 },
      },
    });
  });
  after(async () => server.stop());

  /** Settles every call: how many were accepted, and the refusals by status, code and message. */
  async function tally(calls: Promise<unknown>[]) {
    const results = await Promise.allSettled(calls);
    const refusals = new Map<string, number>();
    let accepted = 0;
    for (const r of results) {
      if (r.status === 'fulfilled') {
        accepted++;
        continue;
      }
      assert.ok(r.reason instanceof ApiError, `not the error shape: ${String(r.reason)}`);
      assert.ok(
        r.reason.status >= 400 && r.reason.status < 500,
        `${r.reason.status} ${r.reason.message}`,
      );
      const key = `${r.reason.status} ${r.reason.code} ${r.reason.message}`;
      refusals.set(key, (refusals.get(key) ?? 0) + 1);
    }
    return { accepted, refusals: Object.fromEntries(refusals) };
  }

  it('makeups: 50 parallel makeups against 2 a month → 2 accepted, the rest 422 in Chinese', async () => {
    const m = await joinedMember(server);
    await server.dataSource.query('UPDATE member SET joined_at = ? WHERE id = ?', [
      sqlInstant(server.config.database.kind, new Date(Date.now() - 60 * 86_400_000)),
      m.member.id,
    ]);
    const today = brandDay(new Date(), TZ);
    // 30 different missed days, so the unique (member, day) cannot be what refuses them.
    const days = Array.from({ length: PARALLEL }, (_, i) => addDays(today, -(1 + (i % 30))));
    const { accepted, refusals } = await tally(
      days.map((date) => m.api.call(e.makeup, { body: { date } })),
    );
    console.log('makeups', { accepted, refusals });
    assert.equal(accepted, 2, JSON.stringify(refusals));
    assert.equal(
      refusals['422 MAKEUP_NOT_ALLOWED 本月补签次数已用完（每月 2 次）'] ?? 0,
      PARALLEL - 2 - (refusals['409 ALREADY_CHECKED_IN 这一天已经签到过了'] ?? 0),
    );
    const month = await m.api.call(e.checkinMonth, { query: {} });
    assert.equal(month.makeup.remainingThisMonth, 0);
    // Makeups written before the counter existed (the day of the upgrade) count: a new counter starts from them.
    await server.dataSource.query(
      "DELETE FROM checkin_limit WHERE scope = 'makeup' AND subject = ?",
      [String(m.member.id)],
    );
    assert.equal((await m.api.call(e.checkinMonth, { query: {} })).makeup.remainingThisMonth, 0);
    const made = new Set(month.days.map((d) => d.date));
    const free = days.find((d) => !made.has(d))!;
    const late = await tally([m.api.call(e.makeup, { body: { date: free } })]);
    assert.deepEqual(late, {
      accepted: 0,
      refusals: { '422 MAKEUP_NOT_ALLOWED 本月补签次数已用完（每月 2 次）': 1 },
    });
  });

  it('devices: 50 members checking in at once on one device, 3 a day → 3 accepted, the rest 403', async () => {
    const device = `dev-${randomUUID()}`;
    const members = await Promise.all(Array.from({ length: PARALLEL }, () => joinedMember(server)));
    const { accepted, refusals } = await tally(
      members.map((m) => m.api.call(e.checkin, { body: { deviceId: device } })),
    );
    console.log('device', { accepted, refusals });
    assert.equal(accepted, 3, JSON.stringify(refusals));
    assert.deepEqual(refusals, {
      '403 RISK_REJECTED 该设备今日签到账号过多，已暂停签到': PARALLEL - 3,
    });
    // The job deletes device counters older than a week; today's stays.
    const deviceRows = () =>
      server.dataSource.query(
        "SELECT period FROM checkin_limit WHERE scope = 'device' AND subject = ?",
        [device],
      ) as Promise<unknown[]>;
    // A week ahead is in the future, which the API refuses to a writing job: run it in process.
    const run = (asOf: Date) => runJobAt(server, 'checkins.prune_limits', asOf);
    await run(new Date());
    assert.equal((await deviceRows()).length, 1);
    await run(new Date(Date.now() + 8 * 86_400_000));
    assert.equal((await deviceRows()).length, 0);
    // Check-ins written before the counter existed count too.
    await server.dataSource.query(
      "DELETE FROM checkin_limit WHERE scope = 'device' AND subject = ?",
      [device],
    );
    const late = await joinedMember(server);
    await assert.rejects(late.api.call(e.checkin, { body: { deviceId: device } }), (err) => {
      assert.ok(err instanceof ApiError);
      assert.equal(err.code, 'RISK_REJECTED');
      return true;
    });
    // A member already counted on the device checking in again is told so, not refused as a farmer.
    let first: (typeof members)[number] | undefined;
    for (const m of members)
      if ((await m.api.call(e.checkinMonth, { query: {} })).checkedToday) {
        first = m;
        break;
      }
    assert.ok(first);
    await assert.rejects(first.api.call(e.checkin, { body: { deviceId: device } }), (err) => {
      assert.ok(err instanceof ApiError);
      assert.equal(err.code, 'ALREADY_CHECKED_IN');
      return true;
    });
  });

  it('coupons: 50 parallel claims by one member against a limit of 2 → 2', async () => {
    const template = await owner.call(routes.coupons.createTemplate, {
      body: {
        name: '满100减20',
        kind: 'cash',
        value: 2_000,
        threshold: 10_000,
        validity: { kind: 'days', days: 30 },
        perMemberLimit: 2,
      } as never,
    });
    const m = await joinedMember(server);
    const { accepted, refusals } = await tally(
      Array.from({ length: PARALLEL }, () =>
        m.api.call(routes.coupons.claim, { body: { templateId: template.id } }),
      ),
    );
    console.log('coupons', { accepted, refusals });
    assert.equal(accepted, 2);
    assert.deepEqual(refusals, { '409 LIMIT_REACHED 每人限领 2 张，您已领完': PARALLEL - 2 });
  });

  it('mall: 50 parallel redemptions by one member against a limit of 3 → 3; a cancel gives one back', async () => {
    const item = await owner.call(routes.mall.createItem, {
      body: {
        name: '保温杯',
        kind: 'physical',
        pointsPrice: 10,
        stock: 100,
        perMemberLimit: 3,
      } as never,
    });
    const m = await joinedMember(server);
    await owner.call(routes.points.adjust, {
      params: { id: m.member.id },
      body: { points: 1_000, reason: '测试兑换', requestId: randomUUID() },
    });
    const redeem = () =>
      m.api.call(routes.mall.redeem, {
        params: { id: item.id },
        body: {
          quantity: 1,
          requestId: randomUUID(),
          address: { name: '张三', phone: '13800001111', address: '上海市静安区南京西路 1 号' },
        },
      });
    const { accepted, refusals } = await tally(Array.from({ length: PARALLEL }, redeem));
    console.log('mall', { accepted, refusals });
    assert.equal(accepted, 3);
    assert.deepEqual(refusals, { '409 LIMIT_REACHED 每人限兑 3 件': PARALLEL - 3 });
    const mine = await m.api.call(routes.mall.mine, { query: {} });
    await owner.call(routes.mall.cancel, {
      params: { id: mine.items[0]!.redemptionId },
      body: { reason: '缺货' },
    });
    const again = await tally(Array.from({ length: 10 }, redeem));
    assert.equal(again.accepted, 1, 'the cancelled redemption gave its place back');
  });

  it('frequency cap: two reactivation messages to one member at once → one sent, one capped', async () => {
    await owner.call(routes.messaging.putSettings, {
      body: {
        ...DEFAULT_MESSAGING_SETTINGS,
        quietHours: null,
        caps: { per3Days: 1, per30Days: 4 },
      },
    });
    const template = await owner.call(routes.messaging.createTemplate, {
      body: {
        code: 'sms_race',
        name: '短信召回',
        channel: 'sms',
        purpose: 'reactivation',
        smsText: '【活跃】{{nickname}}，好久不见，退订回T',
      },
    });
    const members = await Promise.all(Array.from({ length: 10 }, () => joinedMember(server)));
    const sent: number[][] = [];
    for (const m of members) {
      const ids: number[] = [];
      for (let i = 0; i < 2; i++)
        ids.push(
          (
            await owner.call(routes.messaging.send, {
              body: {
                memberId: m.member.id,
                templateId: template.id,
                fallbackTemplateIds: [],
                requestId: randomUUID(),
              },
            })
          ).id,
        );
      sent.push(ids);
    }
    // One dispatch pass claims all twenty and works on them side by side.
    await server.app.get(MessageDispatcher).dispatchOnce();
    const list = (await owner.call(routes.messaging.listMessages, { query: { limit: 100 } })).items;
    const outcomes = sent.map((ids) =>
      ids
        .map((id) => list.find((x) => x.id === id)!)
        .map((x) => `${x.status}${x.reason ? `/${x.reason}` : ''}`)
        .sort(),
    );
    console.log(
      'caps',
      outcomes.map((o) => o.join(',')),
    );
    for (const o of outcomes) assert.deepEqual(o, ['sent', 'suppressed/capped']);
  });
});
