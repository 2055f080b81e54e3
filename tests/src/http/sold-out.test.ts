import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { type ApiClient, routes } from '@huoyue/shared';
import {
  expectError,
  joinedMember,
  staffLogin,
  memberWithPoints as givenPoints,
} from '../support/flows.js';
import { dialect, startTestServer, type TestServer } from '../support/test-server.js';

const m = routes.mall;
const c = routes.coupons;

/**
 * Holds the write lock on one row from outside the server, as a long transaction would: a request that takes the
 * write path waits behind it (MariaDB: the row lock; SQLite: the database's write lock, from a second connection),
 * one answered by the sold-out fast path does not. `release` ends it.
 */
async function holdWriteLock(server: TestServer, table: string, id: number) {
  if (dialect === 'mysql') {
    const runner = server.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(`SELECT id FROM ${table} WHERE id = ? FOR UPDATE`, [id]);
    return async () => {
      await runner.rollbackTransaction();
      await runner.release();
    };
  }
  const db = new Database(String(server.dataSource.options.database));
  db.exec('BEGIN IMMEDIATE');
  return async () => {
    db.exec('ROLLBACK');
    db.close();
  };
}

describe('sold-out fast path: once nothing is left, refusals take no transaction; stock back clears the mark', () => {
  let server: TestServer;
  let owner: ApiClient;

  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
  });
  after(async () => server.stop());

  const memberWithPoints = async (points: number) => {
    const member = await givenPoints(server, owner, points);
    // Short: a refusal must come at once, not after the lock below is released.
    return { ...member, quick: server.client(member.token, 2_000) };
  };
  const redeem = (api: ApiClient, id: number, requestId = randomUUID()) =>
    api.call(m.redeem, { params: { id }, body: { quantity: 1, requestId } });
  const stockOf = async (id: number) =>
    Number(
      (
        (await server.dataSource.query('SELECT stock FROM mall_item WHERE id = ?', [id])) as {
          stock: number;
        }[]
      )[0]!.stock,
    );

  it('a mall item: sold out → refused 409 OUT_OF_STOCK while its row is locked; restock and cancel clear the mark', async () => {
    const [a, b, late] = await Promise.all([1, 2, 3].map(() => memberWithPoints(1_000)));
    const item = await owner.call(m.createItem, {
      body: {
        name: '限量杯',
        kind: 'virtual',
        pointsPrice: 100,
        stock: 1,
        perMemberLimit: 5,
      } as never,
    });
    const firstKey = randomUUID();
    const sold = await redeem(a!.api, item.id, firstKey);
    await expectError(redeem(b!.api, item.id), 409, 'OUT_OF_STOCK'); // the write path finds none: marked

    const release = await holdWriteLock(server, 'mall_item', item.id);
    try {
      const started = Date.now();
      await expectError(redeem(late!.quick, item.id), 409, 'OUT_OF_STOCK');
      await expectError(redeem(b!.quick, item.id), 409, 'OUT_OF_STOCK');
      assert.ok(Date.now() - started < 1_500, `refused in ${Date.now() - started} ms`);
      // A retried tap of the redemption that went through still answers its result, not a refusal.
      assert.equal((await redeem(a!.quick, item.id, firstKey)).redemptionId, sold.redemptionId);
    } finally {
      await release();
    }
    assert.equal(await stockOf(item.id), 0);
    const balance = async (api: ApiClient) => (await api.call(routes.points.summary)).balance;
    assert.equal(await balance(late!.api), 1_000, 'nothing was taken from the refused member');

    // Restock: the mark is cleared at once, the next redemption goes through.
    await owner.call(m.updateItem, { params: { id: item.id }, body: { stockDelta: 1 } });
    await redeem(late!.api, item.id);
    await expectError(redeem(b!.api, item.id), 409, 'OUT_OF_STOCK');

    // A cancel gives the stock back: cleared too.
    await owner.call(m.cancel, {
      params: { id: sold.redemptionId },
      body: { reason: '会员申请退回' },
    });
    await redeem(b!.api, item.id);
    assert.equal(await stockOf(item.id), 0);
  });

  it('stock put back behind this instance (another instance, a script) is seen within about a second', async () => {
    const [a, b] = await Promise.all([1, 2].map(() => memberWithPoints(1_000)));
    const item = await owner.call(m.createItem, {
      body: {
        name: '限量伞',
        kind: 'virtual',
        pointsPrice: 100,
        stock: 1,
        perMemberLimit: 5,
      } as never,
    });
    await redeem(a!.api, item.id);
    await expectError(redeem(b!.api, item.id), 409, 'OUT_OF_STOCK');
    await server.dataSource.query('UPDATE mall_item SET stock = stock + 1 WHERE id = ?', [item.id]);
    await new Promise((r) => setTimeout(r, 1_100));
    await redeem(b!.api, item.id);
  });

  it('a coupon template: sold out → refused 409 SOLD_OUT while its row is locked; more stock clears the mark', async () => {
    const members = await Promise.all([1, 2, 3].map(() => joinedMember(server)));
    const template = await owner.call(c.createTemplate, {
      body: {
        name: '限量 5 元券',
        kind: 'cash',
        value: 500,
        validity: { kind: 'days', days: 7 },
        totalQuantity: 1,
      } as never,
    });
    const claim = (api: ApiClient) => api.call(c.claim, { body: { templateId: template.id } });
    await claim(members[0]!.api);
    await expectError(claim(members[1]!.api), 409, 'SOLD_OUT');
    const release = await holdWriteLock(server, 'coupon_template', template.id);
    try {
      const started = Date.now();
      await expectError(claim(server.client(members[2]!.token, 2_000)), 409, 'SOLD_OUT');
      assert.ok(Date.now() - started < 1_500, `refused in ${Date.now() - started} ms`);
    } finally {
      await release();
    }
    const issued = (await owner.call(c.listTemplates)).items.find((t) => t.id === template.id)!;
    assert.equal(issued.issued, 1);
    await owner.call(c.updateTemplate, { params: { id: template.id }, body: { totalQuantity: 2 } });
    await claim(members[2]!.api);
    await expectError(claim(members[1]!.api), 409, 'SOLD_OUT');
  });
});
