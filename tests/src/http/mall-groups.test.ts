import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ApiError, type ApiClient, routes } from '@huoyue/shared';
import { checkLedger } from '@huoyue/server/dist/modules/points/ledger-check.js';
import { memberWithPoints as givenPoints, staffLogin } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const m = routes.mall;

/**
 * Redemptions that arrive together are decided together (RedemptionGroups): one transaction locks the counts, the
 * accounts and the stock, decides in arrival order, and writes multi-row. A rush mixing every refusal must answer
 * each request as the single path would, and leave stock, counts, balances and the ledger exact.
 */
describe('redemption groups: a mixed rush gets every answer right and the rows exact', () => {
  let server: TestServer;
  let owner: ApiClient;

  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
  });
  after(async () => server.stop());

  const memberWithPoints = (points: number) => givenPoints(server, owner, points);
  const query = async <T>(sql: string, params: unknown[]) =>
    (await server.dataSource.query(sql, params)) as T[];

  it('stock 5, limit 2 each: 5 sold, the poor refused for points, the greedy held to 2, a retried id answered once', async () => {
    const item = await owner.call(m.createItem, {
      body: {
        name: '抢兑礼券',
        kind: 'virtual',
        pointsPrice: 100,
        stock: 5,
        perMemberLimit: 2,
      } as never,
    });
    const rich = await Promise.all([1, 2, 3, 4, 5, 6].map(() => memberWithPoints(1_000)));
    const poor = await memberWithPoints(50);
    const greedy = await memberWithPoints(1_000);
    const retriedId = randomUUID();
    const redeem = (api: ApiClient, requestId = randomUUID()) =>
      api.call(m.redeem, { params: { id: item.id }, body: { quantity: 1, requestId } });
    const calls: { who: string; memberId: number; call: Promise<{ redemptionId: number }> }[] = [
      ...rich.map((r, i) => ({ who: `rich${i}`, memberId: r.member.id, call: redeem(r.api) })),
      { who: 'retry', memberId: rich[0]!.member.id, call: redeem(rich[0]!.api, retriedId) },
      { who: 'retry', memberId: rich[0]!.member.id, call: redeem(rich[0]!.api, retriedId) },
      { who: 'poor', memberId: poor.member.id, call: redeem(poor.api) },
      ...[1, 2, 3, 4].map(() => ({
        who: 'greedy',
        memberId: greedy.member.id,
        call: redeem(greedy.api),
      })),
    ];
    const settled = await Promise.allSettled(calls.map((c) => c.call));
    const codeOf = (s: PromiseSettledResult<unknown>) => {
      if (s.status === 'fulfilled') return 'OK';
      return s.reason instanceof ApiError ? s.reason.code : String(s.reason);
    };
    const codes = settled.map(codeOf);
    for (const code of codes)
      assert.ok(
        ['OK', 'OUT_OF_STOCK', 'LIMIT_REACHED', 'INSUFFICIENT_POINTS'].includes(code),
        `unexpected answer ${code}`,
      );
    const sold = new Map<number, number>(); // redemption id → member
    settled.forEach((s, i) => {
      if (s.status === 'fulfilled') sold.set(s.value.redemptionId, calls[i]!.memberId);
    });
    assert.equal(sold.size, 5, `answers: ${codes.join(', ')}`);
    // The same request id twice: one redemption, answered to both (or refused to both).
    const retries = settled.filter((_, i) => calls[i]!.who === 'retry');
    assert.equal(retries[0]!.status, retries[1]!.status);
    if (retries[0]!.status === 'fulfilled' && retries[1]!.status === 'fulfilled')
      assert.equal(retries[0]!.value.redemptionId, retries[1]!.value.redemptionId);
    const poorCode = codes[calls.findIndex((c) => c.who === 'poor')];
    assert.ok(poorCode === 'INSUFFICIENT_POINTS' || poorCode === 'OUT_OF_STOCK', poorCode);
    const greedyWins = [...sold.values()].filter((id) => id === greedy.member.id).length;
    assert.ok(greedyWins <= 2, `greedy redeemed ${greedyWins}`);

    const [row] = await query<{ stock: number }>('SELECT stock FROM mall_item WHERE id = ?', [
      item.id,
    ]);
    assert.equal(Number(row!.stock), 0);
    const perMember = new Map<number, number>();
    for (const memberId of sold.values())
      perMember.set(memberId, (perMember.get(memberId) ?? 0) + 1);
    const counts = await query<{ member_id: number; n: number }>(
      'SELECT member_id, n FROM mall_member_count WHERE item_id = ? AND n > 0',
      [item.id],
    );
    assert.deepEqual(
      new Map(counts.map((c) => [Number(c.member_id), Number(c.n)])),
      perMember,
      'each member’s count is what they redeemed',
    );
    for (const [memberId, n] of perMember) {
      const [account] = await query<{ balance: number }>(
        'SELECT balance FROM points_account WHERE member_id = ?',
        [memberId],
      );
      assert.equal(Number(account!.balance), 1_000 - 100 * n);
    }
    const [vouchers] = await query<{ n: number }>(
      'SELECT COUNT(*) AS n FROM mall_voucher WHERE item_id = ?',
      [item.id],
    );
    assert.equal(Number(vouchers!.n), 5);
    const [poorAccount] = await query<{ balance: number }>(
      'SELECT balance FROM points_account WHERE member_id = ?',
      [poor.member.id],
    );
    assert.equal(Number(poorAccount!.balance), 50);
    assert.deepEqual((await checkLedger(server.dataSource)).discrepancies, []);
  });

  it('a group with goods and an address, goods without one, and an item off sale: each answered on its own', async () => {
    const goods = await owner.call(m.createItem, {
      body: {
        name: '保温杯',
        kind: 'physical',
        pointsPrice: 10,
        stock: 10,
        perMemberLimit: 5,
      } as never,
    });
    const gone = await owner.call(m.createItem, {
      body: {
        name: '下架商品',
        kind: 'virtual',
        pointsPrice: 10,
        stock: 10,
        perMemberLimit: 5,
      } as never,
    });
    await owner.call(m.updateItem, { params: { id: gone.id }, body: { active: false } as never });
    const member = await memberWithPoints(1_000);
    const address = { name: '张三', phone: '13800000000', address: '上海市黄浦区 1 号' };
    const [shipped, noAddress, offSale] = await Promise.allSettled([
      member.api.call(m.redeem, {
        params: { id: goods.id },
        body: { quantity: 2, requestId: randomUUID(), address },
      }),
      member.api.call(m.redeem, {
        params: { id: goods.id },
        body: { quantity: 1, requestId: randomUUID() },
      }),
      member.api.call(m.redeem, {
        params: { id: gone.id },
        body: { quantity: 1, requestId: randomUUID() },
      }),
    ]);
    assert.equal(shipped.status, 'fulfilled');
    if (shipped.status === 'fulfilled') {
      assert.equal(shipped.value.status, 'pending_shipment');
      assert.equal(shipped.value.pointsSpent, 20);
    }
    assert.equal(noAddress.status, 'rejected');
    assert.equal((noAddress as PromiseRejectedResult).reason.code, 'VALIDATION_FAILED');
    assert.equal(offSale.status, 'rejected');
    assert.equal((offSale as PromiseRejectedResult).reason.code, 'NOT_FOUND');
    const [row] = await query<{ stock: number }>('SELECT stock FROM mall_item WHERE id = ?', [
      goods.id,
    ]);
    assert.equal(Number(row!.stock), 8);
    assert.deepEqual((await checkLedger(server.dataSource)).discrepancies, []);
  });
});
