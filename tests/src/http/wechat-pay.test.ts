import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type ApiClient, routes } from '@huoyue/shared';
import { tradeNoOf } from '@huoyue/server/dist/modules/mall/payment.gateway.js';
import { checkLedger } from '@huoyue/server/dist/modules/points/ledger-check.js';
import { expectError, memberWithPoints, runJobAt } from '../support/flows.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

const m = routes.mall;
const p = routes.points;

/**
 * Points + cash over real HTTP against the fake WeChat Pay (its own keys, real signatures both ways, encrypted
 * notifications): every way a payment can arrive, fail to arrive, or be forged.
 */
describe('WeChat Pay: prepay, notifications, query, close, refunds', () => {
  let server: TestServer;
  let owner: ApiClient;

  before(async () => {
    server = await startTestServer();
    owner = server.client((await server.client().call(routes.staff.login, { body: ADMIN })).token);
  });
  after(async () => server.stop());

  const tee = (stock = 5) =>
    owner.call(m.createItem, {
      body: {
        name: '联名T恤',
        kind: 'virtual',
        pointsPrice: 200,
        cashPrice: 1_990,
        stock,
        perMemberLimit: 5,
      } as never,
    });
  const redeem = (api: ApiClient, itemId: number) =>
    api.call(m.redeem, { params: { id: itemId }, body: { quantity: 1, requestId: randomUUID() } });
  const prepayIdOf = (params: Record<string, string> | null) =>
    params?.package?.replace('prepay_id=', '') ?? '';
  const mine = async (api: ApiClient, id: number) =>
    (await api.call(m.mine, { query: { limit: 50 } })).items.find((r) => r.redemptionId === id)!;
  const stockOf = async (itemId: number) =>
    (await owner.call(m.listItems)).items.find((i) => i.id === itemId)!.stock;
  const redeemedEvents = async (id: number) =>
    (
      (await server.dataSource.query(
        "SELECT COUNT(*) AS n FROM domain_event WHERE name = 'mall.redeemed' AND payload LIKE ?",
        [`%"redemptionId":${id},%`],
      )) as { n: number | string }[]
    ).map((r) => Number(r.n))[0];

  it('pays once: the signed parameters, a duplicated notification, one completion', async () => {
    const member = await memberWithPoints(server, owner, 1_000);
    const item = await tee();
    const r = await redeem(member.api, item.id);
    assert.equal(r.status, 'pending_payment');
    const params = r.paymentParams!;
    assert.equal(params.signType, 'RSA');
    assert.ok(params.paySign && params.appId && params.timeStamp && params.nonceStr);
    // What the WeChat client does with them: the fake checks paySign and appId, pays, notifies.
    const paid = await server.fake.pay({ prepay_id: prepayIdOf(params), duplicates: 2 });
    assert.deepEqual(paid.deliveries, [204, 204, 204]);
    const done = await mine(member.api, r.redemptionId);
    assert.equal(done.status, 'completed');
    assert.equal(done.vouchers.length, 1, 'one voucher, not three');
    assert.equal(await redeemedEvents(r.redemptionId), 1);
    assert.equal((await member.api.call(p.summary)).balance, 800);
    // The member's "I paid" afterwards finds it done.
    assert.equal(
      (await member.api.call(m.pay, { params: { id: r.redemptionId } })).status,
      'completed',
    );
  });

  it('the cashier refuses parameters not signed by the merchant', async () => {
    const member = await memberWithPoints(server, owner, 1_000);
    const r = await redeem(member.api, (await tee()).id);
    const forged = {
      ...r.paymentParams!,
      paySign: Buffer.from('x'.repeat(256)).toString('base64'),
    };
    const refused = await server.fake.cashier(forged);
    assert.equal(refused.status, 400);
    assert.equal((await mine(member.api, r.redemptionId)).status, 'pending_payment');
  });

  it('a forged, stale, re-keyed or wrong-amount notification is refused and changes nothing', async () => {
    const member = await memberWithPoints(server, owner, 1_000);
    const item = await tee();
    const r = await redeem(member.api, item.id);
    const tradeNo = tradeNoOf(r.redemptionId);
    await server.fake.pay({ out_trade_no: tradeNo, notify: 'never' });
    for (const tamper of ['bad_signature', 'wrong_serial', 'stale', 'wrong_key'] as const) {
      const answer = await server.fake.payNotify(tradeNo, tamper);
      assert.equal(answer.status, 401, tamper);
      assert.equal(JSON.parse(answer.body).code, 'FAIL', tamper);
    }
    const wrongAmount = await server.fake.payNotify(tradeNo, 'amount');
    assert.equal(wrongAmount.status, 400);
    const still = await mine(member.api, r.redemptionId);
    assert.equal(still.status, 'pending_payment');
    assert.equal(still.vouchers.length, 0);
    // The genuine one completes it.
    assert.equal((await server.fake.payNotify(tradeNo)).status, 204);
    assert.equal((await mine(member.api, r.redemptionId)).status, 'completed');
  });

  it('no notification: the reconciliation job asks WeChat Pay, finds the payment, completes it', async () => {
    const member = await memberWithPoints(server, owner, 1_000);
    const r = await redeem(member.api, (await tee()).id);
    await server.fake.pay({ out_trade_no: tradeNoOf(r.redemptionId), notify: 'never' });
    assert.equal(
      (await runJobAt(server, 'mall.payment_reconcile', new Date(Date.now() - 30_000))).affected,
      0,
      'not within its first minute',
    );
    const run = await runJobAt(server, 'mall.payment_reconcile', new Date(Date.now() + 90_000));
    assert.ok(run.affected >= 1);
    const done = await mine(member.api, r.redemptionId);
    assert.equal(done.status, 'completed');
    assert.equal(done.vouchers.length, 1);
  });

  it('unpaid at the end of the window: queried, closed, stock and points restored', async () => {
    const member = await memberWithPoints(server, owner, 1_000);
    const item = await tee(3);
    const r = await redeem(member.api, item.id);
    assert.equal(await stockOf(item.id), 2);
    assert.equal((await member.api.call(p.summary)).balance, 800);
    await runJobAt(server, 'mall.payment_timeout', new Date(Date.now() + 16 * 60_000));
    assert.equal((await mine(member.api, r.redemptionId)).status, 'cancelled');
    assert.equal((await server.fake.trade(tradeNoOf(r.redemptionId)))!.trade.trade_state, 'CLOSED');
    assert.equal(await stockOf(item.id), 3);
    assert.equal((await member.api.call(p.summary)).balance, 1_000);
    // Run again: nothing restored twice.
    await runJobAt(server, 'mall.payment_timeout', new Date(Date.now() + 17 * 60_000));
    assert.equal((await member.api.call(p.summary)).balance, 1_000);
    assert.equal(await stockOf(item.id), 3);
    assert.deepEqual((await checkLedger(server.dataSource)).discrepancies, []);
  });

  it('paid at the last moment, notification lost: the window end finds the payment and completes', async () => {
    const member = await memberWithPoints(server, owner, 1_000);
    const item = await tee(3);
    const r = await redeem(member.api, item.id);
    await server.fake.pay({ out_trade_no: tradeNoOf(r.redemptionId), notify: 'never' });
    await runJobAt(server, 'mall.payment_timeout', new Date(Date.now() + 16 * 60_000));
    assert.equal((await mine(member.api, r.redemptionId)).status, 'completed');
    assert.equal(await stockOf(item.id), 2, 'the sale stands');
  });

  it('a crash between prepay and saving it: the member pays again, the jobs reconcile it', async () => {
    const member = await memberWithPoints(server, owner, 1_000);
    const item = await tee();
    await server.fake.payFault('drop_after_create', { path: '/v3/pay/transactions/jsapi' });
    const r = await redeem(member.api, item.id);
    assert.equal(r.status, 'pending_payment', 'the redemption stands: points and stock are held');
    assert.equal(r.paymentParams, null, 'no answer from WeChat Pay: no parameters');
    const tradeNo = tradeNoOf(r.redemptionId);
    assert.equal(
      (await server.fake.trade(tradeNo))!.trade.trade_state,
      'NOTPAY',
      'placed all the same',
    );
    const [row] = (await server.dataSource.query(
      'SELECT payment_ref FROM mall_redemption WHERE id = ?',
      [r.redemptionId],
    )) as { payment_ref: string | null }[];
    assert.equal(row!.payment_ref, null, 'its prepay was never saved');
    // The app asks again: the same trade, signed afresh.
    const again = await member.api.call(m.payment, { params: { id: r.redemptionId } });
    assert.ok(prepayIdOf(again.paymentParams).length > 0);
    await server.fake.pay({ out_trade_no: tradeNo, notify: 'never' });
    await runJobAt(server, 'mall.payment_reconcile', new Date(Date.now() + 90_000));
    assert.equal((await mine(member.api, r.redemptionId)).status, 'completed');
  });

  it('WeChat Pay down at prepay: the redemption waits, the member gets parameters once it is back', async () => {
    const member = await memberWithPoints(server, owner, 1_000);
    const item = await tee();
    await server.fake.payFault('http500', { path: '/v3/pay/transactions/jsapi', times: 2 });
    const r = await redeem(member.api, item.id);
    assert.equal(r.paymentParams, null);
    await expectError(
      member.api.call(m.payment, { params: { id: r.redemptionId } }),
      503,
      'SERVICE_UNAVAILABLE',
    );
    const again = await member.api.call(m.payment, { params: { id: r.redemptionId } });
    await server.fake.cashier(again.paymentParams!);
    assert.equal((await mine(member.api, r.redemptionId)).status, 'completed');
  });

  it('cancel after payment: refunded through WeChat Pay once, points and stock restored once', async () => {
    const member = await memberWithPoints(server, owner, 1_000);
    const item = await tee(4);
    const r = await redeem(member.api, item.id);
    await server.fake.cashier(r.paymentParams!);
    assert.equal((await mine(member.api, r.redemptionId)).status, 'completed');
    const cancelled = await owner.call(m.cancel, {
      params: { id: r.redemptionId },
      body: { reason: '尺码不合适' },
    });
    assert.equal(cancelled.status, 'cancelled');
    assert.ok(cancelled.cashRefundedAt);
    await expectError(
      owner.call(m.cancel, { params: { id: r.redemptionId }, body: { reason: '再来一次' } }),
      409,
      'CONFLICT',
    );
    // PROCESSING, then SUCCESS by the refund notification.
    let status = cancelled.cashRefundStatus;
    for (let i = 0; i < 50 && status !== 'success'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = (await mine(member.api, r.redemptionId)).cashRefundStatus;
    }
    assert.equal(status, 'success');
    const trade = (await server.fake.trade(tradeNoOf(r.redemptionId)))!;
    assert.equal(trade.refunds.length, 1);
    assert.equal(trade.refunds[0]!.amount.refund, 1_990);
    assert.equal((await member.api.call(p.summary)).balance, 1_000, 'points back, once');
    assert.equal(await stockOf(item.id), 4, 'stock back, once');
    assert.deepEqual((await checkLedger(server.dataSource)).discrepancies, []);
  });

  it('a refund the bank refuses is marked abnormal for staff; cancelled before payment: closed, nothing refunded', async () => {
    const member = await memberWithPoints(server, owner, 1_000);
    const item = await tee();
    const r = await redeem(member.api, item.id);
    await server.fake.cashier(r.paymentParams!);
    await server.fake.payFault('refund_abnormal');
    await owner.call(m.cancel, { params: { id: r.redemptionId }, body: { reason: '缺货' } });
    let status: string | null = 'processing';
    for (let i = 0; i < 50 && status === 'processing'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = (await mine(member.api, r.redemptionId)).cashRefundStatus;
    }
    assert.equal(status, 'abnormal');

    const unpaid = await redeem(member.api, item.id);
    const gone = await owner.call(m.cancel, {
      params: { id: unpaid.redemptionId },
      body: { reason: '会员不要了' },
    });
    assert.equal(gone.cashRefundedAt, null);
    assert.equal(
      (await server.fake.trade(tradeNoOf(unpaid.redemptionId)))!.trade.trade_state,
      'CLOSED',
    );
    // The member can no longer pay it.
    assert.equal((await server.fake.cashier(unpaid.paymentParams!)).status, 400);
  });

  it('30 notifications of one trade at once: one completion', async () => {
    const member = await memberWithPoints(server, owner, 1_000);
    const item = await tee();
    const r = await redeem(member.api, item.id);
    const paid = await server.fake.pay({ prepay_id: prepayIdOf(r.paymentParams), duplicates: 29 });
    assert.equal(paid.deliveries.length, 30);
    assert.ok(
      paid.deliveries.every((s) => s === 204),
      `every copy answered 204: ${paid.deliveries.join(',')}`,
    );
    const done = await mine(member.api, r.redemptionId);
    assert.equal(done.status, 'completed');
    assert.equal(done.vouchers.length, 1);
    assert.equal(await redeemedEvents(r.redemptionId), 1);
    assert.equal((await member.api.call(p.summary)).balance, 800);
  });
});
