import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  brandDay,
  DEFAULT_MESSAGING_SETTINGS,
  routes,
  startOfBrandDay,
  type ApiClient,
  type MessagingSettings,
} from '@huoyue/shared';
import { MessageDispatcher } from '@huoyue/server/dist/modules/messaging/dispatcher.js';
import type { Message } from '@huoyue/server/dist/modules/messaging/messaging.entities.js';
import { MessagingService } from '@huoyue/server/dist/modules/messaging/messaging.service.js';
import { SendDecision } from '@huoyue/server/dist/modules/messaging/send-decision.js';
import { PointsService } from '@huoyue/server/dist/modules/points/index.js';
import { staffLogin, uniquePhone } from '../support/flows.js';
import { POINTS_TPL, pointsNoticeTemplate } from '../support/message-templates.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const G = routes.messaging;

/**
 * The subscribe credit a message holds (issue 19): taken with the claim and recorded on the row, used by the send,
 * given back by every other end in the transaction that ends the message. The kill -9 version of the first case runs
 * with real processes in tests/src/integration/messaging-crash-credit.test.ts.
 */
describe('messaging: the subscribe credit travels with the message', () => {
  let server: TestServer;
  let owner: ApiClient;
  let dispatcher: MessageDispatcher;
  let templateId = 0;

  const settings = (patch: Partial<MessagingSettings> = {}) =>
    owner.call(G.putSettings, {
      body: { ...DEFAULT_MESSAGING_SETTINGS, quietHours: null, ...patch },
    });
  /** A member who joined in the mini-program and accepted the template once. */
  const member = async () => {
    const openid = `o${randomBytes(14).toString('hex').slice(0, 27)}`;
    const { code } = await server.fake.loginCode(openid);
    const session = await server.client().call(routes.members.wechatLogin, { body: { code } });
    const joined = await server.client(session.token).call(routes.members.join, {
      body: { nickname: '小李', phoneCode: (await server.fake.phoneCode(uniquePhone())).code },
    });
    const api = server.client(joined.token);
    await api.call(G.reportSubscriptions, { body: { results: { [POINTS_TPL]: 'accept' } } });
    return { id: joined.member.id, openid, api };
  };
  const credits = async (api: ApiClient) =>
    (
      await api.call(G.reportSubscriptions, { body: { results: { [POINTS_TPL]: 'reject' } } })
    ).quotas.find((q) => q.templateId === POINTS_TPL)!.remaining;
  const send = (memberId: number) =>
    owner.call(G.send, {
      body: { memberId, templateId, fallbackTemplateIds: [], requestId: randomUUID() },
    });
  const message = async (id: number) =>
    (await owner.call(G.listMessages, { query: { limit: 100 } })).items.find((m) => m.id === id)!;
  const received = async (openid: string) =>
    (await server.fake.messages()).filter((m) => m.touser === openid).length;

  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
    dispatcher = server.app.get(MessageDispatcher);
    templateId = (
      await owner.call(G.createTemplate, {
        body: pointsNoticeTemplate('points_notice', '积分提醒', 'transactional'),
      })
    ).id;
    await settings();
  });
  after(() => server.stop());

  it('a message whose dispatcher died after the send decision is reclaimed and sent on the credit it holds', async () => {
    const m = await member();
    const queued = await send(m.id);
    // A dispatcher claims the message and decides to send it, then dies before the send (kill -9).
    const now = new Date();
    const claimed = (await dispatcher['claim'](now, 10)) as Message[];
    assert.deepEqual(
      claimed.map((c) => c.id),
      [queued.id],
    );
    assert.equal(await credits(m.api), 0, 'the claim took the credit');
    const prepared = await server.app
      .get(SendDecision)
      .prepare(claimed[0]!, await server.app.get(MessagingService).settings(), now);
    assert.equal(prepared.kind, 'send');
    assert.equal(await credits(m.api), 0, 'the decision used the credit the claim took');

    // Another pass after the claim lapsed sends it, on the same credit.
    const lapsed = new Date(now.getTime() + (server.config.messageClaimSeconds + 1) * 1000);
    assert.equal((await dispatcher.dispatchOnce(lapsed)).sent, 1);
    const done = await message(queued.id);
    assert.deepEqual([done.status, done.reason], ['sent', null]);
    assert.equal(await received(m.openid), 1);
    assert.equal(await credits(m.api), 0, 'one credit for one message sent');
  });

  it('a message suppressed at the send decision gives the credit taken with the claim back', async () => {
    const m = await member();
    const queued = await send(m.id);
    await m.api.call(G.putPreferences, { body: { reminders: false, marketingSms: false } });
    assert.equal((await dispatcher.dispatchOnce()).suppressed, 1);
    assert.deepEqual(
      [(await message(queued.id)).status, (await message(queued.id)).reason],
      ['suppressed', 'opted_out'],
    );
    assert.equal(await credits(m.api), 1, 'an unsent message uses no consent');
  });

  it('an unexpected error after the decision releases the message with its credit, and the retry sends it', async () => {
    const m = await member();
    const queued = await send(m.id);
    const points = server.app.get(PointsService);
    const balances = points.balances.bind(points);
    points.balances = () => Promise.reject(new Error('the points read failed'));
    try {
      assert.equal((await dispatcher.dispatchOnce()).retried, 1);
    } finally {
      points.balances = balances;
    }
    const waiting = await message(queued.id);
    assert.deepEqual([waiting.status, waiting.reason], ['queued', 'retry:internal']);
    assert.equal(await credits(m.api), 1, 'the credit is back while it waits');
    await dispatcher.dispatchOnce(new Date(Date.parse(waiting.dueAt) + 1000));
    assert.equal((await message(queued.id)).status, 'sent');
    assert.equal(await credits(m.api), 0);
    assert.equal(await received(m.openid), 1);
  });

  it('a message held by quiet hours gives its credit back while it waits', async () => {
    const tz = server.config.brandTimezone;
    const now = new Date();
    const minutes = Math.floor(
      (now.getTime() - startOfBrandDay(brandDay(now, tz), tz).getTime()) / 60_000,
    );
    const hhmm = (value: number) => {
      const m = ((value % 1440) + 1440) % 1440;
      return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    };
    await settings({ quietHours: { start: hhmm(minutes - 60), end: hhmm(minutes + 60) } });
    try {
      const m = await member();
      const queued = await send(m.id);
      assert.equal((await dispatcher.dispatchOnce(new Date())).deferred, 1);
      const held = await message(queued.id);
      assert.equal(held.status, 'queued');
      assert.equal(await credits(m.api), 1, 'no credit held while it waits');
      await dispatcher.dispatchOnce(new Date(Date.parse(held.dueAt) + 1000));
      assert.equal((await message(queued.id)).status, 'sent');
      assert.equal(await credits(m.api), 0);
    } finally {
      await settings();
    }
  });
});
