import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ApiClient, routes } from '@huoyue/shared';
import { checkLedger } from '@huoyue/server/dist/modules/points/ledger-check.js';
import { expectError, joinedMember, staffLogin } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const p = routes.points;
const BILLION = 1_000_000_000;

/**
 * Issue 18 item 10: ids past the INT range and cursors past safe integers are 400s, an empty PATCH is a 400,
 * and balances, growth, amounts and their sums are BIGINT (an order of 1e9 fen, a balance past 2^31).
 */
describe('big numbers: ids, cursors, amounts and balances past 2^31', () => {
  let server: TestServer;
  let owner: ApiClient;
  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
  });
  after(async () => server.stop());

  it('refuses cursors and ids beyond the id range with a 400 on every list', async () => {
    const m = await joinedMember(server);
    const lists: Promise<unknown>[] = [];
    for (const cursor of ['1e309', '9007199254740993', '2147483648', '-1', '0', '1.5', 'abc']) {
      lists.push(
        expectError(m.api.call(routes.mall.mine, { query: { cursor } }), 400, 'VALIDATION_FAILED'),
        expectError(
          owner.call(routes.mall.redemptions, { query: { cursor } }),
          400,
          'VALIDATION_FAILED',
        ),
        expectError(m.api.call(p.ledger, { query: { cursor } }), 400, 'VALIDATION_FAILED'),
        expectError(
          owner.call(routes.members.adminSearch, { query: { cursor } }),
          400,
          'VALIDATION_FAILED',
        ),
        expectError(
          owner.call(routes.messaging.listMessages, { query: { cursor } }),
          400,
          'VALIDATION_FAILED',
        ),
        expectError(
          owner.call(routes.staff.audit, { query: { cursor } }),
          400,
          'VALIDATION_FAILED',
        ),
      );
    }
    await Promise.all(lists);
    // The largest id is a valid cursor: the page before it.
    const page = await owner.call(routes.staff.audit, { query: { cursor: '2147483647' } });
    assert.ok(Array.isArray(page.items));
    await expectError(
      owner.call(routes.mall.createItem, {
        body: {
          name: '超范围',
          kind: 'coupon',
          pointsPrice: 1,
          stock: 1,
          couponTemplateId: 2_147_483_648,
        } as never,
      }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      m.api.call(routes.coupons.claim, { body: { templateId: 2_147_483_648 } }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('refuses a PATCH that changes nothing', async () => {
    const template = await owner.call(routes.coupons.createTemplate, {
      body: {
        name: '空改',
        kind: 'cash',
        value: 100,
        validity: { kind: 'days', days: 7 },
      } as never,
    });
    await expectError(
      owner.call(routes.coupons.updateTemplate, { params: { id: template.id }, body: {} }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      owner.call(routes.staff.updateStore, { params: { id: 1 }, body: {} }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('orders of 1e9 fen, balances and growth past 2^31, refunds and sums', async () => {
    const rules = await owner.call(p.getRules);
    await owner.call(p.putRules, {
      body: { ...rules, pointsPerYuan: 100, growthPerYuan: 100, perOrderCap: null, pendingDays: 0 },
    });
    const m = await joinedMember(server);
    const paidAt = new Date(Date.now() - 60_000).toISOString();
    let lastPoints = 0;
    for (const orderNo of ['BIG-1', 'BIG-2', 'BIG-3']) {
      const result = await owner.call(p.createOrder, {
        body: { orderNo, member: { id: m.member.id }, amount: BILLION, paidAt },
      });
      assert.equal(result.amount, BILLION);
      lastPoints = result.points;
    }
    const summary = await m.api.call(p.summary);
    assert.ok(summary.balance >= 3 * BILLION, String(summary.balance));
    assert.equal(typeof summary.balance, 'number');
    const ledger = await m.api.call(p.ledger, { query: { limit: 5 } });
    assert.equal(ledger.items[0]!.balanceAfter, summary.balance);
    const refund = await owner.call(p.refund, {
      params: { orderNo: 'BIG-3' },
      body: { refundNo: 'BIG-3-R', amount: BILLION },
    });
    assert.equal(refund.amount, BILLION);
    const after = await m.api.call(p.summary);
    assert.equal(after.balance, summary.balance - lastPoints);
    // Views that sum amounts, points and growth answer numbers, not strings or overflowed values.
    const detail = await owner.call(routes.members.adminDetail, { params: { id: m.member.id } });
    assert.ok(JSON.stringify(detail).length > 0);
    await owner.call(routes.members.adminSearch, {});
    await owner.call(routes.engagement.dailyActivity, {});
    await owner.call(routes.lifecycle.summary, {});
    await owner.call(routes.system.runJob, {
      params: { name: 'leaderboards.refresh' },
      body: {},
    });
    await owner.call(routes.system.runJob, { params: { name: 'lifecycle.nightly' }, body: {} });
    await m.api.call(routes.engagement.leaderboard, { params: { board: 'points' } } as never);
    assert.deepEqual((await checkLedger(server.dataSource)).discrepancies, []);
  });
});
