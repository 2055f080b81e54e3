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
    await Promise.all([session.call(routes.members.me), session.call(routes.members.cardCode), session.call(routes.members.me)]);
    assert.equal(logins, 3);
  });
});
