import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Injectable, Module } from '@nestjs/common';
import { DomainEventRow } from '@huoyue/server/dist/infra/events/domain-event.entity.js';
import { EventBus, OnDomainEvent } from '@huoyue/server/dist/infra/events/event-bus.js';
import { UnitOfWork } from '@huoyue/server/dist/infra/events/unit-of-work.js';
import type { DomainEventMap } from '@huoyue/server/dist/infra/events/event-map.js';
import { loginVisitor } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const received: DomainEventMap['member.registered'][] = [];
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

@Module({ providers: [RecordingListener] })
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

  it('an event whose handler failed (or whose process died) is delivered by the sweep', async () => {
    received.length = 0;
    failuresLeft = 1;
    const visitor = await loginVisitor(server);
    assert.equal(received.length, 0, 'first delivery failed');
    const repo = server.dataSource.getRepository(DomainEventRow);
    const undelivered = (await repo.find()).filter((r) => r.dispatchedAt === null);
    assert.equal(undelivered.length, 1);
    assert.equal(undelivered[0]!.attempts, 1);
    assert.match(undelivered[0]!.lastError ?? '', /failed on purpose/);
    // As if a crash had left it: the sweep (any instance) picks it up once it is old enough and its backoff passed.
    await server.app.get(EventBus).sweep(new Date(Date.now() + 120_000));
    assert.deepEqual(
      received.map((e) => e.memberId),
      [visitor.member.id],
    );
    assert.equal((await repo.find()).filter((r) => r.dispatchedAt === null).length, 0);
    // A second sweep delivers nothing again.
    await server.app.get(EventBus).sweep(new Date(Date.now() + 240_000));
    assert.equal(received.length, 1);
  });
});
