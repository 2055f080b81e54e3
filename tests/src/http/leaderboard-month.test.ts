import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { routes, type ApiClient } from '@huoyue/shared';
import { joinedMember, staffLogin } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

let seq = 0;
const orderNo = () => `LBM${process.pid}-${Date.now().toString(36)}-${++seq}`;

describe("the points leaderboard's 本月 counts this month's points, not a lifetime", () => {
  let server: TestServer;
  let owner: ApiClient;
  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
  });
  after(async () => server.stop());

  it('dates an order’s points at its purchase, so a late-synced old order does not count for this month', async () => {
    const m = await joinedMember(server, '榜单会员');
    const old = new Date(Date.now() - 40 * 86_400_000);
    await owner.call(routes.points.createOrder, {
      body: {
        orderNo: orderNo(),
        member: { id: m.member.id },
        amount: 30_000,
        paidAt: old.toISOString(),
      },
    });
    await owner.call(routes.points.createOrder, {
      body: {
        orderNo: orderNo(),
        member: { id: m.member.id },
        amount: 1_000,
        paidAt: new Date().toISOString(),
      },
    });
    const ledger = await m.api.call(routes.points.ledger, { query: { limit: 10 } });
    const earned = ledger.items.filter((e) => e.type === 'earn');
    assert.deepEqual(
      earned.map((e) => e.points).sort((a, b) => a - b),
      [10, 300],
    );
    const oldEntry = earned.find((e) => e.points === 300)!;
    assert.equal(oldEntry.at.slice(0, 10), old.toISOString().slice(0, 10), 'dated at the purchase');
    assert.equal((await m.api.call(routes.points.summary)).balance, 310);

    await owner.call(routes.system.runJob, { params: { name: 'leaderboards.refresh' }, body: {} });
    const board = await m.api.call(routes.engagement.leaderboard, { params: { board: 'points' } });
    assert.equal(board.me?.score, 10, "this month's points only");
    assert.deepEqual(
      board.top.map((t) => t.score),
      [10],
    );
  });
});
