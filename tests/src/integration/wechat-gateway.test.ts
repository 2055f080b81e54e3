import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WechatAccessToken } from '@huoyue/server/dist/infra/wechat/access-token.entity.js';
import { WechatGateway } from '@huoyue/server/dist/infra/wechat/wechat.gateway.js';
import { WechatApiError } from '@huoyue/server/dist/infra/wechat/wechat.errors.js';
import { DEFAULT_TEMPLATES } from '@huoyue/server/dist/fake-wechat/fake-wechat.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const template = DEFAULT_TEMPLATES[0]!;
const data = {
  thing1: { value: '积分即将到期' },
  number2: { value: '500' },
  date3: { value: '2026年12月31日' },
};

describe('WechatGateway against the fake WeChat over HTTP', () => {
  let server: TestServer;
  let gateway: WechatGateway;
  let openid: string;
  before(async () => {
    server = await startTestServer();
    gateway = server.app.get(WechatGateway);
    openid = (await server.fake.loginCode()).openid;
  });
  after(async () => server.stop());

  it('sends a subscribe message and keeps the >2^53 msgid exact, as a string', async () => {
    const msgid = await gateway.sendSubscribeMessage({
      touser: openid,
      templateId: template.templateId,
      data,
    });
    assert.equal(typeof msgid, 'string');
    assert.ok(BigInt(msgid) > BigInt(Number.MAX_SAFE_INTEGER));
    const accepted = (await (await fetch(`${server.fakeWechatUrl}/__fake/messages`)).json()) as {
      items: { msgid: string }[];
    };
    assert.ok(
      accepted.items.some((m) => m.msgid === msgid),
      'the id we kept is the id WeChat gave',
    );
  });

  it('the access token lives in the database, shared; stable_token is called once for many sends', async () => {
    const before = (await server.fake.stats()).calls['/cgi-bin/stable_token'] ?? 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        gateway.sendSubscribeMessage({ touser: openid, templateId: template.templateId, data }),
      ),
    );
    const afterCalls = (await server.fake.stats()).calls['/cgi-bin/stable_token'] ?? 0;
    assert.ok(afterCalls - before <= 1, `stable_token calls: ${afterCalls - before}`);
    const rows = await server.dataSource.getRepository(WechatAccessToken).find();
    assert.equal(rows.length, 1);
    assert.ok(rows[0]!.expiresAt.getTime() > Date.now() + 3_600_000);
  });

  it('on 40001 (token replaced) and 42001 (expired) it refreshes once and retries once', async () => {
    for (const path of ['/__fake/tokens/invalidate-all', '/__fake/tokens/expire-all']) {
      await server.fake.post(path);
      const old = (await server.dataSource.getRepository(WechatAccessToken).findOneByOrFail({}))
        .token;
      const msgid = await gateway.sendSubscribeMessage({
        touser: openid,
        templateId: template.templateId,
        data,
      });
      assert.ok(msgid);
      const fresh = (await server.dataSource.getRepository(WechatAccessToken).findOneByOrFail({}))
        .token;
      assert.notEqual(fresh, old, `${path}: a new token was fetched and stored`);
    }
  });

  it('a second token refusal in a row is not retried forever: the error comes back', async () => {
    await server.fake.fault('/cgi-bin/message/subscribe/send', { errcode: 40001, times: 2 });
    await assert.rejects(
      gateway.sendSubscribeMessage({ touser: openid, templateId: template.templateId, data }),
      (e: WechatApiError) => e.errcode === 40001,
    );
  });

  it('43101 (no consent left) and 47003 (bad value) are permanent; -1 and timeouts are transient', async () => {
    await server.fake.post('/__fake/refusals', { openid, templateId: template.templateId });
    await assert.rejects(
      gateway.sendSubscribeMessage({ touser: openid, templateId: template.templateId, data }),
      (e: WechatApiError) => e.errcode === 43101 && !e.transient,
    );
    const other = (await server.fake.loginCode()).openid;
    await assert.rejects(
      gateway.sendSubscribeMessage({
        touser: other,
        templateId: template.templateId,
        data: { ...data, thing1: { value: '这是一段超过二十个字的事物描述，微信会拒绝它的' } },
      }),
      (e: WechatApiError) => e.errcode === 47003 && !e.transient,
    );
    await server.fake.fault('/cgi-bin/message/subscribe/send', { errcode: -1, times: 1 });
    await assert.rejects(
      gateway.sendSubscribeMessage({ touser: other, templateId: template.templateId, data }),
      (e: WechatApiError) => e.errcode === -1 && e.transient,
    );
    await server.fake.fault('/cgi-bin/message/subscribe/send', { delayMs: 6_000, times: 1 });
    await assert.rejects(
      gateway.sendSubscribeMessage({ touser: other, templateId: template.templateId, data }),
      (e: WechatApiError) => e.transient,
    );
  });

  it('phone numbers come from a single-use code', async () => {
    const { code } = await server.fake.phoneCode('13700001234');
    const phone = await gateway.getPhoneNumber(code);
    assert.deepEqual(phone, {
      phoneNumber: '+8613700001234',
      purePhoneNumber: '13700001234',
      countryCode: '86',
    });
    await assert.rejects(gateway.getPhoneNumber(code), (e: WechatApiError) => e.errcode === 40029);
  });

  it('Official Account template messages need a follower (43004) and dedupe on client_msg_id', async () => {
    const account = { appId: 'wxfake0000000000oa', appSecret: 'fake-secret-for-local-development' };
    const oaTemplate = DEFAULT_TEMPLATES[4]!;
    const message = {
      touser: 'oOAnotfollowing000000000000',
      templateId: oaTemplate.templateId,
      data: { thing1: { value: '会员服务' }, time2: { value: '2026-12-01 10:00' } },
    };
    await assert.rejects(
      gateway.sendTemplateMessage(account, message),
      (e: WechatApiError) => e.errcode === 40003,
    );
    const follower = await server.fake.post<{ oaOpenid: string }>('/__fake/followers', {
      unionid: 'oUNION0000000000000000000001',
    });
    const first = await gateway.sendTemplateMessage(account, {
      ...message,
      touser: follower.oaOpenid,
      clientMsgId: 'once-1',
    });
    const second = await gateway.sendTemplateMessage(account, {
      ...message,
      touser: follower.oaOpenid,
      clientMsgId: 'once-1',
    });
    assert.equal(first, second);
  });
});
