import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type ApiClient, routes } from '@huoyue/shared';
import { tradeNoOf } from '@huoyue/server/dist/modules/mall/payment.gateway.js';
import { checkLedger } from '@huoyue/server/dist/modules/points/ledger-check.js';
import { expectError, staffLogin, memberWithPoints as givenPoints } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const m = routes.mall;
const p = routes.points;
const c = routes.coupons;

describe('cancelling a completed redemption: its coupon revoked (or the cancel refused), its cash refunded', () => {
  let server: TestServer;
  let owner: ApiClient;

  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
    await owner.call(routes.staff.createStore, { body: { code: 'SH001', name: '上海店' } });
  });
  after(async () => server.stop());

  const memberWithPoints = (points: number) => givenPoints(server, owner, points);
  const redeem = (api: ApiClient, id: number, quantity = 1) =>
    api.call(m.redeem, { params: { id }, body: { quantity, requestId: randomUUID() } });

  const couponItem = async () => {
    const template = await owner.call(c.createTemplate, {
      body: {
        name: '积分换 5 元券',
        kind: 'cash',
        value: 500,
        validity: { kind: 'days', days: 7 },
        channels: ['mall'],
        perMemberLimit: 2,
      } as never,
    });
    const item = await owner.call(m.createItem, {
      body: {
        name: '5 元券',
        kind: 'coupon',
        couponTemplateId: template.id,
        pointsPrice: 100,
        stock: 10,
        perMemberLimit: 2,
      } as never,
    });
    return { template, item };
  };

  it('the coupon the redemption issued is revoked and the points come back', async () => {
    const member = await memberWithPoints(1_000);
    const { template, item } = await couponItem();
    const done = await redeem(member.api, item.id, 2);
    assert.equal(done.status, 'completed');
    const wallet = async () =>
      (await member.api.call(c.wallet, { query: {} })).items.filter(
        (x) => x.templateId === template.id,
      );
    assert.equal((await wallet()).length, 2);
    await owner.call(m.cancel, {
      params: { id: done.redemptionId },
      body: { reason: '会员申请退回' },
    });
    const codes = (await wallet()).map((x) => x.code);
    for (const code of codes)
      await expectError(
        owner.call(c.redeem, { body: { code, storeCode: 'SH001' } }),
        422,
        'COUPON_NOT_USABLE',
      );
    assert.equal((await member.api.call(p.summary)).balance, 1_000, 'points back');
    const issued = async () =>
      (await owner.call(c.listTemplates)).items.find((t) => t.id === template.id)!.issued;
    assert.equal(await issued(), 0, "the template's stock came back");
    // The member's count came back with it: the item (limit 2) can be redeemed again.
    assert.equal((await redeem(member.api, item.id, 2)).status, 'completed');
    assert.deepEqual((await checkLedger(server.dataSource)).discrepancies, []);
  });

  it('a cancel is refused with 409 and a Chinese reason when the coupon was already used; nothing changes', async () => {
    const member = await memberWithPoints(1_000);
    const { template, item } = await couponItem();
    const done = await redeem(member.api, item.id);
    const coupon = (await member.api.call(c.wallet, { query: {} })).items.find(
      (x) => x.templateId === template.id,
    )!;
    await owner.call(c.redeem, { body: { code: coupon.code, storeCode: 'SH001' } });
    const balance = (await member.api.call(p.summary)).balance;
    await assert.rejects(
      owner.call(m.cancel, { params: { id: done.redemptionId }, body: { reason: '会员申请退回' } }),
      (err: { status: number; code: string; message: string }) => {
        assert.equal(err.status, 409);
        assert.equal(err.code, 'COUPON_USED');
        assert.match(err.message, /已经使用，不能取消兑换/);
        return true;
      },
    );
    assert.equal((await member.api.call(p.summary)).balance, balance, 'no points returned');
    const mine = await member.api.call(m.mine, { query: { limit: 5 } });
    assert.equal(mine.items.find((r) => r.redemptionId === done.redemptionId)!.status, 'completed');
  });

  it('points + cash: the cash is refunded through the payment gateway, once', async () => {
    const member = await memberWithPoints(1_000);
    const tee = await owner.call(m.createItem, {
      body: { name: 'T恤', kind: 'virtual', pointsPrice: 200, cashPrice: 1_990, stock: 5 } as never,
    });
    const pending = await redeem(member.api, tee.id);
    assert.equal(pending.status, 'pending_payment');
    assert.equal((await server.fake.cashier(pending.paymentParams!)).status, 200);
    const paid = await member.api.call(m.pay, { params: { id: pending.redemptionId } });
    assert.equal(paid.status, 'completed');
    const refunded = async () =>
      ((await server.fake.trade(tradeNoOf(pending.redemptionId)))?.refunds ?? []).reduce(
        (sum, r) => sum + r.amount.refund,
        0,
      );
    const cancelled = await owner.call(m.cancel, {
      params: { id: pending.redemptionId },
      body: { reason: '尺码不合适' },
    });
    assert.equal(cancelled.status, 'cancelled');
    assert.ok(cancelled.cashRefundedAt, 'the refund is recorded on the redemption');
    assert.equal(await refunded(), 1_990);
    await expectError(
      owner.call(m.cancel, { params: { id: pending.redemptionId }, body: { reason: '再来一次' } }),
      409,
      'CONFLICT',
    );
    assert.equal(await refunded(), 1_990, 'not refunded twice');
    assert.equal((await member.api.call(p.summary)).balance, 1_000, 'points back');

    // Cancelled before it was paid: nothing to refund.
    const unpaid = await redeem(member.api, tee.id);
    const gone = await owner.call(m.cancel, {
      params: { id: unpaid.redemptionId },
      body: { reason: '会员不要了' },
    });
    assert.equal(gone.cashRefundedAt, null);
  });
});
