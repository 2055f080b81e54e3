import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiError, routes } from '@huoyue/shared';
import { AuditLog } from '@huoyue/server/dist/modules/staff/entities/audit-log.entity.js';
import { Staff } from '@huoyue/server/dist/modules/staff/entities/staff.entity.js';
import { joinedMember, staffLogin } from '../support/flows.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

const s = routes.staff;

describe('staff accounts, roles and the audit log', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.stop());

  it('the first owner comes from ADMIN_USERNAME / ADMIN_PASSWORD, with a slow hash, never the password', async () => {
    const owner = await server.dataSource
      .getRepository(Staff)
      .findOneByOrFail({ username: ADMIN.username });
    assert.equal(owner.role, 'owner');
    assert.match(owner.passwordHash, /^\$argon2id\$/);
    assert.ok(!owner.passwordHash.includes(ADMIN.password));
  });

  it('wrong password and unknown user get the same 401', async () => {
    for (const body of [
      { username: ADMIN.username, password: 'wrong-password' },
      { username: 'nobody', password: 'whatever1' },
    ]) {
      const res = await server.client().raw(s.login, { body });
      assert.equal(res.status, 401);
      assert.deepEqual(res.data, {
        error: { code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' },
      });
    }
  });

  it('roles decide: an operator cannot manage staff, a clerk cannot create stores, an owner can do both', async () => {
    const owner = await staffLogin(server);
    const store = await owner.call(s.createStore, { body: { code: 'T001', name: '测试门店' } });
    assert.equal(store.code, 'T001');
    await owner.call(s.create, {
      body: { username: 'op1', password: 'operator-pass', role: 'operator' },
    });
    await owner.call(s.create, {
      body: { username: 'clerk1', password: 'clerk-pass-1', role: 'clerk', storeCode: 'T001' },
    });
    const operator = await staffLogin(server, 'op1', 'operator-pass');
    const clerk = await staffLogin(server, 'clerk1', 'clerk-pass-1');
    assert.equal((await clerk.call(s.me)).storeCode, 'T001');
    assert.equal((await operator.raw(s.list)).status, 403);
    assert.equal(
      (
        await operator.raw(s.create, {
          body: { username: 'x12', password: 'password12', role: 'owner' },
        })
      ).status,
      403,
    );
    assert.equal(
      (await clerk.raw(s.createStore, { body: { code: 'T002', name: 'x' } })).status,
      403,
    );
    assert.equal((await clerk.raw(s.audit)).status, 403);
    // Clerks may look members up; the member search is theirs too.
    const member = await joinedMember(server, '查询对象');
    const found = await clerk.call(routes.members.adminSearch, {
      query: { query: member.member.cardNo! },
    });
    assert.deepEqual(
      found.items.map((i) => i.id),
      [member.member.id],
    );
    assert.equal(
      found.items[0]!.phoneMasked,
      `${member.phone.slice(0, 3)}****${member.phone.slice(-4)}`,
    );
  });

  it('a clerk must belong to an existing store; usernames and store codes are unique', async () => {
    const owner = await staffLogin(server);
    for (const [body, code] of [
      [{ username: 'clerk2', password: 'clerk-pass-2', role: 'clerk' }, 'VALIDATION_FAILED'],
      [
        { username: 'clerk3', password: 'clerk-pass-3', role: 'clerk', storeCode: 'NOPE' },
        'VALIDATION_FAILED',
      ],
      [{ username: ADMIN.username, password: 'another-pass', role: 'operator' }, 'USERNAME_TAKEN'],
    ] as const) {
      await assert.rejects(owner.call(s.create, { body: body }), (e: ApiError) => e.code === code);
    }
    await owner.call(s.createStore, { body: { code: 'U001', name: '唯一门店' } });
    await assert.rejects(
      owner.call(s.createStore, { body: { code: 'U001', name: '重复' } }),
      (e: ApiError) => e.status === 409 && e.code === 'STORE_CODE_TAKEN',
    );
  });

  it('a deactivated account is locked out at once, even with a token it already holds', async () => {
    const owner = await staffLogin(server);
    const op = await owner.call(s.create, {
      body: { username: 'op-leaving', password: 'operator-pass', role: 'operator' },
    });
    const operator = await staffLogin(server, 'op-leaving', 'operator-pass');
    assert.equal((await operator.raw(s.me)).status, 200);
    await owner.call(s.update, { params: { id: op.id }, body: { active: false } });
    assert.equal((await operator.raw(s.me)).status, 401);
    assert.equal(
      (
        await server
          .client()
          .raw(s.login, { body: { username: 'op-leaving', password: 'operator-pass' } })
      ).status,
      401,
    );
  });

  it('every staff write is in the audit log with who, what, before and after, and no password', async () => {
    const owner = await staffLogin(server);
    const created = await owner.call(s.create, {
      body: { username: 'audited', password: 'secret-pass-9', role: 'operator' },
    });
    await owner.call(s.update, {
      params: { id: created.id },
      body: { role: 'owner', password: 'new-secret-99' },
    });
    const log = await owner.call(s.audit, { query: { entityType: 'staff', limit: 50 } });
    const entries = log.items.filter((e) => e.entityId === String(created.id));
    assert.deepEqual(
      entries.map((e) => e.action),
      ['staff.update_with_password', 'staff.create'],
    );
    const update = entries[0]!;
    assert.equal(update.staffUsername, ADMIN.username);
    assert.equal((update.before as { role: string }).role, 'operator');
    assert.equal((update.after as { role: string }).role, 'owner');
    const raw = JSON.stringify(await server.dataSource.getRepository(AuditLog).find());
    assert.ok(
      !raw.includes('secret-pass-9') && !raw.includes('new-secret-99'),
      'passwords never reach the audit log',
    );
  });

  it('an owner cannot lock themselves out', async () => {
    const owner = await staffLogin(server);
    const me = await owner.call(s.me);
    await assert.rejects(
      owner.call(s.update, { params: { id: me.id }, body: { active: false } }),
      (e: ApiError) => e.status === 422,
    );
  });

  it('member detail shows card, stage and recent events to staff', async () => {
    const owner = await staffLogin(server);
    const member = await joinedMember(server, '详情测试');
    const detail = await owner.call(routes.members.adminDetail, {
      params: { id: member.member.id },
    });
    assert.equal(detail.cardNo, member.member.cardNo);
    assert.equal(detail.stage, 'new');
    assert.equal(detail.phone, member.phone);
    assert.deepEqual(
      detail.recentEvents.map((e) => e.type),
      ['join', 'app_open'],
    );
    const missing = await owner.raw(routes.members.adminDetail, { params: { id: 999999 } });
    assert.equal(missing.status, 404);
    assert.equal((missing.data as { error: { code: string } }).error.code, 'NOT_FOUND');
  });
});
