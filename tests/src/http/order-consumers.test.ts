import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Injectable, Module } from '@nestjs/common';
import { routes, type ApiClient } from '@huoyue/shared';
import { sqlInstant } from '@huoyue/server/dist/infra/database/bulk.js';
import { EventBus, OnDomainEvents } from '@huoyue/server/dist/infra/events/event-bus.js';
import type { DomainEventMap } from '@huoyue/server/dist/infra/events/event-map.js';
import { joinedMember, staffLogin } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

let seq = 0;
const orderNo = () => `OC${process.pid}-${Date.now().toString(36)}-${++seq}`;

/** Each member's orders: amounts (fen) and stores, the same pattern for every group compared. */
const PATTERN = [
  { amount: 1_000, storeCode: undefined },
  { amount: 25_000, storeCode: 'S01' },
  { amount: 5_000, storeCode: 'S02' },
];

/** A batch consumer that cannot take an order of 0.13 yuan: any batch holding one fails as a whole. */
const picked: { batch: number; orderNos: string[] }[] = [];
@Injectable()
class PickyBatchConsumer {
  @OnDomainEvents('order.paid')
  take(events: DomainEventMap['order.paid'][]) {
    if (events.some((e) => e.amount === 13)) throw new Error('cannot take 0.13 yuan');
    picked.push({ batch: events.length, orderNos: events.map((e) => e.orderNo) });
  }
}
@Module({ providers: [PickyBatchConsumer] })
class PickyModule {}

/** What the consumers of `order.paid` leave for a member, with order numbers replaced by their index. */
async function consumed(server: TestServer, memberId: number, orderNos: string[]) {
  const one = async (sql: string) =>
    ((await server.dataSource.query(sql, [memberId])) as Record<string, unknown>[])[0];
  const stat = await one('SELECT purchases, spend FROM member_stat WHERE member_id = ?');
  const member = await one('SELECT stage, home_store_code FROM member WHERE id = ?');
  const lifecycle = await one(
    'SELECT purchase_days, spend, win_days, win_spend FROM member_lifecycle WHERE member_id = ?',
  );
  const badges = (
    (await server.dataSource.query(
      'SELECT level, trigger_ref FROM member_badge WHERE member_id = ? ORDER BY badge_id, level',
      [memberId],
    )) as { level: number; trigger_ref: string }[]
  ).map((b) => `${b.level}@${orderNos.indexOf(b.trigger_ref.replace(/^order:/, ''))}`);
  const transitions = (
    (await server.dataSource.query(
      'SELECT from_stage, to_stage, cause FROM lifecycle_transition WHERE member_id = ? ORDER BY id',
      [memberId],
    )) as { from_stage: string; to_stage: string; cause: string }[]
  ).map((t) => `${t.from_stage}>${t.to_stage}:${t.cause}`);
  const numbers = (r: Record<string, unknown> | undefined) =>
    Object.fromEntries(Object.entries(r ?? {}).map(([k, v]) => [k, v === null ? null : String(v)]));
  return {
    stat: numbers(stat),
    member: numbers(member),
    lifecycle: numbers(lifecycle),
    badges,
    transitions,
  };
}

describe('order consumers: a batch gives what one by one gives; after a crash another server catches up', () => {
  let server: TestServer;
  let owner: ApiClient;
  const order = async (memberId: number, i: number) => {
    const no = orderNo();
    await owner.call(routes.points.createOrder, {
      body: {
        orderNo: no,
        member: { id: memberId },
        amount: PATTERN[i]!.amount,
        paidAt: new Date().toISOString(),
        ...(PATTERN[i]!.storeCode ? { storeCode: PATTERN[i]!.storeCode } : {}),
      },
    });
    return no;
  };

  before(async () => {
    server = await startTestServer({}, { imports: [PickyModule] });
    owner = await staffLogin(server);
    // Levels reached on the first and the third purchase, and at 300 yuan of spend.
    await owner.call(routes.engagement.createBadge, {
      body: { name: '回头客', rule: { metric: 'purchases', thresholds: [1, 3] }, rewardPoints: 5 },
    });
    await owner.call(routes.engagement.createBadge, {
      body: { name: '大买家', rule: { metric: 'spend', thresholds: [300] } },
    });
  });
  after(async () => server.stop());

  it('orders consumed in one batch leave the same facts, badges, stages and home stores as one at a time', async () => {
    const bus = server.app.get(EventBus);
    const single = await Promise.all([1, 2, 3].map(() => joinedMember(server)));
    const batched = await Promise.all([1, 2, 3].map(() => joinedMember(server)));
    // One at a time: the client waits for the consumers after each answer (batches of one).
    const singleNos: string[][] = [];
    for (const m of single) {
      const nos: string[] = [];
      for (let i = 0; i < PATTERN.length; i++) nos.push(await order(m.member.id, i));
      singleNos.push(nos);
    }
    // Batched: committed while nobody delivers, then all of them through the batch path at once.
    bus.configure({ deliverAfterCommit: false });
    const batchedNos: string[][] = batched.map(() => []);
    try {
      for (let i = 0; i < PATTERN.length; i++)
        for (const [k, m] of batched.entries()) batchedNos[k]!.push(await order(m.member.id, i));
    } finally {
      bus.configure({ deliverAfterCommit: true });
    }
    assert.equal(
      (await consumed(server, batched[0]!.member.id, batchedNos[0]!)).stat.purchases,
      '0',
    );
    const delivered = await bus.drain();
    assert.ok(delivered >= batched.length * PATTERN.length, `delivered ${delivered}`);
    for (const k of single.keys()) {
      const a = await consumed(server, single[k]!.member.id, singleNos[k]!);
      const b = await consumed(server, batched[k]!.member.id, batchedNos[k]!);
      assert.deepEqual(b, a);
      assert.deepEqual(a.badges, ['1@0', '2@2', '1@2']);
      assert.equal(a.member.home_store_code, 'S01');
      assert.equal(a.member.stage, 'active');
      assert.equal(a.stat.purchases, '3');
    }
    assert.equal((await server.client().call(routes.system.health)).outbox.undelivered, 0);
  });

  it('orders committed by a server that died before delivering are consumed by another on the same database', async () => {
    const bus = server.app.get(EventBus);
    const members = await Promise.all([1, 2].map(() => joinedMember(server)));
    const nos: string[][] = members.map(() => []);
    bus.configure({ deliverAfterCommit: false }); // the process is gone right after each commit
    try {
      for (let i = 0; i < PATTERN.length; i++)
        for (const [k, m] of members.entries()) nos[k]!.push(await order(m.member.id, i));
    } finally {
      bus.configure({ deliverAfterCommit: true });
    }
    const options = server.dataSource.options as { type: string; url?: string; database?: string };
    const url = options.type === 'better-sqlite3' ? `sqlite:${options.database}` : options.url!;
    const other = await startTestServer({ DATABASE_URL: url });
    try {
      // Past the grace period in which the committing process would still deliver them itself.
      const kind = options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
      await server.dataSource.query(
        'UPDATE domain_event SET created_at = ? WHERE dispatched_at IS NULL',
        [sqlInstant(kind, new Date(Date.now() - 120_000))],
      );
      const behind = (await other.client().call(routes.system.health)).outbox;
      assert.ok(behind.undelivered >= members.length * PATTERN.length, `${behind.undelivered}`);
      assert.ok(behind.oldestAgeSeconds >= 119);
      await other.app.get(EventBus).sweep();
      assert.deepEqual((await other.client().call(routes.system.health)).outbox, {
        undelivered: 0,
        oldestAgeSeconds: 0,
      });
      for (const [k, m] of members.entries()) {
        const c = await consumed(server, m.member.id, nos[k]!);
        assert.deepEqual(c.badges, ['1@0', '2@2', '1@2']);
        assert.equal(c.stat.purchases, '3');
        assert.equal(c.member.home_store_code, 'S01');
        assert.equal(c.member.stage, 'active');
      }
    } finally {
      await other.stop(); // its own (unused) database and folder; this one's stay
    }
  });

  it('a failing batch runs again one by one: the bad event waits for a retry, the others are delivered', async () => {
    const bus = server.app.get(EventBus);
    const m = await joinedMember(server);
    picked.length = 0;
    bus.configure({ deliverAfterCommit: false });
    const nos: string[] = [];
    try {
      for (const amount of [100, 13, 200]) {
        const no = orderNo();
        await owner.call(routes.points.createOrder, {
          body: {
            orderNo: no,
            member: { id: m.member.id },
            amount,
            paidAt: new Date().toISOString(),
          },
        });
        nos.push(no);
      }
    } finally {
      bus.configure({ deliverAfterCommit: true });
    }
    await bus.drain();
    assert.deepEqual(picked, [
      { batch: 1, orderNos: [nos[0]] },
      { batch: 1, orderNos: [nos[2]] },
    ]);
    const pending = (await server.dataSource.query(
      `SELECT d.handler, d.attempts, e.payload FROM domain_event_delivery d
       JOIN domain_event e ON e.id = d.event_id WHERE d.delivered_at IS NULL`,
    )) as { handler: string; attempts: number | string; payload: string }[];
    assert.deepEqual(
      pending.map((p) => [
        p.handler,
        Number(p.attempts),
        (JSON.parse(p.payload) as { orderNo: string }).orderNo,
      ]),
      [['PickyBatchConsumer.take', 1, nos[1]]],
    );
    // The other consumers of the bad order took it: only the picky one waits.
    const c = await consumed(server, m.member.id, nos);
    assert.equal(c.stat.purchases, '3');
  });
});
