import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiError, routes } from '@huoyue/shared';
import { Member } from '@huoyue/server/dist/modules/members/entities/member.entity.js';
import { EngagementEvent } from '@huoyue/server/dist/modules/engagement/engagement-event.entity.js';
import { joinedMember, loginVisitor, staffLogin, uniquePhone } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const m = routes.members;

/** Expects the call to fail with this status and code. */
async function rejects(promise: Promise<unknown>, status: number, code: string) {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ApiError, `expected ApiError, got ${String(err)}`);
    assert.equal(err.status, status, `status for ${err.code}: ${err.message}`);
    assert.equal(err.code, code);
    assert.ok(err.message.length > 0);
    return true;
  });
}

describe('member identity over HTTP with the fake WeChat', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.stop());

  it('first login creates a visitor in stage potential; a second login finds the same member', async () => {
    const first = await loginVisitor(server, 'oTESTuser000000000000000001');
    assert.equal(first.member.stage, 'potential');
    assert.equal(first.member.cardNo, null);
    assert.ok(first.token.split('.').length === 3);
    const again = await loginVisitor(server, 'oTESTuser000000000000000001');
    assert.equal(again.member.id, first.member.id);
    const opens = await server.dataSource
      .getRepository(EngagementEvent)
      .countBy({ memberId: first.member.id, type: 'app_open' });
    assert.equal(opens, 2, 'every login is an app-open in the engagement log');
  });

  it('the session answer never carries the session_key or the openid', async () => {
    const { code } = await server.fake.loginCode();
    const raw = await server.client().raw(m.wechatLogin, { body: { code } });
    assert.equal(raw.status, 200);
    const text = JSON.stringify(raw.data);
    assert.ok(!/session_?key/i.test(text));
    assert.ok(!/openid/i.test(text));
  });

  it('a reused login code is 401 INVALID_LOGIN_CODE, an unknown one too', async () => {
    const { code } = await server.fake.loginCode();
    await server.client().call(m.wechatLogin, { body: { code } });
    await rejects(
      server.client().call(m.wechatLogin, { body: { code } }),
      401,
      'INVALID_LOGIN_CODE',
    );
    await rejects(
      server.client().call(m.wechatLogin, { body: { code: 'never-issued' } }),
      401,
      'INVALID_LOGIN_CODE',
    );
  });

  it('WeChat down (system error, 5xx) answers 503 WECHAT_UNAVAILABLE, not 500', async () => {
    const { code } = await server.fake.loginCode();
    await server.fake.fault('/sns/jscode2session', { errcode: -1, times: 1 });
    await rejects(
      server.client().call(m.wechatLogin, { body: { code } }),
      503,
      'WECHAT_UNAVAILABLE',
    );
    await server.fake.fault('/sns/jscode2session', { httpStatus: 502, times: 1 });
    const second = await server.fake.loginCode();
    await rejects(
      server.client().call(m.wechatLogin, { body: { code: second.code } }),
      503,
      'WECHAT_UNAVAILABLE',
    );
  });

  it('joining gives a card number, stage new and the entry tier; joining twice is 409', async () => {
    const visitor = await loginVisitor(server);
    const joined = await visitor.api.call(m.join, {
      body: { nickname: '小红', birthday: '1995-06-01' },
    });
    assert.match(joined.member.cardNo ?? '', /^8\d{11}$/);
    assert.equal(joined.member.stage, 'new');
    assert.deepEqual(joined.member.tier, { code: 'normal', name: '普通会员' });
    assert.equal(joined.member.nickname, '小红');
    assert.ok(joined.member.joinedAt);
    const card = await server.client(joined.token).call(m.me);
    assert.deepEqual(card, joined.member);
    await rejects(server.client(joined.token).call(m.join, { body: {} }), 409, 'ALREADY_MEMBER');
  });

  it('joining with a phone code stores the phone WeChat vouches for; an expired or reused phone code is 422', async () => {
    const phone = uniquePhone();
    const member = await joinedMember(server, '阿强', phone);
    const exported = await member.api.call(m.exportMe);
    assert.equal(exported.member.phone, phone);
    const visitor = await loginVisitor(server);
    await rejects(
      visitor.api.call(m.join, { body: { phoneCode: 'not-a-real-code' } }),
      422,
      'INVALID_PHONE_CODE',
    );
    const stillVisitor = await visitor.api.call(m.me);
    assert.equal(stillVisitor.cardNo, null, 'a failed join writes nothing');
  });

  it('a phone already bound to another WeChat member is 409 PHONE_TAKEN', async () => {
    const phone = uniquePhone();
    await joinedMember(server, '甲', phone);
    const other = await loginVisitor(server);
    const { code } = await server.fake.phoneCode(phone);
    await rejects(other.api.call(m.join, { body: { phoneCode: code } }), 409, 'PHONE_TAKEN');
  });

  it('joining with the phone of an offline member merges the two into one, history kept', async () => {
    const phone = uniquePhone();
    const repo = server.dataSource.getRepository(Member);
    const offline = repo.create({
      phone,
      nickname: '门店老顾客',
      stage: 'active',
      status: 'member',
      source: 'offline',
      tierCode: 'gold',
      cardNo: null,
      openid: null,
      firstSeenAt: new Date('2024-01-01T00:00:00Z'),
      joinedAt: new Date('2024-01-01T00:00:00Z'),
    });
    await repo.insert(offline);
    await server.dataSource.getRepository(EngagementEvent).insert({
      memberId: offline.id,
      type: 'purchase',
      occurredAt: new Date('2024-03-01T03:00:00Z'),
      day: '2024-03-01',
      properties: { amount: 12800 },
      sourceRef: `t:${offline.id}`,
    });
    const visitor = await loginVisitor(server);
    const { code } = await server.fake.phoneCode(phone);
    const joined = await visitor.api.call(m.join, { body: { phoneCode: code } });
    assert.equal(joined.member.id, offline.id, 'the offline record survives');
    assert.equal(joined.member.stage, 'active');
    assert.equal(joined.member.tier?.code, 'gold');
    assert.match(joined.member.cardNo ?? '', /^8\d{11}$/);
    const merged = await repo.findOneByOrFail({ id: visitor.member.id });
    assert.equal(merged.status, 'merged');
    assert.equal(merged.mergedIntoId, offline.id);
    assert.equal(merged.openid, null);
    const events = await server.dataSource
      .getRepository(EngagementEvent)
      .findBy({ memberId: offline.id });
    assert.ok(
      events.some((e) => e.type === 'purchase'),
      'offline history kept',
    );
    assert.ok(
      events.some((e) => e.type === 'app_open'),
      "the visitor's history follows",
    );
    // The old visitor token no longer works; the new one does, and a new login lands on the survivor.
    await rejects(visitor.api.call(m.me), 401, 'UNAUTHENTICATED');
    const relogin = await loginVisitor(
      server,
      (await repo.findOneByOrFail({ id: offline.id })).openid!,
    );
    assert.equal(relogin.member.id, offline.id);
  });

  it('the card code is a signed rotating code a clerk can resolve; a forged one is refused', async () => {
    const member = await joinedMember(server, '扫码测试');
    const code = await member.api.call(m.cardCode);
    assert.match(code.code, /^\d{18}$/);
    assert.ok(code.code.startsWith(member.member.cardNo!));
    assert.ok(code.refreshInSeconds >= 1 && code.refreshInSeconds <= 60);
    assert.ok(Date.parse(code.expiresAt) > Date.now());
    const admin = await staffLogin(server);
    const found = await admin.call(m.adminByCardCode, { params: { code: code.code } });
    assert.equal(found.id, member.member.id);
    const forged =
      code.code.slice(0, 12) +
      String((Number(code.code.slice(12)) + 1) % 1_000_000).padStart(6, '0');
    await rejects(
      admin.call(m.adminByCardCode, { params: { code: forged } }),
      422,
      'CARD_CODE_INVALID',
    );
    const visitor = await loginVisitor(server);
    await rejects(visitor.api.call(m.cardCode), 422, 'NOT_A_MEMBER');
  });

  it('export gives the member everything held about them', async () => {
    const member = await joinedMember(server, '导出测试');
    const data = await member.api.call(m.exportMe);
    assert.equal(data.member.id, member.member.id);
    assert.equal(data.member.nickname, '导出测试');
    assert.ok(data.member.openid);
    assert.deepEqual(data.events.map((e) => e.type).sort(), ['app_open', 'join']);
    assert.deepEqual(data.points, { balance: 0, growth: 0 });
  });

  it('closing the membership erases personal data at once, unlinks the openid, and a later login is a new visitor', async () => {
    const openid = 'oTESTclose00000000000000001';
    const visitor = await loginVisitor(server, openid);
    const { code } = await server.fake.phoneCode(uniquePhone());
    const joined = await visitor.api.call(m.join, {
      body: { nickname: '要注销的人', birthday: '1990-01-01', phoneCode: code },
    });
    const api = server.client(joined.token);
    assert.equal((await api.call(m.closeMe)).closed, true);
    const row = await server.dataSource
      .getRepository(Member)
      .findOneByOrFail({ id: joined.member.id });
    assert.equal(row.status, 'closed');
    for (const field of [
      'openid',
      'unionid',
      'nickname',
      'phone',
      'birthday',
      'cardNo',
      'externalRef',
    ] as const)
      assert.equal(row[field], null, field);
    const events = await server.dataSource
      .getRepository(EngagementEvent)
      .findBy({ memberId: joined.member.id });
    assert.ok(events.length > 0, 'anonymous history stays');
    assert.ok(events.every((e) => e.properties === null));
    await rejects(api.call(m.me), 401, 'UNAUTHENTICATED');
    const again = await loginVisitor(server, openid);
    assert.notEqual(again.member.id, joined.member.id);
    assert.equal(again.member.stage, 'potential');
  });

  it('every member endpoint needs a member token: none, a forged one, a staff one are 401', async () => {
    const member = await joinedMember(server);
    const staffToken = (
      await server
        .client()
        .call(routes.staff.login, { body: { username: 'owner', password: 'owner-password-1' } })
    ).token;
    const forged = member.token.slice(0, -4) + (member.token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const route of [m.me, m.cardCode, m.exportMe, m.closeMe]) {
      for (const token of [undefined, forged, staffToken, 'garbage']) {
        const res = await server.client(token).raw(route);
        assert.equal(
          res.status,
          401,
          `${route.method} ${route.path} with ${token ? 'bad' : 'no'} token`,
        );
      }
    }
    // And a member token is no key to the staff side.
    const res = await member.api.raw(m.adminSearch);
    assert.equal(res.status, 401);
  });

  it('a member only ever sees their own data (the token decides, nothing in the request can point elsewhere)', async () => {
    const alice = await joinedMember(server, 'Alice');
    const bob = await joinedMember(server, 'Bob');
    const asAlice = await alice.api.call(m.me);
    const asBob = await bob.api.call(m.me);
    assert.equal(asAlice.id, alice.member.id);
    assert.equal(asBob.id, bob.member.id);
    // Smuggling another id through query or body is refused, never obeyed.
    const smuggled = await alice.api.raw(m.me, { query: { id: bob.member.id } } as never);
    assert.equal(smuggled.status, 400);
    const exportAlice = await alice.api.call(m.exportMe);
    assert.equal(exportAlice.member.id, alice.member.id);
    assert.ok(!JSON.stringify(exportAlice).includes('Bob'));
  });
});
