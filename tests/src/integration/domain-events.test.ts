import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Injectable, Module } from '@nestjs/common';
import { IsNull } from 'typeorm';
import {
  DomainEventDelivery,
  DomainEventRow,
} from '@huoyue/server/dist/infra/events/domain-event.entity.js';
import { EventBus, OnDomainEvent } from '@huoyue/server/dist/infra/events/event-bus.js';
import { UnitOfWork } from '@huoyue/server/dist/infra/events/unit-of-work.js';
import type { DomainEventMap } from '@huoyue/server/dist/infra/events/event-map.js';
import { loginVisitor } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const received: DomainEventMap['member.registered'][] = [];
const alsoReceived: DomainEventMap['member.registered'][] = [];
let failuresLeft = 0;

@Injectable()
class RecordingListener {
  @OnDomainEvent('member.registered')
  onRegistered(payload: DomainEventMap['member.registered']) {
    if (failuresLeft > 0) {
      failuresLeft--;
      throw new Error('listener failed on purpose');
    }
    received.push(payload);
  }
}

/** A second handler of the same event, which always succeeds: it must not run again when the first is retried. */
@Injectable()
class SteadyListener {
  @OnDomainEvent('member.registered')
  onRegistered(payload: DomainEventMap['member.registered']) {
    alsoReceived.push(payload);
  }
}

@Module({ providers: [RecordingListener, SteadyListener] })
class RecordingModule {}

describe('domain events: outbox in the transaction, delivery after commit, redelivery after failure', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({}, { imports: [RecordingModule] });
  });
  after(async () => server.stop());

  it('a committed change delivers its event once, and marks it delivered', async () => {
    received.length = 0;
    const visitor = await loginVisitor(server);
    assert.deepEqual(
      received.map((e) => e.memberId),
      [visitor.member.id],
    );
    const row = await server.dataSource
      .getRepository(DomainEventRow)
      .findOneByOrFail({ name: 'member.registered' });
    assert.ok(row.dispatchedAt);
  });

  it('a rolled-back transaction delivers nothing and leaves no outbox row', async () => {
    received.length = 0;
    const before = await server.dataSource.getRepository(DomainEventRow).count();
    await assert.rejects(
      server.app.get(UnitOfWork).run(async (tx) => {
        await tx.publish('member.registered', { memberId: -1, at: new Date().toISOString() });
        throw new Error('business rule says no');
      }),
    );
    assert.equal(received.length, 0);
    assert.equal(await server.dataSource.getRepository(DomainEventRow).count(), before);
  });

  it('a failing handler is retried alone, with backoff, and the handlers that succeeded are not run again', async () => {
    received.length = 0;
    alsoReceived.length = 0;
    failuresLeft = 2;
    const visitor = await loginVisitor(server);
    assert.equal(received.length, 0, 'first delivery failed');
    assert.equal(alsoReceived.length, 1, 'the other handler ran once');
    const events = server.dataSource.getRepository(DomainEventRow);
    const deliveries = server.dataSource.getRepository(DomainEventDelivery);
    const event = (await events.find()).find((r) => r.dispatchedAt === null);
    assert.ok(event, 'the event stays undelivered');
    const rows = await deliveries.findBy({ eventId: event.id });
    const failing = rows.find((r) => r.handler === 'RecordingListener.onRegistered');
    const steady = rows.find((r) => r.handler === 'SteadyListener.onRegistered');
    assert.ok(failing && steady, 'one delivery row per handler, named Class.method');
    assert.equal(failing.attempts, 1);
    assert.equal(failing.deliveredAt, null);
    assert.match(failing.lastError ?? '', /failed on purpose/);
    assert.ok(steady.deliveredAt, 'the steady handler is recorded as delivered');
    const bus = server.app.get(EventBus);
    // Before its backoff (10 s) has passed, the sweep leaves the failed delivery alone.
    await bus.sweep(new Date(Date.now() + 2_000));
    assert.equal(failuresLeft, 1);
    // Backoff passed: the failing handler alone runs (fails again, backs off 20 s), then succeeds.
    await bus.sweep(new Date(Date.now() + 15_000));
    assert.equal(failuresLeft, 0);
    assert.equal(received.length, 0);
    assert.equal(
      (await deliveries.findOneByOrFail({ eventId: event.id, handler: failing.handler })).attempts,
      2,
    );
    await bus.sweep(new Date(Date.now() + 120_000));
    assert.deepEqual(
      received.map((e) => e.memberId),
      [visitor.member.id],
    );
    assert.equal(alsoReceived.length, 1, 'the handler that succeeded was not run again');
    assert.ok((await events.findOneByOrFail({ id: event.id })).dispatchedAt);
    // A second sweep delivers nothing again.
    await bus.sweep(new Date(Date.now() + 240_000));
    assert.equal(received.length, 1);
  });

  it('a delivery claimed by another instance is left alone until its lease runs out', async () => {
    received.length = 0;
    alsoReceived.length = 0;
    failuresLeft = 1;
    await loginVisitor(server);
    const deliveries = server.dataSource.getRepository(DomainEventDelivery);
    const [pending] = await deliveries.findBy({ deliveredAt: IsNull() });
    assert.ok(pending);
    const leaseEnd = new Date(Date.now() + 300_000);
    await deliveries.update(
      { eventId: pending.eventId, handler: pending.handler },
      { claimedUntil: leaseEnd },
    );
    const bus = server.app.get(EventBus);
    await bus.sweep(new Date(Date.now() + 120_000));
    assert.equal(received.length, 0, 'claimed elsewhere: not run');
    await bus.sweep(new Date(leaseEnd.getTime() + 1_000));
    assert.equal(received.length, 1, 'lease lapsed: run once');
  });

  it('set-based events (publishAll, then drain) are tracked per handler the same way', async () => {
    received.length = 0;
    alsoReceived.length = 0;
    failuresLeft = 1;
    const bus = server.app.get(EventBus);
    const batch = bus.newBatch();
    const at = new Date().toISOString();
    await server.app.get(UnitOfWork).run((tx) =>
      bus.publishAll(
        tx.em,
        'member.registered',
        [
          { memberId: -11, at },
          { memberId: -12, at },
        ],
        batch,
      ),
    );
    assert.equal(await bus.drain(batch), 2);
    assert.deepEqual(
      received.map((e) => e.memberId),
      [-12],
    );
    assert.equal(alsoReceived.length, 2);
    await bus.sweep(new Date(Date.now() + 120_000));
    assert.deepEqual(
      received.map((e) => e.memberId),
      [-12, -11],
    );
    assert.equal(alsoReceived.length, 2, 'the steady handler ran once per event');
  });
});
