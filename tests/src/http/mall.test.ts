import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type ApiClient, ApiError, routes } from '@huoyue/shared';
import { TokenService } from '@huoyue/server/dist/infra/auth/token.service.js';
import { checkLedger } from '@huoyue/server/dist/modules/points/ledger-check.js';
import { expectError, joinedMember, memberWithPoints, runJobAt } from '../support/flows.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

const m = routes.mall;
const p = routes.points;

describe('points mall: redemptions under a rush, limits, payment, fulfilment', () => {
  let server: TestServer;
  let owner: ApiClient;
  let ownerToken: string;
  const tag = `${process.pid}${Date.now().toString(36)}`;
  let batch = 0;

  before(async () => {
    server = await startTestServer();
    ownerToken = (await server.client().call(routes.staff.login, { body: ADMIN })).token;
    owner = server.client(ownerToken);
  });
  after(async () => server.stop());

  const item = (extra: Record<string, unknown> = {}) =>
    owner.call(m.createItem, {
      body: {
        name: '保温杯',
        kind: 'virtual',
        pointsPrice: 100,
        stock: 10,
        perMemberLimit: 1,
        ...extra,
      } as never,
    });
  const redeem = (api: ApiClient, id: number, extra: Record<string, unknown> = {}) =>
    api.call(m.redeem, {
      params: { id },
      body: { quantity: 1, requestId: randomUUID(), ...extra },
    });

  /** Many members with points, fast: a member import with opening balances, tokens signed by the server. */
  async function membersWithPoints(count: number, points: number): Promise<ApiClient[]> {
    const prefix = `MALL-${tag}-${++batch}-`;
    const refs = Array.from({ length: count }, (_, i) => `${prefix}${i}`);
    const csv = [
      'member_ref,phone,nickname,birthday,tier_code,points_balance,points_expire_at',
      ...refs.map((r) => `${r},,会员,,,${points},`),
    ].join('\n');
    const res = await fetch(`${server.apiUrl}/admin/imports/members`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ownerToken}`, 'content-type': 'text/csv' },
      body: csv,
    });
    const { id } = (await res.json()) as { id: number };
    for (let i = 0; i < 600; i++) {
      const view = await owner.call(p.getImport, { params: { id } });
      if (view.status === 'done') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const rows: { id: number }[] = await server.dataSource.query(
      `SELECT id FROM member WHERE external_ref LIKE '${prefix}%'`,
    );
    assert.equal(rows.length, count);
    const tokens = server.app.get(TokenService);
    // A thousand requests at once queue on one SQLite connection: this measures correctness, not latency.
    return Promise.all(
      rows.map(async (r) => server.client(await tokens.signMember(Number(r.id)), 120_000)),
    );
  }

  it('1,000 members rushing an item with stock 100: exactly 100 succeed, stock ends at 0, every ledger balances', async () => {
    const members = await membersWithPoints(1000, 500);
    const hot = await item({ stock: 100 });
    const results = await Promise.allSettled(members.map((api) => redeem(api, hot.id)));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const out = results.filter(
      (r) => r.status === 'rejected' && (r.reason as ApiError).code === 'OUT_OF_STOCK',
    ).length;
    const other = results
      .filter((r) => r.status === 'rejected' && (r.reason as ApiError).code !== 'OUT_OF_STOCK')
      .map((r) => {
        const e = (r as PromiseRejectedResult).reason as ApiError;
        return `${String(e)} ${String(e.details ?? '')}`;
      });
    assert.deepEqual(other.slice(0, 3), []);
    assert.deepEqual({ ok, out }, { ok: 100, out: 900 });
    assert.equal((await owner.call(m.listItems)).items.find((i) => i.id === hot.id)!.stock, 0);
    const [spent] = (await server.dataSource.query(
      "SELECT COUNT(*) AS n, SUM(points) AS total FROM points_entry WHERE source_type = 'mall'",
    )) as { n: number; total: number }[];
    assert.deepEqual(
      { n: Number(spent!.n), total: Number(spent!.total) },
      { n: 100, total: -10_000 },
    );
    assert.deepEqual((await checkLedger(server.dataSource)).discrepancies, []);
  });

  it('one member racing 20 redemptions against a limit of 2 gets 2; a retried request id redeems once', async () => {
    const [api] = await membersWithPoints(1, 10_000);
    const limited = await item({ perMemberLimit: 2, stock: 50 });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => redeem(api!, limited.id)),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 2);
    assert.equal(
      results.filter(
        (r) => r.status === 'rejected' && (r.reason as ApiError).code === 'LIMIT_REACHED',
      ).length,
      18,
    );
    const once = await item({ perMemberLimit: 5 });
    const requestId = randomUUID();
    const [a, b] = await Promise.all([
      redeem(api!, once.id, { requestId }),
      redeem(api!, once.id, { requestId }),
    ]);
    assert.equal(a.redemptionId, b.redemptionId);
    assert.equal((await api!.call(p.summary)).balance, 10_000 - 300);
  });

  it('not enough points, or not the right tier: refused with nothing taken', async () => {
    const [api] = await membersWithPoints(1, 50);
    const cup = await item();
    await expectError(redeem(api!, cup.id), 422, 'INSUFFICIENT_POINTS');
    const gold = await item({ tiers: ['gold'] });
    await expectError(redeem(api!, gold.id), 403, 'NOT_ELIGIBLE');
    assert.equal(
      (await owner.call(m.listItems)).items.find((i) => i.id === cup.id)!.stock,
      10,
      'the stock came back with the rollback',
    );
    assert.equal(
      (
        await owner.call(m.updateItem, {
          params: { id: cup.id },
          body: { stockDelta: 5, pointsPrice: 40 },
        })
      ).stock,
      15,
    );
    await expectError(
      owner.call(m.updateItem, { params: { id: cup.id }, body: { stockDelta: -16 } }),
      422,
      'BUSINESS_RULE',
    );
    await redeem(api!, cup.id);
    assert.equal((await api!.call(p.summary)).balance, 10, 'the new price applies');
  });

  it('points + cash: paid completes it; unpaid after 15 minutes is cancelled with stock and points restored', async () => {
    // A member of the app (logged in through WeChat: WeChat Pay needs their openid).
    const { api } = await memberWithPoints(server, owner, 1_000);
    const tee = await item({ pointsPrice: 200, cashPrice: 1_990, stock: 5, perMemberLimit: 3 });
    const paid = await redeem(api, tee.id);
    assert.equal(paid.status, 'pending_payment');
    assert.ok(paid.paymentParams?.package?.startsWith('prepay_id='));
    // The member pays in WeChat (the fake's cashier checks the server's signature, pays, notifies).
    assert.equal((await server.fake.cashier(paid.paymentParams!)).status, 200);
    assert.equal(
      (await api.call(m.pay, { params: { id: paid.redemptionId } })).status,
      'completed',
    );

    const unpaid = await redeem(api, tee.id);
    await expectError(
      api.call(m.pay, { params: { id: unpaid.redemptionId } }),
      422,
      'BUSINESS_RULE',
    );
    assert.equal((await api.call(p.summary)).balance, 600);
    assert.equal(
      (
        await owner.call(routes.system.runJob, {
          params: { name: 'mall.payment_timeout' },
          body: {},
        })
      ).affected,
      0,
      'not before its time',
    );
    const late = await runJobAt(server, 'mall.payment_timeout', new Date(Date.now() + 16 * 60_000));
    assert.equal(late.affected, 1);
    assert.equal((await api.call(p.summary)).balance, 800, 'points back');
    assert.equal(
      (await owner.call(m.listItems)).items.find((i) => i.id === tee.id)!.stock,
      4,
      'stock back',
    );
    const mine = await api.call(m.mine, { query: { limit: 10 } });
    assert.deepEqual(
      mine.items.map((r) => r.status),
      ['cancelled', 'completed'],
    );
    assert.deepEqual((await checkLedger(server.dataSource)).discrepancies, []);
  });

  it('coupon items issue the coupon; physical goods need an address, ship with tracking, cancel restores', async () => {
    const member = await joinedMember(server);
    await owner.call(p.adjust, {
      params: { id: member.member.id },
      body: { points: 1_000, reason: '测试', requestId: randomUUID() },
    });
    const template = await owner.call(routes.coupons.createTemplate, {
      body: {
        name: '积分换券',
        kind: 'cash',
        value: 500,
        validity: { kind: 'days', days: 7 },
        channels: ['mall'],
      } as never,
    });
    const couponItem = await item({
      kind: 'coupon',
      couponTemplateId: template.id,
      pointsPrice: 100,
    });
    await redeem(member.api, couponItem.id);
    assert.ok(
      (await member.api.call(routes.coupons.wallet, { query: {} })).items.some(
        (c) => c.templateId === template.id,
      ),
    );

    const bag = await item({ kind: 'physical', pointsPrice: 300 });
    await expectError(redeem(member.api, bag.id), 400, 'VALIDATION_FAILED');
    const sent = await redeem(member.api, bag.id, {
      address: { name: '张三', phone: '13800001111', address: '上海市静安区南京西路 1 号' },
    });
    assert.equal(sent.status, 'pending_shipment');
    const toShip = await owner.call(m.redemptions, { query: { status: 'pending_shipment' } });
    assert.deepEqual(
      toShip.items.map((x) => [x.redemptionId, x.memberId, x.address?.name]),
      [[sent.redemptionId, member.member.id, '张三']],
      'fulfilment sees it with its address',
    );
    const shipped = await owner.call(m.ship, {
      params: { id: sent.redemptionId },
      body: { trackingNo: 'SF1234567890' },
    });
    assert.equal(shipped.trackingNo, 'SF1234567890');
    assert.equal(
      (await owner.call(m.deliver, { params: { id: sent.redemptionId } })).status,
      'delivered',
    );
    await expectError(
      owner.call(m.deliver, { params: { id: sent.redemptionId } }),
      409,
      'CONFLICT',
    );
    // Returned after delivery: a refund gives the points back, once.
    const beforeRefund = (await member.api.call(p.summary)).balance;
    await owner.call(m.cancel, { params: { id: sent.redemptionId }, body: { reason: '退货' } });
    await expectError(
      owner.call(m.cancel, { params: { id: sent.redemptionId }, body: { reason: '退货' } }),
      409,
      'CONFLICT',
    );
    assert.equal((await member.api.call(p.summary)).balance, beforeRefund + 300);
    const again = await redeem(
      member.api,
      (await item({ kind: 'physical', pointsPrice: 300 })).id,
      { address: { name: '张三', phone: '13800001111', address: '上海市静安区南京西路 1 号' } },
    );
    const before = (await member.api.call(p.summary)).balance;
    await owner.call(m.cancel, { params: { id: again.redemptionId }, body: { reason: '缺货' } });
    assert.equal((await member.api.call(p.summary)).balance, before + 300);
  });
});

describe('points + cash with real WeChat credentials and no payment provider', () => {
  let server: TestServer;
  before(async () => {
    // Real-looking credentials: the built-in fake WeChat (and its fake payments) stay off.
    server = await startTestServer({
      WECHAT_APP_ID: 'wxreal0000000000',
      WECHAT_APP_SECRET: 'a-real-secret',
      WECHAT_API_BASE_URL: 'http://127.0.0.1:9',
    });
  });
  after(async () => server.stop());

  it('refuses cash items with 503 and takes nothing, rather than faking a payment', async () => {
    const ownerToken = (await server.client().call(routes.staff.login, { body: ADMIN })).token;
    const owner = server.client(ownerToken);
    const res = await fetch(`${server.apiUrl}/admin/imports/members`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ownerToken}`, 'content-type': 'text/csv' },
      body: 'REALPAY-1,,会员,,,500,\n',
    });
    const { id } = (await res.json()) as { id: number };
    for (
      let i = 0;
      i < 200 && (await owner.call(p.getImport, { params: { id } })).status !== 'done';
      i++
    )
      await new Promise((r) => setTimeout(r, 25));
    const [row] = (await server.dataSource.query(
      "SELECT id FROM member WHERE external_ref = 'REALPAY-1'",
    )) as { id: number }[];
    const api = server.client(await server.app.get(TokenService).signMember(Number(row!.id)));
    const tee = await owner.call(m.createItem, {
      body: { name: 'T恤', kind: 'virtual', pointsPrice: 100, cashPrice: 990, stock: 3 } as never,
    });
    await expectError(
      api.call(m.redeem, {
        params: { id: tee.id },
        body: { quantity: 1, requestId: randomUUID() },
      }),
      503,
      'SERVICE_UNAVAILABLE',
    );
    assert.equal((await owner.call(m.listItems)).items.find((i) => i.id === tee.id)!.stock, 3);
    assert.equal((await api.call(p.summary)).balance, 500);
  });
});
