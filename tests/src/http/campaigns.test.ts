import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ApiError, DEFAULT_MESSAGING_SETTINGS, routes, type ApiClient } from '@huoyue/shared';
import { inControlGroup, uplift } from '@huoyue/server/dist/modules/campaigns/control-group.js';
import { MessageDispatcher } from '@huoyue/server/dist/modules/messaging/dispatcher.js';
import { expectError, staffLogin, uniquePhone, runJobAt } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const A = routes.campaigns;
const G = routes.messaging;
const COUPON_TPL = 'tpl_coupon_expiring_00000000000000000000000';

let seq = 0;
const orderNo = () => `CP${process.pid}-${Date.now().toString(36)}-${++seq}`;

describe('automations: triggers, control groups, actions, conversions and the uplift report', () => {
  let server: TestServer;
  let owner: ApiClient;
  let dispatcher: MessageDispatcher;

  const member = async () => {
    const openid = `o${randomBytes(14).toString('hex').slice(0, 27)}`;
    const { code } = await server.fake.loginCode(openid);
    const session = await server.client().call(routes.members.wechatLogin, { body: { code } });
    const joined = await server.client(session.token).call(routes.members.join, {
      body: { nickname: '阿花', phoneCode: (await server.fake.phoneCode(uniquePhone())).code },
    });
    return { id: joined.member.id, openid, api: server.client(joined.token) };
  };
  const buy = (memberId: number) =>
    owner.call(routes.points.createOrder, {
      body: {
        orderNo: orderNo(),
        member: { id: memberId },
        amount: 9_900,
        paidAt: new Date().toISOString(),
      },
    });
  /** Points the automation granted (ledger entries of source `automation`). */
  const rewarded = async (memberId: number) =>
    Number(
      (
        (await server.dataSource.query(
          "SELECT COALESCE(SUM(points), 0) AS p FROM points_entry WHERE member_id = ? AND source_type = 'automation'",
          [memberId],
        )) as { p: number }[]
      )[0]!.p,
    );

  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
    dispatcher = server.app.get(MessageDispatcher);
    await owner.call(G.putSettings, { body: { ...DEFAULT_MESSAGING_SETTINGS, quietHours: null } });
  });
  after(async () => server.stop());

  it('validates automations', async () => {
    await expectError(
      owner.call(A.create, { body: { name: '空', trigger: { type: 'at_risk' }, actions: {} } }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      owner.call(A.create, {
        body: {
          name: '坏',
          trigger: { type: 'stage_changed', to: 'sleepy' as never },
          actions: { points: 5 },
        },
      }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      owner.call(A.create, {
        body: {
          name: '缺模板',
          trigger: { type: 'at_risk' },
          actions: { messageTemplateIds: [999_999] },
        },
      }),
      404,
      'NOT_FOUND',
    );
    await expectError(
      owner.call(A.create, {
        body: {
          name: '对照过大',
          trigger: { type: 'at_risk' },
          actions: { points: 5 },
          controlPercent: 80,
        },
      }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('enrols on the trigger, holds out the control group (who get nothing), converts both groups and reports the uplift', async () => {
    const template = await owner.call(G.createTemplate, {
      body: {
        code: 'first_purchase_thanks',
        name: '首购礼到账',
        channel: 'subscribe',
        purpose: 'reactivation',
        wechatTemplateId: COUPON_TPL,
        page: 'pages/points/index',
        fields: [
          { key: 'thing1', value: '首购礼：10 积分' },
          { key: 'date2', value: '{{today}}' },
          { key: 'thing3', value: '已存入您的账户' },
        ],
      },
    });
    const automation = await owner.call(A.create, {
      body: {
        name: '首购回馈',
        trigger: { type: 'stage_changed', to: 'active' },
        actions: { points: 10, messageTemplateIds: [template.id] },
        controlPercent: 40,
        conversion: { kind: 'checkin', days: 7 },
      },
    });
    const members = [];
    for (let i = 0; i < 24; i++) members.push(await member());
    // Everyone but the last agreed to the message.
    for (const m of members.slice(0, -1))
      await m.api.call(G.reportSubscriptions, { body: { results: { [COUPON_TPL]: 'accept' } } });
    for (const m of members) await buy(m.id); // new → active: the trigger
    await buy(members[0]!.id); // already active: no second enrolment

    const control = members.filter((m) => inControlGroup(automation.id, m.id, 40));
    const treated = members.filter((m) => !inControlGroup(automation.id, m.id, 40));
    assert.ok(
      control.length > 0 && treated.length > 1,
      `groups ${treated.length}/${control.length}`,
    );
    await dispatcher.dispatchOnce();
    for (const m of treated) assert.equal(await rewarded(m.id), 10, 'the reward, once');
    for (const m of control)
      assert.equal(await rewarded(m.id), 0, 'the control group gets nothing');
    const messages = (
      await owner.call(G.listMessages, { query: { automationId: automation.id, limit: 100 } })
    ).items;
    assert.deepEqual(
      messages.map((x) => x.memberId).sort(),
      treated.map((m) => m.id).sort(),
      'one message per treated member, none for control',
    );
    for (const m of control)
      assert.equal((await server.fake.messages()).filter((x) => x.touser === m.openid).length, 0);

    // Conversions: check-ins within 7 days, by two treated members and one held out; one treated opens the message.
    for (const m of [treated[0]!, treated[1]!, control[0]!])
      await m.api.call(routes.engagement.checkin, { body: {} });
    const landing = (await server.fake.messages()).find((x) => x.touser === treated[0]!.openid)!;
    await treated[0]!.api.call(G.opened, {
      body: { token: new URL(`https://x/${landing.page}`).searchParams.get('hy_m')! },
    });

    const report = await owner.call(A.report, { params: { id: automation.id } });
    const noConsent = treated.includes(members.at(-1)!) ? 1 : 0;
    assert.deepEqual(report.treatment, {
      qualified: treated.length,
      sent: treated.length - noConsent,
      failed: noConsent ? { no_quota: 1 } : {},
      opened: 1,
      converted: 2,
      conversionRate: 2 / treated.length,
    });
    assert.deepEqual(report.control, {
      qualified: control.length,
      sent: 0,
      failed: {},
      opened: 0,
      converted: 1,
      conversionRate: 1 / control.length,
    });
    assert.equal(report.pending, 0);
    assert.deepEqual(report.actionErrors, {});
    // About ten held out and three conversions: below the minimum sample, so no uplift is claimed.
    assert.equal(report.sample.sufficient, false);
    assert.match(
      report.sample.reason!,
      /^样本不足：实验组 \d+ 人、对照组 \d+ 人，每组至少需要 30 人$/,
    );
    assert.equal(report.uplift, null);
    assert.ok(uplift({ n: treated.length, converted: 2 }, { n: control.length, converted: 1 }));
  });

  it('runs the daily triggers: birthdays, new members without a purchase, broken check-in streaks', async () => {
    const runDaily = (asOf: Date) => runJobAt(server, 'automations.daily', asOf);
    const isEnrolled = async (automationId: number, memberId: number) =>
      Number(
        (
          (await server.dataSource.query(
            'SELECT COUNT(*) AS n FROM automation_enrollment WHERE automation_id = ? AND member_id = ?',
            [automationId, memberId],
          )) as { n: number }[]
        )[0]!.n,
      );
    const enrolled = async (automationId: number) =>
      (await owner.call(A.report, { params: { id: automationId } })).treatment.qualified +
      (await owner.call(A.report, { params: { id: automationId } })).control.qualified;
    const birthday = await owner.call(A.create, {
      body: { name: '生日礼', trigger: { type: 'birthday' }, actions: { points: 88 } },
    });
    const welcome = await owner.call(A.create, {
      body: {
        name: '三天未首购',
        trigger: { type: 'joined_no_purchase', days: 3 },
        actions: { points: 5 },
      },
    });
    const anyStreak = await owner.call(A.create, {
      body: {
        name: '断签提醒',
        trigger: { type: 'streak_broken', minStreak: 1 },
        actions: { points: 1 },
      },
    });
    const longStreak = await owner.call(A.create, {
      body: {
        name: '长连签断签',
        trigger: { type: 'streak_broken', minStreak: 5 },
        actions: { points: 1 },
      },
    });

    const today = new Date();
    const inThreeDays = new Date(today.getTime() + 3 * 86_400_000);
    const tz = server.config.brandTimezone;
    const mmdd = new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      month: '2-digit',
      day: '2-digit',
    }).format(inThreeDays);
    const phone = uniquePhone();
    const openid = `o${randomBytes(14).toString('hex').slice(0, 27)}`;
    const session = await server.client().call(routes.members.wechatLogin, {
      body: { code: (await server.fake.loginCode(openid)).code },
    });
    const joined = await server.client(session.token).call(routes.members.join, {
      body: {
        nickname: '寿星',
        birthday: `1990-${mmdd}`,
        phoneCode: (await server.fake.phoneCode(phone)).code,
      },
    });
    const checkedIn = await member();
    await checkedIn.api.call(routes.engagement.checkin, { body: {} });

    await runDaily(today);
    assert.equal(await enrolled(birthday.id), 0, 'not their birthday yet');
    assert.equal(await enrolled(welcome.id), 0, 'joined today, not three days ago');
    await runDaily(inThreeDays);
    assert.equal(await enrolled(birthday.id), 1);
    assert.equal(await isEnrolled(birthday.id, joined.member.id), 1);
    assert.equal(
      (await isEnrolled(welcome.id, joined.member.id)) +
        (await isEnrolled(welcome.id, checkedIn.id)),
      2,
      'both joined three days before, neither bought',
    );
    assert.equal(await enrolled(anyStreak.id), 0, 'the streak broke two days ago, not yesterday');
    await runDaily(new Date(today.getTime() + 2 * 86_400_000));
    assert.equal(
      await isEnrolled(anyStreak.id, checkedIn.id),
      1,
      'checked in the day before yesterday, not since',
    );
    assert.equal(await enrolled(longStreak.id), 0, 'a one-day streak is not a five-day one');
    await runDaily(inThreeDays);
    assert.equal(await enrolled(birthday.id), 1, 'the dedupe window makes a second run a no-op');

    // "Points expiring in 5 days": an imported member whose 100 points are usable through today + 5.
    const expiring = await owner.call(A.create, {
      body: {
        name: '积分 5 天后到期',
        trigger: { type: 'points_expiring', days: 5 },
        actions: { points: 1 },
      },
    });
    const lastDay = new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(
      new Date(today.getTime() + 5 * 86_400_000),
    );
    const ref = `EXP${Date.now()}`;
    const token = (
      await server
        .client()
        .call(routes.staff.login, { body: { username: 'owner', password: 'owner-password-1' } })
    ).token;
    const upload = await fetch(`${server.apiUrl}/admin/imports/members`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: `member_ref,phone,nickname,birthday,tier_code,points_balance,points_expire_at\n${ref},,老会员,,,100,${lastDay}\n`,
    });
    const { id: importId } = (await upload.json()) as { id: number };
    for (
      let i = 0;
      i < 200 &&
      (await owner.call(routes.points.getImport, { params: { id: importId } })).status !== 'done';
      i++
    )
      await new Promise((r) => setTimeout(r, 50));
    const [{ id: imported }] = (await server.dataSource.query(
      'SELECT id FROM member WHERE external_ref = ?',
      [ref],
    )) as [{ id: number }];
    await runDaily(new Date(today.getTime() + 86_400_000));
    assert.equal(await isEnrolled(expiring.id, Number(imported)), 0, 'six days ahead: not yet');
    await runDaily(today);
    assert.equal(
      await isEnrolled(expiring.id, Number(imported)),
      1,
      'five days before the last usable day',
    );
  });

  it('ships playbooks by audience, installed once', async () => {
    const { items } = await owner.call(A.playbooks);
    assert.deepEqual(
      items.map((p) => p.code),
      ['new_member_activation', 'low_frequency_reminder', 'dormant_winback', 'lost_recall'],
    );
    assert.ok(items.every((p) => p.installedAutomationId === null && p.audience.length > 0));
    assert.deepEqual(
      items.map((p) => p.coupon),
      ['required', 'none', 'required', 'none'],
      'the playbooks whose messages say a coupon arrived ask for it',
    );
    await assert.rejects(
      owner.call(A.installPlaybook, { params: { code: 'dormant_winback' }, body: {} }),
      (err: ApiError) => {
        assert.equal(err.status, 400);
        assert.equal(
          err.message,
          '「沉睡会员唤回」会在消息里告诉会员券已到账，请选择要发放的优惠券',
        );
        return true;
      },
    );
    const centerOnly = await owner.call(routes.coupons.createTemplate, {
      body: { name: '领券中心券', kind: 'cash', value: 500, validity: { kind: 'days', days: 7 } },
    });
    await assert.rejects(
      owner.call(A.installPlaybook, {
        params: { code: 'dormant_winback' },
        body: { couponTemplateId: centerOnly.id },
      }),
      (err: ApiError) => {
        assert.equal(err.status, 422);
        assert.match(err.message, /未开启「定向发放」渠道/);
        return true;
      },
    );
    assert.equal(
      (await owner.call(A.playbooks)).items.find((p) => p.code === 'dormant_winback')!
        .installedAutomationId,
      null,
      'nothing installed by a refused attempt',
    );
    const winback = await owner.call(routes.coupons.createTemplate, {
      body: {
        name: '回归专享券',
        kind: 'cash',
        value: 2_000,
        validity: { kind: 'days', days: 14 },
        channels: ['issued'],
      },
    });
    const installed = await owner.call(A.installPlaybook, {
      params: { code: 'dormant_winback' },
      body: { couponTemplateId: winback.id },
    });
    assert.equal(installed.actions.couponTemplateId, winback.id);
    assert.deepEqual(installed.trigger, { type: 'stage_changed', to: 'dormant' });
    assert.equal(installed.conditions.lowFrequency, false);
    const templates = (await owner.call(G.listTemplates)).items.filter((t) =>
      installed.actions.messageTemplateIds.includes(t.id),
    );
    assert.deepEqual(
      templates.map((t) => [t.channel, t.purpose]),
      [
        ['subscribe', 'reactivation'],
        ['sms', 'marketing'],
      ],
      'WeChat for the service notice, promotion only by SMS',
    );
    await expectError(
      owner.call(A.installPlaybook, {
        params: { code: 'dormant_winback' },
        body: { couponTemplateId: winback.id },
      }),
      409,
      'CONFLICT',
    );
    assert.equal(
      (await owner.call(A.playbooks)).items.find((p) => p.code === 'dormant_winback')!
        .installedAutomationId,
      installed.id,
    );
    const lost = await owner.call(A.installPlaybook, { params: { code: 'lost_recall' }, body: {} });
    const lostTemplates = (await owner.call(G.listTemplates)).items.filter((t) =>
      lost.actions.messageTemplateIds.includes(t.id),
    );
    assert.deepEqual(
      lostTemplates.map((t) => t.channel),
      ['sms'],
    );
  });
});
