import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Injectable, Module } from '@nestjs/common';
import { DEFAULT_MESSAGING_SETTINGS, routes, type ApiClient } from '@huoyue/shared';
import { MessageDispatcher } from '@huoyue/server/dist/modules/messaging/dispatcher.js';
import { EventBus, OnDomainEvent } from '@huoyue/server/dist/infra/events/event-bus.js';
import { UnitOfWork } from '@huoyue/server/dist/infra/events/unit-of-work.js';
import type { DomainEventMap } from '@huoyue/server/dist/infra/events/event-map.js';
import { staffLogin, uniquePhone } from '../support/flows.js';
import { startPeer, startTestServer, type TestServer } from '../support/test-server.js';

const G = routes.messaging;

/** Runs of the counting handler per member id, over both instances (one process, one map). */
const runs = new Map<number, number>();

@Injectable()
class CountingListener {
  @OnDomainEvent('member.registered')
  onRegistered(payload: DomainEventMap['member.registered']) {
    runs.set(payload.memberId, (runs.get(payload.memberId) ?? 0) + 1);
  }
}

@Module({ providers: [CountingListener] })
class CountingModule {}

/**
 * Two instances on one database with SKIP LOCKED run as TiDB runs it (a plain read, no lock: DB_SKIP_LOCKED=false,
 * on MariaDB; SQLite has one writer): every claim must stay exclusive by its conditional UPDATE alone.
 */
describe('claims stay exclusive without SKIP LOCKED: two instances on one database', () => {
  let server: TestServer;
  let peer: Awaited<ReturnType<typeof startPeer>>;
  let owner: ApiClient;

  before(async () => {
    server = await startTestServer({ DB_SKIP_LOCKED: 'false' }, { imports: [CountingModule] });
    peer = await startPeer(server, { imports: [CountingModule] });
    owner = await staffLogin(server);
  });
  after(async () => {
    await peer.stop();
    await server.stop();
  });

  it('two dispatchers draining the same queue send each message once', async () => {
    await owner.call(G.putSettings, {
      body: {
        ...DEFAULT_MESSAGING_SETTINGS,
        quietHours: null,
        caps: { per3Days: 100, per30Days: 100 },
        ratePerSecond: { subscribe: 1000, oa_template: 1000, sms: 1000 },
      },
    });
    const template = await owner.call(G.createTemplate, {
      body: {
        code: 'sms_notice',
        name: '短信通知',
        channel: 'sms',
        purpose: 'transactional',
        smsText: '【活跃】{{nickname}}，您的订单已发货',
      },
    });
    const phones: string[] = [];
    for (let i = 0; i < 30; i++) {
      const phone = uniquePhone();
      const { code } = await server.fake.loginCode();
      const session = await server.client().call(routes.members.wechatLogin, { body: { code } });
      const joined = await server.client(session.token).call(routes.members.join, {
        body: { nickname: `会员${i}`, phoneCode: (await server.fake.phoneCode(phone)).code },
      });
      await owner.call(G.send, {
        body: {
          memberId: joined.member.id,
          templateId: template.id,
          fallbackTemplateIds: [],
          requestId: randomUUID(),
        },
      });
      phones.push(phone);
    }
    const drain = async (dispatcher: MessageDispatcher) => {
      let sent = 0;
      for (;;) {
        const c = await dispatcher.dispatchOnce(new Date(), 4);
        sent += c.sent;
        if (c.sent + c.retried + c.failed + c.suppressed + c.deferred === 0) return sent;
      }
    };
    const [a, b] = await Promise.all([
      drain(server.app.get(MessageDispatcher)),
      drain(peer.app.get(MessageDispatcher)),
    ]);
    assert.equal(a + b, phones.length, `sent ${a} + ${b}`);
    const sms = (await server.fake.messages()).filter((m) => m.channel === 'sms');
    for (const phone of phones)
      assert.equal(sms.filter((m) => m.touser === phone).length, 1, `one SMS to ${phone}`);
  });

  it('two outbox consumers sweeping the same backlog run each delivery once', async () => {
    const buses = [server.app.get(EventBus), peer.app.get(EventBus)];
    for (const bus of buses) bus.configure({ deliverAfterCommit: false, graceMs: 0 });
    runs.clear();
    const ids = Array.from({ length: 300 }, (_, i) => -100_000 - i);
    const at = new Date().toISOString();
    for (let i = 0; i < ids.length; i += 50)
      await server.app.get(UnitOfWork).run(async (tx) => {
        for (const memberId of ids.slice(i, i + 50))
          await tx.publish('member.registered', { memberId, at });
      });
    for (let round = 0; round < 10; round++) {
      await Promise.all(buses.map((bus) => bus.sweep(new Date(Date.now() + 1000))));
      if ((await buses[0]!.backlog()).undelivered === 0) break;
    }
    assert.equal((await buses[0]!.backlog()).undelivered, 0);
    for (const id of ids) assert.equal(runs.get(id), 1, `member ${id}: delivered once`);
  });
});
