import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { routes, type ApiClient } from '@huoyue/shared';
import { expectError, staffLogin } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const s = routes.staff;

/** The 员工与门店 page's API: stores (owner), staff with a role and, for clerks, an open store. */
describe('stores and staff accounts for the console page', () => {
  let server: TestServer;
  let owner: ApiClient;
  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
  });
  after(async () => server.stop());

  it('generates a store code (digits) when none is chosen, keeps a chosen one, and refuses a taken one', async () => {
    const first = await owner.call(s.createStore, {
      body: { name: '静安寺店', address: '上海市静安区南京西路 1688 号' },
    });
    const second = await owner.call(s.createStore, { body: { name: '五角场店' } });
    assert.deepEqual(
      [first.code, second.code, first.address, second.address, first.active, first.clerks],
      ['1001', '1002', '上海市静安区南京西路 1688 号', null, true, 0],
    );
    const chosen = await owner.call(s.createStore, { body: { code: 'HZ01', name: '西湖店' } });
    assert.equal(chosen.code, 'HZ01');
    await expectError(
      owner.call(s.createStore, { body: { code: 'HZ01', name: '重复' } }),
      409,
      'STORE_CODE_TAKEN',
    );
    const third = await owner.call(s.createStore, { body: { name: '徐汇店' } });
    assert.equal(third.code, '1003', 'the next number, whatever codes were chosen by hand');
    // Five at once: each gets its own code (the unique key decides, a loser takes the next number).
    const burst = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => owner.call(s.createStore, { body: { name: `并发门店${i}` } })),
    );
    assert.equal(new Set(burst.map((b) => b.code)).size, 5);
  });

  it('renames a store, changes its address, closes and reopens it; the code never changes; all audited', async () => {
    const store = await owner.call(s.createStore, { body: { name: '旧名字' } });
    const renamed = await owner.call(s.updateStore, {
      params: { id: store.id },
      body: { name: '新名字', address: '北京市朝阳区三里屯路 19 号' },
    });
    assert.deepEqual(
      [renamed.code, renamed.name, renamed.address],
      [store.code, '新名字', '北京市朝阳区三里屯路 19 号'],
    );
    const closed = await owner.call(s.updateStore, {
      params: { id: store.id },
      body: { active: false },
    });
    assert.equal(closed.active, false);
    await owner.call(s.updateStore, { params: { id: store.id }, body: { active: true } });
    const log = await owner.call(s.audit, { query: { entityType: 'store', limit: 50 } });
    assert.deepEqual(
      log.items.filter((e) => e.entityId === String(store.id)).map((e) => e.action),
      ['store.activate', 'store.deactivate', 'store.update', 'store.create'],
    );
    await expectError(
      owner.call(s.updateStore, { params: { id: 999_999 }, body: { name: 'x' } }),
      404,
      'NOT_FOUND',
    );
    const { stores } = { stores: await owner.call(s.listStores) };
    assert.equal(stores.items.find((x) => x.id === store.id)?.name, '新名字');
  });

  it('operators see stores but manage neither stores nor staff; clerks manage nothing', async () => {
    await owner.call(s.create, {
      body: { username: 'op-stores', password: 'operator-pass', role: 'operator' },
    });
    const store = await owner.call(s.createStore, { body: { name: '权限门店' } });
    await owner.call(s.create, {
      body: {
        username: 'clerk-perm',
        password: 'clerk-pass-1',
        role: 'clerk',
        storeCode: store.code,
      },
    });
    const operator = await staffLogin(server, 'op-stores', 'operator-pass');
    const clerk = await staffLogin(server, 'clerk-perm', 'clerk-pass-1');
    assert.ok((await operator.call(s.listStores)).items.some((x) => x.code === store.code));
    for (const api of [operator, clerk]) {
      await expectError(api.call(s.createStore, { body: { name: '越权' } }), 403, 'FORBIDDEN');
      await expectError(
        api.call(s.updateStore, { params: { id: store.id }, body: { active: false } }),
        403,
        'FORBIDDEN',
      );
      await expectError(api.call(s.list), 403, 'FORBIDDEN');
    }
  });

  it('a clerk needs an open store; owners and operators are bound to none; views name the store', async () => {
    const open = await owner.call(s.createStore, { body: { name: '营业中门店' } });
    const shut = await owner.call(s.createStore, { body: { name: '已关门店' } });
    await owner.call(s.updateStore, { params: { id: shut.id }, body: { active: false } });
    await expectError(
      owner.call(s.create, {
        body: { username: 'no-store', password: 'clerk-pass-1', role: 'clerk' },
      }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      owner.call(s.create, {
        body: {
          username: 'shut-clerk',
          password: 'clerk-pass-1',
          role: 'clerk',
          storeCode: shut.code,
        },
      }),
      422,
      'BUSINESS_RULE',
    );
    const clerk = await owner.call(s.create, {
      body: {
        username: 'open-clerk',
        password: 'clerk-pass-1',
        role: 'clerk',
        storeCode: open.code,
        displayName: '王小明',
      },
    });
    assert.deepEqual([clerk.storeCode, clerk.storeName], [open.code, '营业中门店']);
    const op = await owner.call(s.create, {
      body: {
        username: 'op-nostore',
        password: 'operator-pass',
        role: 'operator',
        storeCode: open.code,
      },
    });
    assert.equal(op.storeCode, null, 'an operator works across stores');
    // Promoting the clerk unbinds the store; making them a clerk again needs one.
    const promoted = await owner.call(s.update, {
      params: { id: clerk.id },
      body: { role: 'operator' },
    });
    assert.deepEqual([promoted.role, promoted.storeCode], ['operator', null]);
    await expectError(
      owner.call(s.update, { params: { id: clerk.id }, body: { role: 'clerk' } }),
      400,
      'VALIDATION_FAILED',
    );
    const back = await owner.call(s.update, {
      params: { id: clerk.id },
      body: { role: 'clerk', storeCode: open.code },
    });
    assert.equal(back.storeName, '营业中门店');
    assert.equal(
      (await owner.call(s.listStores)).items.find((x) => x.id === open.id)?.clerks,
      1,
      'the store counts its active clerks',
    );
    const session = await (await staffLogin(server, 'open-clerk', 'clerk-pass-1')).call(s.me);
    assert.deepEqual(
      [session.storeName, session.brandTimeZone],
      ['营业中门店', server.config.brandTimezone],
    );
  });

  it('a deactivated clerk, or a clerk of a closed store, is told so in Chinese at login; a reset password works', async () => {
    const store = await owner.call(s.createStore, { body: { name: '停用测试店' } });
    const clerk = await owner.call(s.create, {
      body: {
        username: 'leaving-clerk',
        password: 'clerk-pass-1',
        role: 'clerk',
        storeCode: store.code,
      },
    });
    const login = (password = 'clerk-pass-1') =>
      server.client().call(s.login, { body: { username: 'leaving-clerk', password } });
    await owner.call(s.update, { params: { id: clerk.id }, body: { password: 'reset-pass-22' } });
    await expectError(login(), 401, 'INVALID_CREDENTIALS');
    assert.ok((await login('reset-pass-22')).token, 'the new password signs in');

    await owner.call(s.updateStore, { params: { id: store.id }, body: { active: false } });
    const closedStore = await server
      .client()
      .raw(s.login, { body: { username: 'leaving-clerk', password: 'reset-pass-22' } });
    assert.equal(closedStore.status, 401);
    assert.deepEqual(closedStore.data, {
      error: { code: 'ACCOUNT_DISABLED', message: '所属门店已停用，请联系店长' },
    });
    await owner.call(s.updateStore, { params: { id: store.id }, body: { active: true } });

    const off = await owner.call(s.update, { params: { id: clerk.id }, body: { active: false } });
    assert.equal(off.active, false);
    const disabled = await server
      .client()
      .raw(s.login, { body: { username: 'leaving-clerk', password: 'reset-pass-22' } });
    assert.deepEqual(disabled.data, {
      error: { code: 'ACCOUNT_DISABLED', message: '该账号已停用，请联系店长' },
    });
    // A wrong password says nothing about the account.
    const wrong = await server
      .client()
      .raw(s.login, { body: { username: 'leaving-clerk', password: 'not-the-pass' } });
    assert.equal((wrong.data as { error: { code: string } }).error.code, 'INVALID_CREDENTIALS');
    await owner.call(s.update, { params: { id: clerk.id }, body: { active: true } });
    assert.ok((await login('reset-pass-22')).token, 'enabled again');
    const actions = (await owner.call(s.audit, { query: { entityType: 'staff', limit: 20 } })).items
      .filter((e) => e.entityId === String(clerk.id))
      .map((e) => e.action);
    assert.deepEqual(actions, [
      'staff.activate',
      'staff.deactivate',
      'staff.update_with_password',
      'staff.create',
    ]);
  });

  it('refuses bad input with messages that name the field in Chinese', async () => {
    const res = await owner.raw(s.createStore, { body: { name: '', code: 'a b' } });
    assert.equal(res.status, 400);
    const message = (res.data as { error: { message: string } }).error.message;
    assert.match(message, /请填写门店名称/);
    assert.match(message, /门店编码只能包含字母、数字和 _ -/);
    assert.doesNotMatch(message, /\b(name|code)\b/, message);
  });
});
