import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DeliveryQueue,
  PushRate,
  type QueuedEvent,
} from '@huoyue/server/dist/infra/events/delivery-queue.js';

const event = (id: number, memberId: number): QueuedEvent => ({
  id,
  name: 'checkin.created',
  payload: JSON.stringify({ memberId, n: id }),
});
const tick = () => new Promise((r) => setTimeout(r, 2));

describe('DeliveryQueue: consumers after the answer, in lanes by member, bounded', () => {
  it('push returns at once; one member’s events are delivered in commit order; idle waits for all', async () => {
    const delivered: QueuedEvent[] = [];
    const queue = new DeliveryQueue(
      async (rows) => {
        await tick();
        delivered.push(...rows);
      },
      { lanes: 4, batch: 3, maxQueued: 1000 },
    );
    const events = Array.from({ length: 40 }, (_, i) => event(i + 1, i % 5));
    assert.equal(queue.push(events), 40);
    assert.equal(delivered.length, 0, 'nothing delivered before the pusher went on');
    await queue.idle();
    assert.equal(delivered.length, 40);
    for (let member = 0; member < 5; member++) {
      const ids = delivered
        .filter((e) => JSON.parse(e.payload).memberId === member)
        .map((e) => e.id);
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => a - b),
        `member ${member} in order`,
      );
    }
  });

  it('beyond maxQueued the rest is left to the sweep; a failing delivery does not stop the lane', async () => {
    let dropped = 0;
    const errors: unknown[] = [];
    const delivered: number[] = [];
    const queue = new DeliveryQueue(
      async (rows) => {
        if (rows.some((r) => r.id === 2)) throw new Error('handler bookkeeping failed');
        delivered.push(...rows.map((r) => r.id));
      },
      { lanes: 1, batch: 1, maxQueued: 5 },
      (n) => (dropped += n),
      (err) => errors.push(err),
    );
    assert.equal(queue.push(Array.from({ length: 8 }, (_, i) => event(i + 1, 1))), 5);
    assert.equal(dropped, 3);
    await queue.idle();
    assert.deepEqual(delivered, [1, 3, 4, 5]);
    assert.equal(errors.length, 1);
  });

  it('close finishes the batch in hand and leaves the queued ones', async () => {
    const delivered: number[] = [];
    let inHand!: () => void;
    const firstInHand = new Promise<void>((resolve) => (inHand = resolve));
    const queue = new DeliveryQueue(
      async (rows) => {
        inHand();
        await tick();
        delivered.push(...rows.map((r) => r.id));
      },
      { lanes: 1, batch: 1, maxQueued: 100 },
    );
    queue.push(Array.from({ length: 10 }, (_, i) => event(i + 1, 1)));
    await firstInHand;
    await queue.close();
    assert.deepEqual(delivered, [1], 'the batch in hand finished, the queued ones were left');
    assert.equal(queue.push([event(99, 1)]), 0, 'a closed queue takes nothing');
  });

  it('the push rate: events per second over the last 100-200 ms, 0 once quiet', () => {
    const rate = new PushRate();
    rate.note(10, 1_000); // a new window at 1,000
    assert.equal(rate.perSecond(1_000), 100); // 10 over the first 100 ms counted
    rate.note(40, 1_050);
    assert.equal(rate.perSecond(1_050), (50 * 1000) / 150);
    rate.note(20, 1_120); // a new window; the previous one held 50
    assert.equal(rate.perSecond(1_120), (70 * 1000) / 100);
    assert.equal(rate.perSecond(1_250), (20 * 1000) / 130, 'past 100 ms, the current window alone');
    assert.equal(rate.perSecond(1_400), 0, 'quiet for 200 ms');
    rate.note(1, 1_500); // the window before was 380 ms ago: not counted
    assert.equal(rate.perSecond(1_500), 10);
  });

  it('under a rush a lane waits for fuller batches; an idle queue delivers at once', async () => {
    const batches: number[] = [];
    const queue = new DeliveryQueue(
      async (rows) => {
        batches.push(rows.length);
      },
      { lanes: 1, batch: 50, maxQueued: 1000, linger: { ms: 100, perSecond: 200 } },
    );
    // Idle: one event, delivered long before the linger could have passed.
    const started = Date.now();
    queue.push([event(1, 1)]);
    await queue.idle();
    assert.ok(Date.now() - started < 90, `idle delivery took ${Date.now() - started} ms`);
    // A rush: 150 events, one every 2-3 ms (300-500 a second), seen as one from its second 100 ms on.
    for (let i = 0; i < 150; i++) {
      queue.push([event(100 + i, 1)]);
      await tick();
    }
    await queue.idle();
    const rush = batches.slice(1);
    assert.equal(
      rush.reduce((a, b) => a + b, 0),
      150,
    );
    assert.ok(rush.length <= 75, `150 events in ${rush.length} batches: ${rush.join(', ')}`);
    assert.ok(Math.max(...rush) >= 10, `batches: ${rush.join(', ')}`);
  });
});
