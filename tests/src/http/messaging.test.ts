import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  brandDay,
  DEFAULT_MESSAGING_SETTINGS,
  routes,
  startOfBrandDay,
  type ApiClient,
  type MessagingSettings,
} from '@huoyue/shared';
import { MessageDispatcher } from '@huoyue/server/dist/modules/messaging/dispatcher.js';
import { expectError, staffLogin, uniquePhone } from '../support/flows.js';
import {
  COUPON_TPL,
  couponReceivedTemplate,
  POINTS_TPL,
  pointsNoticeTemplate,
} from '../support/message-templates.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const G = routes.messaging;
const TIER_TPL = 'tpl_tier_retention_000000000000000000000000'; // thing1, phrase2, date3
const OA_TPL = 'tpl_oa_service_notice_0000000000000000000000'; // thing1, time2

describe('messaging: consent, channels, retries, quiet hours, caps', () => {
  let server: TestServer;
  let owner: ApiClient;
  let dispatcher: MessageDispatcher;
  const tpl: Record<string, number> = {};

  const settings = (patch: Partial<MessagingSettings> = {}) =>
    owner.call(G.putSettings, {
      body: { ...DEFAULT_MESSAGING_SETTINGS, quietHours: null, ...patch },
    });
  /** A member who joined in the mini-program, with a known openid and unionid. */
  const member = async (nickname = '小王') => {
    const openid = `o${randomBytes(14).toString('hex').slice(0, 27)}`;
    const unionid = `u${randomBytes(14).toString('hex').slice(0, 27)}`;
    const { code } = await server.fake.loginCode(openid, unionid);
    const session = await server.client().call(routes.members.wechatLogin, { body: { code } });
    const api = server.client(session.token);
    const phone = uniquePhone();
    const joined = await api.call(routes.members.join, {
      body: { nickname, phoneCode: (await server.fake.phoneCode(phone)).code },
    });
    return { id: joined.member.id, openid, unionid, phone, api: server.client(joined.token) };
  };
  const send = (memberId: number, templateId: number, fallbackTemplateIds: number[] = []) =>
    owner.call(G.send, {
      body: { memberId, templateId, fallbackTemplateIds, requestId: randomUUID() },
    });
  const message = async (id: number) =>
    (await owner.call(G.listMessages, { query: { limit: 100 } })).items.find((m) => m.id === id)!;
  const quota = async (
    api: ApiClient,
    templateId: string,
    result: 'accept' | 'reject' | 'ban' = 'accept',
  ) =>
    (
      await api.call(G.reportSubscriptions, { body: { results: { [templateId]: result } } })
    ).quotas.find((q) => q.templateId === templateId)!;
  const fakeMessagesTo = async (touser: string) =>
    (await server.fake.messages()).filter((m) => m.touser === touser);
  const calls = async (path: string) => (await server.fake.stats()).calls[path] ?? 0;

  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
    dispatcher = server.app.get(MessageDispatcher);
    const create = async (body: Parameters<typeof owner.call<typeof G.createTemplate>>[1]) =>
      (await owner.call(G.createTemplate, body)).id;
    tpl.points = await create({
      body: {
        ...pointsNoticeTemplate('points_expiring', '积分到期提醒', 'reactivation'),
        page: 'pages/points/index',
      },
    });
    tpl.coupon = await create({ body: couponReceivedTemplate() });
    tpl.tier = await create({
      body: {
        code: 'tier_notice',
        name: '等级提醒',
        channel: 'subscribe',
        purpose: 'reactivation',
        wechatTemplateId: TIER_TPL,
        fields: [
          { key: 'thing1', value: '金卡会员' },
          { key: 'phrase2', value: '{{nickname}}' },
          { key: 'date3', value: '{{today}}' },
        ],
      },
    });
    tpl.oa = await create({
      body: {
        code: 'oa_points',
        name: '服务号积分提醒',
        channel: 'oa_template',
        purpose: 'reactivation',
        wechatTemplateId: OA_TPL,
        page: 'pages/points/index',
        fields: [
          { key: 'thing1', value: '积分到期提醒' },
          { key: 'time2', value: '{{today}} 23:59' },
        ],
      },
    });
    tpl.smsReminder = await create({
      body: {
        code: 'sms_points',
        name: '短信积分提醒',
        channel: 'sms',
        purpose: 'reactivation',
        smsText: '【活跃】{{nickname}}，您有积分即将到期，退订回T',
      },
    });
    tpl.smsPromo = await create({
      body: {
        code: 'sms_promo',
        name: '短信召回优惠',
        channel: 'sms',
        purpose: 'marketing',
        smsText: '【活跃】{{nickname}}，好久不见，送您一张 8 折券，退订回T',
      },
    });
  });
  after(async () => server.stop());
  beforeEach(async () => {
    await settings({ caps: { per3Days: 100, per30Days: 100 } });
    await server.fake.clearFaults();
  });

  it('refuses templates that break WeChat rules, with the documented error shape', async () => {
    await expectError(
      owner.call(G.createTemplate, {
        body: {
          code: 'promo_wx',
          name: '促销',
          channel: 'subscribe',
          purpose: 'marketing',
          wechatTemplateId: POINTS_TPL,
          fields: [{ key: 'thing1', value: '8折' }],
        },
      }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      owner.call(G.createTemplate, {
        body: {
          code: 'no_fields',
          name: '空',
          channel: 'subscribe',
          purpose: 'reactivation',
          wechatTemplateId: POINTS_TPL,
        },
      }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      owner.call(G.createTemplate, {
        body: {
          code: 'points_expiring',
          name: '重复',
          channel: 'sms',
          purpose: 'reactivation',
          smsText: 'x',
        },
      }),
      409,
      'CONFLICT',
    );
    await expectError(
      owner.call(G.putSettings, {
        body: { ...DEFAULT_MESSAGING_SETTINGS, caps: { per3Days: 5, per30Days: 4 } },
      }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('counts consent per template: each accept is one send, each send uses one, ban and 43101 set it to zero', async () => {
    const m = await member();
    assert.equal((await quota(m.api, POINTS_TPL)).remaining, 1);
    assert.equal((await quota(m.api, POINTS_TPL)).remaining, 2);
    assert.equal(
      (await quota(m.api, POINTS_TPL, 'reject')).remaining,
      2,
      'a reject changes nothing',
    );
    const [a, b, c] = [
      await send(m.id, tpl.points!),
      await send(m.id, tpl.points!),
      await send(m.id, tpl.points!),
    ];
    const counts = await dispatcher.dispatchOnce();
    assert.equal(counts.sent, 2);
    // The three race for two credits: any two win, the third is held back.
    const outcomes = await Promise.all(
      [a, b, c].map(async (x) => {
        const v = await message(x.id);
        return `${v.status}:${v.reason ?? ''}`;
      }),
    );
    assert.deepEqual(outcomes.sort(), ['sent:', 'sent:', 'suppressed:no_quota']);
    assert.equal((await quota(m.api, POINTS_TPL, 'reject')).remaining, 0);
    const received = await fakeMessagesTo(m.openid);
    assert.equal(received.length, 2, 'no consent, no send');
    // msgids exceed 2^53: kept as the exact string WeChat sent.
    assert.ok(BigInt(received[0]!.msgid) > 2n ** 53n);
    const msgids = (await Promise.all([a, b, c].map((x) => message(x.id))))
      .map((v) => v.msgid)
      .filter((v) => v !== null);
    assert.deepEqual(msgids.sort(), received.map((r) => r.msgid).sort());

    await quota(m.api, POINTS_TPL);
    const banned = await quota(m.api, POINTS_TPL, 'ban');
    assert.deepEqual([banned.remaining, banned.banned], [0, true]);
  });

  it('43101 zeroes the quota and is not retried', async () => {
    const m = await member();
    for (let i = 0; i < 3; i++) await quota(m.api, POINTS_TPL);
    await server.fake.refuse(m.openid, POINTS_TPL);
    const before = await calls('/cgi-bin/message/subscribe/send');
    const sent = await send(m.id, tpl.points!);
    await dispatcher.dispatchOnce();
    await dispatcher.dispatchOnce(new Date(Date.now() + 3_600_000));
    const after = await message(sent.id);
    assert.deepEqual([after.status, after.reason, after.attempts], ['failed', '43101', 1]);
    assert.equal(
      (await calls('/cgi-bin/message/subscribe/send')) - before,
      1,
      'one call, no retry',
    );
    assert.equal((await quota(m.api, POINTS_TPL, 'reject')).remaining, 0);
  });

  it('falls back to the Official Account when there is no subscribe consent, and 43004 (not following) to SMS', async () => {
    const m = await member();
    const { oaOpenid } = await server.fake.follow(m.unionid);
    await owner.call(G.syncFollowers, { body: { followers: [{ unionid: m.unionid, oaOpenid }] } });
    const viaOa = await send(m.id, tpl.points!, [tpl.oa!, tpl.smsReminder!]);
    await dispatcher.dispatchOnce();
    const oa = await message(viaOa.id);
    assert.deepEqual([oa.status, oa.channel], ['sent', 'oa_template']);
    const [received] = await fakeMessagesTo(oaOpenid);
    assert.match(received!.page ?? '', /^pages\/points\/index\?hy_m=[A-Za-z0-9_-]+$/);

    // Our follower list says following, WeChat says not (43004): the flag is corrected and SMS takes over.
    const other = await member();
    const unfollowed = await server.fake.follow(other.unionid, false);
    await owner.call(G.syncFollowers, {
      body: { followers: [{ unionid: other.unionid, oaOpenid: unfollowed.oaOpenid }] },
    });
    const viaSms = await send(other.id, tpl.oa!, [tpl.smsReminder!]);
    await dispatcher.dispatchOnce();
    const sms = await message(viaSms.id);
    assert.deepEqual([sms.status, sms.channel], ['sent', 'sms']);
    const [text] = await fakeMessagesTo(other.phone);
    assert.match(text!.data.text!.value, /小王，您有积分即将到期/);
    const again = await send(other.id, tpl.oa!);
    await dispatcher.dispatchOnce();
    assert.deepEqual(
      [(await message(again.id)).status, (await message(again.id)).reason],
      ['suppressed', 'not_following'],
    );
  });

  it('retries transient errors with exponential backoff and jitter, gives the credit back meanwhile, and gives up after maxAttempts', async () => {
    await settings({
      caps: { per3Days: 100, per30Days: 100 },
      retry: { maxAttempts: 4, baseSeconds: 60 },
    });
    const m = await member();
    await quota(m.api, POINTS_TPL);
    await server.fake.fault('/cgi-bin/message/subscribe/send', { errcode: -1, times: 1 });
    await server.fake.fault('/cgi-bin/message/subscribe/send', { httpStatus: 502, times: 1 });
    const sent = await send(m.id, tpl.points!);
    const t0 = new Date();
    assert.equal((await dispatcher.dispatchOnce(t0)).retried, 1);
    const first = await message(sent.id);
    assert.deepEqual([first.status, first.reason], ['queued', 'retry:-1']);
    const delay1 = Date.parse(first.dueAt) - t0.getTime();
    assert.ok(delay1 >= 48_000 && delay1 <= 72_000, `first backoff ${delay1} ms is 60 s ± 20 %`);
    assert.equal(
      (await quota(m.api, POINTS_TPL, 'reject')).remaining,
      1,
      'the credit is back while it waits',
    );
    assert.equal(
      (await dispatcher.dispatchOnce(t0)).retried + (await dispatcher.dispatchOnce(t0)).sent,
      0,
      'nothing is due before the backoff',
    );

    const t1 = new Date(Date.parse(first.dueAt) + 1000);
    await dispatcher.dispatchOnce(t1);
    const second = await message(sent.id);
    assert.equal(second.reason, 'retry:-1002', 'HTTP 502 is transient too');
    const delay2 = Date.parse(second.dueAt) - t1.getTime();
    assert.ok(delay2 >= 96_000 && delay2 <= 144_000, `second backoff ${delay2} ms is 120 s ± 20 %`);

    await dispatcher.dispatchOnce(new Date(Date.parse(second.dueAt) + 1000));
    const done = await message(sent.id);
    assert.deepEqual([done.status, done.attempts], ['sent', 3]);
    assert.equal((await quota(m.api, POINTS_TPL, 'reject')).remaining, 0);

    const stubborn = await member();
    await quota(stubborn.api, POINTS_TPL);
    await server.fake.fault('/cgi-bin/message/subscribe/send', { errcode: 45009, times: 10 });
    const doomed = await send(stubborn.id, tpl.points!);
    let at = Date.now();
    for (let i = 0; i < 6; i++) await dispatcher.dispatchOnce(new Date((at += 3_600_000)));
    const gaveUp = await message(doomed.id);
    assert.deepEqual(
      [gaveUp.status, gaveUp.reason, gaveUp.attempts],
      ['failed', 'gave_up:45009', 4],
    );
    assert.equal(
      (await quota(stubborn.api, POINTS_TPL, 'reject')).remaining,
      1,
      'an unsent message uses no consent',
    );
  });

  it('refreshes the access token on 40001 and sends', async () => {
    const m = await member();
    await quota(m.api, POINTS_TPL);
    await server.fake.invalidateTokens();
    const tokensBefore = await calls('/cgi-bin/stable_token');
    const sent = await send(m.id, tpl.points!);
    await dispatcher.dispatchOnce();
    assert.equal((await message(sent.id)).status, 'sent');
    assert.ok((await calls('/cgi-bin/stable_token')) > tokensBefore, 'a fresh token was fetched');
  });

  it('holds messages during quiet hours and sends them when the window ends, never dropping one', async () => {
    const tz = server.config.brandTimezone;
    const now = new Date();
    const minutes = Math.floor(
      (now.getTime() - startOfBrandDay(brandDay(now, tz), tz).getTime()) / 60_000,
    );
    const hhmm = (m: number) =>
      `${String(Math.floor((((m % 1440) + 1440) % 1440) / 60)).padStart(2, '0')}:${String((((m % 1440) + 1440) % 1440) % 60).padStart(2, '0')}`;
    await settings({
      quietHours: { start: hhmm(minutes - 60), end: hhmm(minutes + 60) },
      caps: { per3Days: 100, per30Days: 100 },
    });
    const m = await member();
    await quota(m.api, POINTS_TPL);
    const sent = await send(m.id, tpl.points!);
    const counts = await dispatcher.dispatchOnce(new Date());
    assert.equal(counts.deferred, 1);
    const held = await message(sent.id);
    assert.equal(held.status, 'queued');
    const wait = Date.parse(held.dueAt) - now.getTime();
    assert.ok(
      wait > 58 * 60_000 && wait <= 61 * 60_000,
      `waits for the end of the window (${wait} ms)`,
    );
    assert.equal((await fakeMessagesTo(m.openid)).length, 0);
    await dispatcher.dispatchOnce(new Date(Date.parse(held.dueAt) + 1000));
    assert.equal((await message(sent.id)).status, 'sent');
  });

  it('caps reactivation messages per member across channels; transactional notices are not capped', async () => {
    await settings({ caps: { per3Days: 1, per30Days: 4 } });
    const m = await member();
    for (let i = 0; i < 3; i++) await quota(m.api, POINTS_TPL);
    for (let i = 0; i < 3; i++) await quota(m.api, COUPON_TPL);
    const first = await send(m.id, tpl.points!);
    await dispatcher.dispatchOnce();
    const second = await send(m.id, tpl.smsReminder!);
    const notices = [await send(m.id, tpl.coupon!), await send(m.id, tpl.coupon!)];
    await dispatcher.dispatchOnce();
    assert.equal((await message(first.id)).status, 'sent');
    assert.deepEqual(
      [(await message(second.id)).status, (await message(second.id)).reason],
      ['suppressed', 'capped'],
    );
    for (const n of notices) assert.equal((await message(n.id)).status, 'sent');
  });

  it('honours opt-out and marketing consent', async () => {
    const m = await member();
    await quota(m.api, COUPON_TPL);
    await m.api.call(G.putPreferences, { body: { reminders: false, marketingSms: false } });
    const quiet = await send(m.id, tpl.coupon!);
    const promo = await send(m.id, tpl.smsPromo!);
    await dispatcher.dispatchOnce();
    assert.equal((await message(quiet.id)).reason, 'opted_out');
    assert.equal((await message(promo.id)).reason, 'opted_out');
    await m.api.call(G.putPreferences, { body: { reminders: true, marketingSms: false } });
    const noConsent = await send(m.id, tpl.smsPromo!);
    await dispatcher.dispatchOnce();
    assert.deepEqual(
      [(await message(noConsent.id)).status, (await message(noConsent.id)).reason],
      ['suppressed', 'no_marketing_consent'],
    );
    assert.deepEqual(
      await m.api.call(G.putPreferences, { body: { reminders: true, marketingSms: true } }),
      { reminders: true, marketingSms: true },
    );
    const consented = await send(m.id, tpl.smsPromo!);
    await dispatcher.dispatchOnce();
    assert.equal((await message(consented.id)).status, 'sent');
    assert.equal((await fakeMessagesTo(m.phone)).length, 1);
  });

  it('fits values to WeChat rules before sending: long text is cut, an impossible value is never sent', async () => {
    const m = await member('一二三四五六七八九十一二三四五六七八九十一二三');
    await quota(m.api, POINTS_TPL);
    await quota(m.api, TIER_TPL);
    const long = await send(m.id, tpl.points!);
    const before = await calls('/cgi-bin/message/subscribe/send');
    const phrase = await send(m.id, tpl.tier!); // phrase2 gets a 23-character nickname: no way to fit it
    await dispatcher.dispatchOnce();
    const [received] = await fakeMessagesTo(m.openid);
    assert.equal(Array.from(received!.data.thing1!.value).length, 20);
    assert.ok(received!.data.thing1!.value.endsWith('…'));
    assert.deepEqual(
      [(await message(phrase.id)).status, (await message(phrase.id)).reason],
      ['failed', 'invalid_field:phrase2'],
    );
    assert.equal(
      (await calls('/cgi-bin/message/subscribe/send')) - before,
      1,
      'only the valid one reached WeChat',
    );
    assert.equal((await message(long.id)).status, 'sent');
    assert.equal(
      (await quota(m.api, TIER_TPL, 'reject')).remaining,
      1,
      'the credit of the unsent one is kept',
    );
  });

  it('records the landing: opening the page from a message is an interaction, once', async () => {
    const m = await member();
    await quota(m.api, POINTS_TPL);
    const sent = await send(m.id, tpl.points!);
    await dispatcher.dispatchOnce();
    const [received] = await fakeMessagesTo(m.openid);
    const token = new URL(`https://x/${received!.page}`).searchParams.get('hy_m')!;
    await m.api.call(G.opened, { body: { token } });
    await m.api.call(G.opened, { body: { token } });
    assert.ok((await message(sent.id)).openedAt);
    const opened = (await server.dataSource.query(
      "SELECT COUNT(*) AS n FROM engagement_event WHERE member_id = ? AND type = 'message_opened'",
      [m.id],
    )) as { n: number }[];
    assert.equal(Number(opened[0]!.n), 1);
    await expectError(
      m.api.call(G.opened, { body: { token: 'AAAAAAAAAAAAAAAA' } }),
      404,
      'NOT_FOUND',
    );
    const stranger = await member();
    await expectError(stranger.api.call(G.opened, { body: { token } }), 404, 'NOT_FOUND');
  });

  it('two dispatchers at once send each message exactly once', async () => {
    const members = [];
    for (let i = 0; i < 12; i++) members.push(await member());
    for (const m of members) await quota(m.api, COUPON_TPL);
    const ids = [];
    for (const m of members) ids.push((await send(m.id, tpl.coupon!)).id);
    const [a, b] = await Promise.all([
      dispatcher.dispatchOnce(new Date(), 5),
      dispatcher.dispatchOnce(new Date(), 5),
    ]);
    await dispatcher.dispatchOnce();
    assert.ok(a.sent + b.sent <= 10);
    for (const id of ids) assert.equal((await message(id)).status, 'sent');
    for (const m of members)
      assert.equal((await fakeMessagesTo(m.openid)).length, 1, 'no duplicates');
  });
});
