import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Injectable, Module } from '@nestjs/common';
import { type ApiClient, routes } from '@huoyue/shared';
import { EventBus, OnDomainEvent } from '@huoyue/server/dist/infra/events/event-bus.js';
import type { DomainEventMap } from '@huoyue/server/dist/infra/events/event-map.js';
import { sqlInstant } from '@huoyue/server/dist/infra/database/bulk.js';
import { joinedMember, staffLogin } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const e = routes.engagement;
const p = routes.points;

const seen: DomainEventMap['checkin.created'][] = [];
let failuresLeft = 0;

/** A consumer of check-ins that can be made to fail, as a broken downstream would. */
@Injectable()
class FlakyCheckinConsumer {
  @OnDomainEvent('checkin.created')
  onCheckin(payload: DomainEventMap['checkin.created']) {
    if (failuresLeft > 0) {
      failuresLeft--;
      throw new Error('consumer down on purpose');
    }
    seen.push(payload);
  }
}

@Module({ providers: [FlakyCheckinConsumer] })
class FlakyModule {}

describe('outbox: delivery after commit never re-runs or fails a committed command; the backlog is visible', () => {
  let server: TestServer;
  let owner: ApiClient;
  before(async () => {
    server = await startTestServer({}, { imports: [FlakyModule] });
    owner = await staffLogin(server);
    await owner.call(e.putCheckinRules, {
      body: {
        cycleDays: 7,
        rewards: [5, 5, 5, 5, 5, 5, 50].map((points) => ({ points, badgeCode: null })),
        breakResets: true,
        makeup: { enabled: false, costPoints: 0, maxPerMonth: 0 },
        antiFarming: { perIpPerHour: 10_000, membersPerDevicePerDay: 100 },
      },
    });
  });
  after(async () => server.stop());

  const checkinRows = async (memberId: number) =>
    Number(
      (
        (await server.dataSource.query('SELECT COUNT(*) AS n FROM checkin WHERE member_id = ?', [
          memberId,
        ])) as { n: number | string }[]
      )[0]!.n,
    );

  it('a consumer failing after commit: the check-in answers success once, and the sweep delivers later', async () => {
    seen.length = 0;
    failuresLeft = 1;
    const m = await joinedMember(server);
    const result = await m.api.call(e.checkin, { body: {} });
    assert.equal(result.points, 5);
    assert.equal(await checkinRows(m.member.id), 1);
    assert.equal((await m.api.call(p.summary)).balance, 5);
    assert.equal(seen.length, 0, 'the consumer failed');
    const health = await server.client().call(routes.system.health);
    assert.ok(health.outbox.undelivered >= 1);
    await server.app.get(EventBus).sweep(new Date(Date.now() + 60_000));
    assert.deepEqual(
      seen.map((s) => s.memberId),
      [m.member.id],
    );
    assert.equal(await checkinRows(m.member.id), 1, 'the check-in itself was not run again');
    assert.equal((await m.api.call(p.summary)).balance, 5);
  });

  it('a retriable failure while marking events delivered does not re-run the committed check-in', async () => {
    seen.length = 0;
    failuresLeft = 0;
    const bus = server.app.get(EventBus);
    const dispatch = bus.dispatch.bind(bus);
    let failed = 0;
    // As if the UPDATE marking the events delivered hit a deadlock (a retriable error) after the handlers ran.
    bus.dispatch = async (rows) => {
      await dispatch(rows);
      if (failed++ === 0)
        throw Object.assign(new Error('Deadlock found'), { code: 'ER_LOCK_DEADLOCK' });
    };
    try {
      const m = await joinedMember(server);
      failed = 0;
      const result = await m.api.call(e.checkin, { body: {} });
      assert.equal(result.points, 5, 'answered success, not 409 ALREADY_CHECKED_IN');
      assert.equal(await checkinRows(m.member.id), 1);
      assert.equal((await m.api.call(p.summary)).balance, 5, 'credited once');
      assert.equal(seen.length, 1, 'the consumer ran once');
    } finally {
      bus.dispatch = dispatch;
    }
  });

  it('after a crash before delivery, health shows the oldest undelivered age and the sweep brings it to 0', async () => {
    seen.length = 0;
    failuresLeft = 0;
    const bus = server.app.get(EventBus);
    await bus.sweep(new Date(Date.now() + 3_600_000)); // start from a clean slate
    assert.deepEqual((await server.client().call(routes.system.health)).outbox, {
      undelivered: 0,
      oldestAgeSeconds: 0,
    });
    // Committed, then "killed" before in-process delivery ran.
    bus.configure({ deliverAfterCommit: false });
    const m = await joinedMember(server);
    await m.api.call(e.checkin, { body: {} });
    bus.configure({ deliverAfterCommit: true });
    assert.equal(seen.length, 0);
    // Two minutes pass while nobody delivers.
    const kind = server.dataSource.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
    await server.dataSource.query(
      'UPDATE domain_event SET created_at = ? WHERE dispatched_at IS NULL',
      [sqlInstant(kind, new Date(Date.now() - 120_000))],
    );
    const behind = (await server.client().call(routes.system.health)).outbox;
    assert.ok(behind.undelivered >= 2, `undelivered: ${behind.undelivered}`);
    assert.ok(behind.oldestAgeSeconds >= 119, `age: ${behind.oldestAgeSeconds}`);
    await bus.sweep();
    assert.deepEqual(
      seen.map((s) => s.memberId),
      [m.member.id],
    );
    assert.deepEqual((await server.client().call(routes.system.health)).outbox, {
      undelivered: 0,
      oldestAgeSeconds: 0,
    });
  });
});
