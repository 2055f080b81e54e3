import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  addDays,
  ApiError,
  brandDay,
  DEFAULT_MESSAGING_SETTINGS,
  routes,
  startOfBrandDay,
  type ApiClient,
} from '@huoyue/shared';
import { MessageDispatcher } from '@huoyue/server/dist/modules/messaging/dispatcher.js';
import { expectError, staffLogin, uniquePhone } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const A = routes.campaigns;
const COUPON_TPL = 'tpl_coupon_expiring_00000000000000000000000';

let seq = 0;
const orderNo = () => `AA${process.pid}-${Date.now().toString(36)}-${++seq}`;

/**
 * The winback playbook installed with its coupon: dormant members get the coupon and the message that names it
 * (or an SMS, or nothing, by consent), and the report says what happened to each message and why; staff edit,
 * pause and delete automations within what keeps a report about one definition.
 */
describe('automations: the winback coupon, failure reasons, editing, pausing and deleting', () => {
  let server: TestServer;
  let owner: ApiClient;
  let dispatcher: MessageDispatcher;
  let winbackId: number;
  let couponId: number;

  const member = async (nickname: string) => {
    const openid = `o${randomBytes(14).toString('hex').slice(0, 27)}`;
    const { code } = await server.fake.loginCode(openid);
    const session = await server.client().call(routes.members.wechatLogin, { body: { code } });
    const joined = await server.client(session.token).call(routes.members.join, {
      body: { nickname, phoneCode: (await server.fake.phoneCode(uniquePhone())).code },
    });
    return { id: joined.member.id, openid, api: server.client(joined.token) };
  };
  /** A purchase 200 days ago: with the default thresholds the member is dormant at once. */
  const boughtLongAgo = (memberId: number) => {
    const tz = server.config.brandTimezone;
    const day = addDays(brandDay(new Date(), tz), -200);
    return owner.call(routes.points.createOrder, {
      body: {
        orderNo: orderNo(),
        member: { id: memberId },
        amount: 8_800,
        paidAt: new Date(startOfBrandDay(day, tz).getTime() + 12 * 3_600_000).toISOString(),
      },
    });
  };

  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
    dispatcher = server.app.get(MessageDispatcher);
    await owner.call(routes.messaging.putSettings, {
      body: { ...DEFAULT_MESSAGING_SETTINGS, quietHours: null },
    });
    couponId = (
      await owner.call(routes.coupons.createTemplate, {
        body: {
          name: '回归专享券',
          kind: 'cash',
          value: 2_000,
          threshold: 10_000,
          validity: { kind: 'days', days: 14 },
          channels: ['center', 'issued'],
        },
      })
    ).id;
  });
  after(async () => server.stop());

  it('installs the winback playbook with its coupon; a dormant member gets the coupon and the message naming it', async () => {
    const installed = await owner.call(A.installPlaybook, {
      params: { code: 'dormant_winback' },
      body: { couponTemplateId: couponId },
    });
    winbackId = installed.id;
    assert.equal(installed.entered, 0);
    // Nobody entered yet: the whole definition may change, here the control share (so every member is treated).
    const { id: _id, playbook: _p, entered: _e, ...body } = installed;
    const edited = await owner.call(A.update, {
      params: { id: winbackId },
      body: { ...body, controlPercent: 0 },
    });
    assert.equal(edited.controlPercent, 0);

    const subscribed = await member('阿订');
    await subscribed.api.call(routes.messaging.reportSubscriptions, {
      body: { results: { [COUPON_TPL]: 'accept' } },
    });
    const silent = await member('阿静');
    const smsFan = await member('阿信');
    await smsFan.api.call(routes.messaging.putPreferences, {
      body: { reminders: true, marketingSms: true },
    });
    for (const m of [subscribed, silent, smsFan]) await boughtLongAgo(m.id);
    await dispatcher.dispatchOnce();

    for (const m of [subscribed, silent, smsFan]) {
      const wallet = await m.api.call(routes.coupons.wallet, { query: {} });
      assert.deepEqual(
        wallet.items.map((c) => c.name),
        ['回归专享券'],
        'the coupon is in every treated member’s wallet, consent or not',
      );
    }
    const received = await server.fake.messages();
    const toSubscribed = received.filter((x) => x.touser === subscribed.openid);
    assert.equal(toSubscribed.length, 1);
    assert.equal(toSubscribed[0]!.data.thing1?.value, '回归专享券', 'the message names the coupon');
    assert.equal(received.filter((x) => x.touser === silent.openid).length, 0);
    assert.equal(
      received.filter((x) => x.channel === 'sms').length,
      1,
      'the SMS fallback reached only the member who agreed to promotional SMS',
    );

    const report = await owner.call(A.report, { params: { id: winbackId } });
    assert.equal(report.treatment.qualified, 3);
    assert.equal(report.treatment.sent, 2);
    assert.deepEqual(report.treatment.failed, { no_marketing_consent: 1 });
    assert.equal(report.pending, 0);
    assert.deepEqual(report.control.failed, {});
    assert.deepEqual(report.sample, { sufficient: false, reason: '样本不足：没有对照组' });
    assert.equal(report.uplift, null);
  });

  it('keeps why an action could not be taken, and counts messages still waiting', async () => {
    const scarce = await owner.call(routes.coupons.createTemplate, {
      body: {
        name: '限量券',
        kind: 'cash',
        value: 500,
        validity: { kind: 'days', days: 7 },
        totalQuantity: 1,
        channels: ['issued'],
      },
    });
    const template = (await owner.call(routes.messaging.listTemplates)).items.find(
      (t) => t.code === 'pb_winback_coupon',
    )!;
    const automation = await owner.call(A.create, {
      body: {
        name: '限量回归',
        trigger: { type: 'stage_changed', to: 'dormant' },
        actions: { couponTemplateId: scarce.id, messageTemplateIds: [template.id] },
        controlPercent: 0,
      },
    });
    // Only this automation: the winback one pauses meanwhile.
    await owner.call(A.setActive, { params: { id: winbackId }, body: { active: false } });
    const [first, second] = [await member('甲'), await member('乙')];
    await boughtLongAgo(first.id);
    await boughtLongAgo(second.id);
    const report = await owner.call(A.report, { params: { id: automation.id } });
    assert.equal(report.treatment.qualified, 2);
    assert.deepEqual(report.actionErrors, { '来晚了，优惠券已经领完了': 1 });
    assert.equal(report.pending, 1, 'the first member’s message is queued, not yet sent');
    await dispatcher.dispatchOnce();
    assert.equal((await owner.call(A.report, { params: { id: automation.id } })).pending, 0);
    await owner.call(A.setActive, { params: { id: automation.id }, body: { active: false } });
    await owner.call(A.setActive, { params: { id: winbackId }, body: { active: true } });
  });

  it('once members entered: the experiment is fixed, the rest editable; paused, not deleted', async () => {
    const [current] = (await owner.call(A.list)).items.filter((a) => a.id === winbackId);
    assert.equal(current!.entered, 3);
    const { id: _id, playbook: _p, entered: _e, ...body } = current!;
    await assert.rejects(
      owner.call(A.update, {
        params: { id: winbackId },
        body: { ...body, trigger: { type: 'stage_changed', to: 'lost' } },
      }),
      (err: ApiError) => {
        assert.equal(err.status, 409);
        assert.match(err.message, /触发条件、对照组比例和转化口径不能再改/);
        return true;
      },
    );
    await expectError(
      owner.call(A.update, { params: { id: winbackId }, body: { ...body, controlPercent: 20 } }),
      409,
      'CONFLICT',
    );
    const renamed = await owner.call(A.update, {
      params: { id: winbackId },
      body: { ...body, name: '老朋友回归', actions: { ...body.actions, points: 20 } },
    });
    assert.equal(renamed.name, '老朋友回归');
    assert.equal(renamed.actions.points, 20);

    await assert.rejects(owner.call(A.remove, { params: { id: winbackId } }), (err: ApiError) => {
      assert.equal(err.status, 409);
      assert.equal(
        err.message,
        '已有 3 位会员进入「老朋友回归」，保留它以便查看报表，不能删除；可以停用它',
      );
      return true;
    });
    const paused = await owner.call(A.setActive, {
      params: { id: winbackId },
      body: { active: false },
    });
    assert.equal(paused.active, false);
    const later = await member('丙');
    await boughtLongAgo(later.id);
    assert.equal(
      (await owner.call(A.report, { params: { id: winbackId } })).treatment.qualified,
      3,
      'a paused automation enrols nobody',
    );
    const resumed = await owner.call(A.setActive, {
      params: { id: winbackId },
      body: { active: true },
    });
    assert.equal(resumed.active, true);
  });

  it('deletes an automation nobody entered, audited; refuses a coupon that cannot be issued', async () => {
    const draft = await owner.call(A.create, {
      body: { name: '草稿', trigger: { type: 'birthday' }, actions: { points: 10 } },
    });
    assert.deepEqual(await owner.call(A.remove, { params: { id: draft.id } }), { deleted: true });
    assert.ok(!(await owner.call(A.list)).items.some((a) => a.id === draft.id));
    const audit = await owner.call(routes.staff.audit, { query: { entityType: 'automation' } });
    const actions = audit.items.map((a) => `${a.action}:${a.entityId}`);
    for (const expected of [
      `automation.delete:${draft.id}`,
      `automation.pause:${winbackId}`,
      `automation.resume:${winbackId}`,
      `automation.update:${winbackId}`,
    ])
      assert.ok(actions.includes(expected), `${expected} in ${actions.join(', ')}`);

    const centerOnly = await owner.call(routes.coupons.createTemplate, {
      body: { name: '仅领券中心', kind: 'cash', value: 300, validity: { kind: 'days', days: 3 } },
    });
    await assert.rejects(
      owner.call(A.create, {
        body: {
          name: '发不出的券',
          trigger: { type: 'birthday' },
          actions: { couponTemplateId: centerOnly.id },
        },
      }),
      (err: ApiError) => {
        assert.equal(err.status, 422);
        assert.match(err.message, /「仅领券中心」未开启「定向发放」渠道/);
        return true;
      },
    );
    await expectError(
      owner.call(A.create, {
        body: {
          name: '不存在的券',
          trigger: { type: 'birthday' },
          actions: { couponTemplateId: 9999 },
        },
      }),
      404,
      'NOT_FOUND',
    );
  });
});
