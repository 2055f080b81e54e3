import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiError, routes, type ApiClient } from '@huoyue/shared';
import { checkLedger } from '@huoyue/server/dist/modules/points/ledger-check.js';
import { joinedMember, loginVisitor, staffLogin } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

let seq = 0;
const orderNo = () => `OG${process.pid}-${Date.now().toString(36)}-${++seq}`;

/**
 * Orders that arrive together are written together (OrderGroups): a burst mixing every case must answer each order
 * as one at a time would, and leave the ledger exact.
 */
describe('order groups: a burst of orders, each answered as alone, the ledger exact', () => {
  let server: TestServer;
  let owner: ApiClient;

  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
  });
  after(async () => server.stop());

  const balance = async (memberId: number) =>
    Number(
      (
        (await server.dataSource.query('SELECT balance FROM points_account WHERE member_id = ?', [
          memberId,
        ])) as { balance: number }[]
      )[0]?.balance ?? 0,
    );

  it('many members, repeats, a blocked member, a visitor and a reused number with another body', async () => {
    const members = await Promise.all([1, 2, 3, 4].map(() => joinedMember(server)));
    const blocked = await joinedMember(server);
    await owner.call(routes.engagement.earningBlock, {
      params: { id: blocked.member.id },
      body: { blocked: true, reason: '测试' },
    });
    const visitor = await loginVisitor(server);
    const paidAt = new Date(Date.now() - 60_000).toISOString();
    const order = (memberId: number, amount: number, no = orderNo()) =>
      owner.call(routes.points.createOrder, {
        body: { orderNo: no, member: { id: memberId }, amount, paidAt },
      });
    const repeated = orderNo();
    const reused = orderNo();
    await order(members[0]!.member.id, 5_000, reused);
    const calls = [
      ...members.flatMap((m) => [order(m.member.id, 10_000), order(m.member.id, 2_550)]),
      order(members[1]!.member.id, 7_000, repeated),
      order(members[1]!.member.id, 7_000, repeated),
      order(blocked.member.id, 10_000),
      order(visitor.member.id, 10_000),
      order(members[2]!.member.id, 9_999, reused),
    ];
    const settled = await Promise.allSettled(calls);
    const code = (s: PromiseSettledResult<unknown>) => {
      if (s.status === 'fulfilled') return 'OK';
      return s.reason instanceof ApiError ? s.reason.code : String(s.reason);
    };
    const codes = settled.map(code);
    assert.deepEqual(codes.slice(0, 8), Array(8).fill('OK'), codes.join(', '));
    // The same number twice with the same body: one order, answered to both.
    const [r1, r2] = settled.slice(8, 10) as PromiseFulfilledResult<{
      orderNo: string;
      points: number;
    }>[];
    assert.equal(r1!.status, 'fulfilled');
    assert.equal(r2!.status, 'fulfilled');
    assert.deepEqual(r1!.value, r2!.value);
    const blockedAnswer = settled[10] as PromiseFulfilledResult<{
      points: number;
      pointsStatus: string;
    }>;
    assert.equal(blockedAnswer.status, 'fulfilled');
    assert.equal(blockedAnswer.value.points, 0, 'a blocked member’s order earns nothing');
    assert.equal(codes[11], 'NOT_A_MEMBER');
    assert.equal(codes[12], 'ORDER_CONFLICT', 'a number reused with another body is refused');

    const [{ n }] = (await server.dataSource.query(
      'SELECT COUNT(*) AS n FROM orders WHERE order_no = ?',
      [repeated],
    )) as [{ n: number }];
    assert.equal(Number(n), 1);
    // 1 point per yuan by default: 100 + 25 for each member, and member 1's repeated order once (70).
    const earned = settled
      .slice(0, 8)
      .map((s) => (s as PromiseFulfilledResult<{ points: number }>).value.points);
    assert.deepEqual(earned, [100, 25, 100, 25, 100, 25, 100, 25]);
    assert.equal(await balance(members[0]!.member.id), 50 + 125);
    assert.equal(await balance(members[1]!.member.id), 125 + 70);
    assert.equal(await balance(members[2]!.member.id), 125);
    assert.equal(await balance(blocked.member.id), 0);
    const [{ paid }] = (await server.dataSource.query(
      "SELECT COUNT(*) AS paid FROM domain_event WHERE name = 'order.paid'",
    )) as [{ paid: number }];
    assert.equal(Number(paid), 1 + 8 + 1 + 1, 'one order.paid per order written');
    assert.deepEqual((await checkLedger(server.dataSource)).discrepancies, []);
  });
});
