import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { routes } from '@huoyue/shared';
import { MemberSession, memoryStorage } from '@huoyue/miniapp';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe("the mini-program's typed client against the real server", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.stop());

  it('logs in on first use, joins, and logs in again silently when the token goes bad', async () => {
    const openid = 'oTESTsession0000000000000001';
    let logins = 0;
    const storage = memoryStorage();
    const session = new MemberSession({
      baseUrl: server.apiUrl,
      storage,
      login: async () => {
        logins++;
        return (await server.fake.loginCode(openid)).code;
      },
    });
    const card = await session.call(routes.members.me);
    assert.equal(card.stage, 'potential');
    assert.equal(logins, 1);
    const joined = await session.join({ nickname: '小程序用户' });
    assert.equal(joined.member.nickname, '小程序用户');
    storage.set('expired.or.garbage');
    const again = await session.call(routes.members.me);
    assert.equal(again.id, card.id);
    assert.equal(logins, 2, 'one silent re-login');
    // Several calls that find the token stale together share one login.
    storage.set('stale');
    await Promise.all([
      session.call(routes.members.me),
      session.call(routes.members.cardCode),
      session.call(routes.members.me),
    ]);
    assert.equal(logins, 3);
  });

  it('beside the fake WeChat, hands the browser build login and phone codes that work, and refuses bad input with the error shape', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${server.apiUrl}/dev/wechat/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const bad = await post('login-code', { openid: 'x' });
    assert.equal(bad.status, 400);
    assert.deepEqual(await bad.json(), {
      error: { code: 'VALIDATION_FAILED', message: 'openid 格式不正确' },
    });
    assert.equal((await post('phone-code', { phone: '12345' })).status, 400);
    const { code } = (await (
      await post('login-code', { openid: 'oH5devbrowser000000000000000' })
    ).json()) as { code: string };
    const visitor = await server.client().call(routes.members.wechatLogin, { body: { code } });
    const { code: phoneCode } = (await (
      await post('phone-code', { phone: '13900009999' })
    ).json()) as { code: string };
    const joined = await server
      .client(visitor.token)
      .call(routes.members.join, { body: { nickname: '浏览器会员', phoneCode } });
    assert.ok(joined.member.cardNo);
  });

  const cashier = (body: unknown) =>
    fetch(`${server.apiUrl}/dev/wechat/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const payParams = {
    appId: 'wxfakeappid000000',
    timeStamp: String(Math.floor(Date.now() / 1000)),
    nonceStr: 'n0nce0000000000000000000000000000',
    package: 'prepay_id=wx_no_such_order',
    signType: 'RSA',
    paySign: 'forged',
  };

  it("beside the fake WeChat, the browser build's stand-in cashier refuses malformed parameters with the error shape", async () => {
    for (const body of [
      {},
      { ...payParams, paySign: '' },
      { ...payParams, nonceStr: 42 },
      { ...payParams, package: 'x'.repeat(5000) },
      'prepay_id=1',
    ]) {
      const res = await cashier(body);
      assert.equal(res.status, 400, JSON.stringify(body).slice(0, 80));
      const answer = (await res.json()) as { error: { code: string; message: string } };
      assert.equal(answer.error.code, 'VALIDATION_FAILED');
      assert.match(answer.error.message, /^支付参数 \w+ 不正确$/);
    }
  });

  it("hands the fake WeChat Pay cashier's refusal (a forged signature) back in its own words", async () => {
    const res = await cashier(payParams);
    assert.equal(res.status, 400);
    const answer = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(answer.error.code, 'BUSINESS_RULE');
    assert.match(answer.error.message, /[\u4e00-\u9fa5]/, 'in Chinese');
  });
});
