import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { routes } from '@huoyue/shared';
import { Staff } from '@huoyue/server/dist/modules/staff/entities/staff.entity.js';
import { expectError, joinedMember, staffLogin } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const s = routes.staff;

/** The audit actions recorded on one staff account, newest first. */
async function auditActions(server: TestServer, staffId: number): Promise<string[]> {
  const owner = await staffLogin(server);
  const page = await owner.call(s.audit, { query: { entityType: 'staff', limit: 100 } });
  return page.items.filter((e) => e.entityId === String(staffId)).map((e) => e.action);
}

describe('staff rights follow the account, not the token (issue 18: 1, 3)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    const owner = await staffLogin(server);
    await owner.call(s.createStore, { body: { code: 'RA01', name: '甲店' } });
    await owner.call(s.createStore, { body: { code: 'RB01', name: '乙店' } });
  });
  after(async () => server.stop());

  it('a demoted owner’s old token can no longer create owners or deactivate anyone; the demotion is audited', async () => {
    const owner = await staffLogin(server);
    const second = await owner.call(s.create, {
      body: { username: 'owner-two', password: 'second-owner-pw', role: 'owner' },
    });
    const old = await staffLogin(server, 'owner-two', 'second-owner-pw');
    assert.equal((await old.raw(s.list)).status, 200);
    await owner.call(s.update, {
      params: { id: second.id },
      body: { role: 'clerk', storeCode: 'RA01' },
    });
    await expectError(
      old.call(s.create, {
        body: { username: 'rogue-owner', password: 'rogue-owner-pw', role: 'owner' },
      }),
      403,
      'FORBIDDEN',
    );
    const me = await owner.call(s.me);
    await expectError(
      old.call(s.update, { params: { id: me.id }, body: { active: false } }),
      403,
      'FORBIDDEN',
    );
    assert.equal((await old.call(s.me)).role, 'clerk');
    assert.equal((await owner.call(s.me)).active, true);
    assert.ok((await auditActions(server, second.id)).includes('staff.change_role'));
  });

  it('a clerk moved to another store cannot verify at the old one with the token it holds', async () => {
    const owner = await staffLogin(server);
    const clerk = await owner.call(s.create, {
      body: { username: 'mover', password: 'mover-pass-77', role: 'clerk', storeCode: 'RA01' },
    });
    const token = await staffLogin(server, 'mover', 'mover-pass-77');
    const t = await owner.call(routes.coupons.createTemplate, {
      body: {
        name: '满50减5',
        kind: 'cash',
        value: 500,
        threshold: 5_000,
        validity: { kind: 'days', days: 30 },
      } as never,
    });
    const member = await joinedMember(server);
    const coupon = await member.api.call(routes.coupons.claim, { body: { templateId: t.id } });
    await owner.call(s.update, { params: { id: clerk.id }, body: { storeCode: 'RB01' } });
    await expectError(
      token.call(routes.coupons.redeem, { body: { code: coupon.code, storeCode: 'RA01' } }),
      403,
      'FORBIDDEN',
    );
    assert.equal((await token.call(s.me)).storeCode, 'RB01');
    const used = await token.call(routes.coupons.redeem, { body: { code: coupon.code } });
    assert.equal(used.status, 'used');
    assert.ok((await auditActions(server, clerk.id)).includes('staff.change_store'));
  });

  it('a deactivated staff member’s token is refused at once, in the error shape', async () => {
    const owner = await staffLogin(server);
    const op = await owner.call(s.create, {
      body: { username: 'op-gone', password: 'operator-pass', role: 'operator' },
    });
    const token = await staffLogin(server, 'op-gone', 'operator-pass');
    await owner.call(s.update, { params: { id: op.id }, body: { active: false } });
    await expectError(token.call(s.me), 401, 'UNAUTHENTICATED');
    // Reactivated, the old token stays dead: a new login is needed.
    await owner.call(s.update, { params: { id: op.id }, body: { active: true } });
    await expectError(token.call(s.me), 401, 'UNAUTHENTICATED');
    assert.equal(
      (await (await staffLogin(server, 'op-gone', 'operator-pass')).call(s.me)).id,
      op.id,
    );
  });

  it('a password reset by the owner ends the account’s sessions', async () => {
    const owner = await staffLogin(server);
    const op = await owner.call(s.create, {
      body: { username: 'op-reset', password: 'operator-pass', role: 'operator' },
    });
    const token = await staffLogin(server, 'op-reset', 'operator-pass');
    await owner.call(s.update, { params: { id: op.id }, body: { password: 'fresh-start-42' } });
    await expectError(token.call(s.me), 401, 'UNAUTHENTICATED');
    await staffLogin(server, 'op-reset', 'fresh-start-42');
  });

  it('changing one’s own password ends the other sessions; the answer carries a fresh token', async () => {
    const owner = await staffLogin(server);
    await owner.call(s.create, {
      body: { username: 'op-self', password: 'operator-pass', role: 'operator' },
    });
    const phone = await staffLogin(server, 'op-self', 'operator-pass');
    const desk = await staffLogin(server, 'op-self', 'operator-pass');
    await expectError(
      desk.call(s.changePassword, {
        body: { currentPassword: 'not-the-one', newPassword: 'my-new-pass-88' },
      }),
      400,
      'VALIDATION_FAILED',
    );
    const fresh = await desk.call(s.changePassword, {
      body: { currentPassword: 'operator-pass', newPassword: 'my-new-pass-88' },
    });
    await expectError(phone.call(s.me), 401, 'UNAUTHENTICATED');
    await expectError(desk.call(s.me), 401, 'UNAUTHENTICATED');
    assert.equal((await server.client(fresh.token).call(s.me)).username, 'op-self');
  });

  it('staff passwords: at least 10 characters and not a common one, on create, reset and change', async () => {
    const owner = await staffLogin(server);
    for (const password of ['short-pw1', 'password12', 'qwertyuiop', 'iloveyou2024']) {
      const res = await owner.raw(s.create, {
        body: { username: 'weak', password, role: 'operator' },
      });
      assert.equal(res.status, 400, password);
      assert.equal((res.data as { error: { code: string } }).error.code, 'VALIDATION_FAILED');
    }
    const op = await owner.call(s.create, {
      body: { username: 'op-strong', password: 'operator-pass', role: 'operator' },
    });
    await expectError(
      owner.call(s.update, { params: { id: op.id }, body: { password: '1234567890' } }),
      400,
      'VALIDATION_FAILED',
    );
    const self = await staffLogin(server, 'op-strong', 'operator-pass');
    await expectError(
      self.call(s.changePassword, {
        body: { currentPassword: 'operator-pass', newPassword: 'password123' },
      }),
      400,
      'VALIDATION_FAILED',
    );
  });
});

describe('a closed membership’s token is refused on every member route (issue 18: 4)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.stop());

  it('points, ledger, coupons, message preferences, privacy, check-ins: 401 in the error shape', async () => {
    const member = await joinedMember(server);
    assert.equal((await member.api.raw(routes.points.summary)).status, 200);
    assert.equal((await member.api.raw(routes.coupons.wallet)).status, 200);
    await member.api.call(routes.members.closeMe);
    const calls = [
      member.api.raw(routes.points.summary),
      member.api.raw(routes.points.ledger),
      member.api.raw(routes.coupons.wallet, { query: {} }),
      member.api.raw(routes.coupons.center),
      member.api.raw(routes.messaging.getPreferences),
      member.api.raw(routes.messaging.putPreferences, { body: {} as never }),
      member.api.raw(routes.engagement.getPrivacy),
      member.api.raw(routes.engagement.checkinMonth, { query: {} as never }),
      member.api.raw(routes.members.cardCode),
    ];
    for (const res of await Promise.all(calls)) {
      assert.equal(res.status, 401);
      assert.equal((res.data as { error: { code: string } }).error.code, 'UNAUTHENTICATED');
      assert.equal(
        (res.data as { error: { message: string } }).error.message,
        '会员已注销，登录状态已失效',
      );
    }
  });
});

describe('per-account login limits: backoff, then a lock the owner lifts (issue 18: 2)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      LOGIN_BACKOFF_AFTER: '3',
      LOGIN_BACKOFF_SECONDS: '1',
      LOGIN_LOCK_AFTER: '5',
    });
  });
  after(async () => server.stop());

  const attempt = (username: string, password: string) =>
    server.client().raw(s.login, { body: { username, password } });
  const code = (res: { data: unknown }) => (res.data as { error?: { code: string } }).error?.code;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('wrong passwords back off, then lock with a clear message; the owner unlocks, audited', async () => {
    const owner = await staffLogin(server);
    const op = await owner.call(s.create, {
      body: { username: 'op-locked', password: 'operator-pass', role: 'operator' },
    });
    for (let i = 0; i < 3; i++)
      assert.equal(code(await attempt('op-locked', 'bad-guess')), 'INVALID_CREDENTIALS');
    const waiting = await attempt('op-locked', 'operator-pass');
    assert.equal(waiting.status, 429);
    const error = (waiting.data as { error: { message: string; details: { retryAfter: number } } })
      .error;
    assert.equal(error.details.retryAfter, 1);
    assert.match(error.message, /登录失败次数过多，请 1 秒后再试/);
    await sleep(1_100);
    assert.equal(code(await attempt('op-locked', 'bad-guess')), 'INVALID_CREDENTIALS');
    await sleep(2_100);
    const locked = await attempt('op-locked', 'bad-guess');
    assert.equal(locked.status, 423);
    assert.deepEqual(locked.data, {
      error: { code: 'ACCOUNT_LOCKED', message: '登录失败次数过多，账号已锁定，请联系店主解锁' },
    });
    assert.equal(code(await attempt('op-locked', 'operator-pass')), 'ACCOUNT_LOCKED');
    const listed = (await owner.call(s.list)).items.find((x) => x.id === op.id);
    assert.equal(listed?.locked, true);
    const unlocked = await owner.call(s.unlock, { params: { id: op.id } });
    assert.equal(unlocked.locked, false);
    assert.equal((await attempt('op-locked', 'operator-pass')).status, 200);
    assert.ok((await auditActions(server, op.id)).includes('staff.unlock'));
  });
});

// Its own server with a backoff of a minute: 20 concurrent logins on a loaded machine can take longer than the
// suite above's one-second backoff, and a late attempt after the backoff is rightly checked again.
describe('per-account login limits under a burst (issue 18: 2)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      LOGIN_BACKOFF_AFTER: '3',
      LOGIN_BACKOFF_SECONDS: '60',
      LOGIN_LOCK_AFTER: '5',
    });
  });
  after(async () => server.stop());

  const attempt = (username: string, password: string) =>
    server.client().raw(s.login, { body: { username, password } });
  const code = (res: { data: unknown }) => (res.data as { error?: { code: string } }).error?.code;

  it('concurrent wrong passwords cannot slip past the backoff: only the free attempts are checked', async () => {
    const owner = await staffLogin(server);
    const op = await owner.call(s.create, {
      body: { username: 'op-burst', password: 'operator-pass', role: 'operator' },
    });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => attempt('op-burst', `bad-guess-${i}`)),
    );
    const codes = results.map(code);
    assert.equal(codes.filter((c) => c === 'INVALID_CREDENTIALS').length, 3, codes.join());
    assert.equal(codes.filter((c) => c === 'RATE_LIMITED').length, 17);
    const row = await server.dataSource.getRepository(Staff).findOneByOrFail({ id: op.id });
    assert.equal(row.failedLogins, 3);
  });
});

describe('the client address: the socket’s unless TRUST_PROXY names the proxy (issue 18: 2)', () => {
  const wrongPasswords = async (server: TestServer) => {
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      const res = await fetch(`${server.apiUrl}/admin/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i + 1}` },
        body: JSON.stringify({ username: `nobody-${i}`, password: 'wrong-password' }),
      });
      statuses.push(res.status);
    }
    return statuses;
  };

  it('unset: 60 wrong passwords with varying X-Forwarded-For are limited (30 a minute)', async () => {
    const server = await startTestServer({ AUTH_RATE_LIMIT_PER_MINUTE: '30' });
    try {
      const statuses = await wrongPasswords(server);
      assert.equal(statuses.filter((x) => x === 401).length, 30);
      assert.equal(statuses.filter((x) => x === 429).length, 30);
      // The member login has its own limit per address, which the header no longer escapes either.
      const memberLogins: number[] = [];
      for (let i = 0; i < 31; i++) {
        const res = await fetch(`${server.apiUrl}/auth/wechat`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${i + 1}` },
          body: JSON.stringify({ code: `not-a-code-${i}` }),
        });
        memberLogins.push(res.status);
      }
      assert.equal(memberLogins.filter((x) => x === 429).length, 1, memberLogins.join());
    } finally {
      await server.stop();
    }
  });

  it('TRUST_PROXY=127.0.0.1: the header from that proxy is honoured (each address its own limit)', async () => {
    const server = await startTestServer({
      AUTH_RATE_LIMIT_PER_MINUTE: '30',
      TRUST_PROXY: '127.0.0.1',
    });
    try {
      const statuses = await wrongPasswords(server);
      assert.equal(statuses.filter((x) => x === 401).length, 60);
    } finally {
      await server.stop();
    }
  });
});
