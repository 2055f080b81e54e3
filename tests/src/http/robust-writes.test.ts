import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type ApiClient, addDays, brandDay, routes } from '@huoyue/shared';
import { expectError, joinedMember, staffLogin } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const MINUTE = 60_000;

/**
 * Issue 18 items 11, 12, 13, 17: no job that writes runs as of the future, no order paid in the future, a request
 * id reused with another request is a 409, and a mall item only gives a coupon that exists and is offered there.
 */
describe('writes refuse what cannot be true or was meant for something else', () => {
  let server: TestServer;
  let owner: ApiClient;
  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
  });
  after(async () => server.stop());

  const order = (memberId: number, paidAt: Date, orderNo = randomUUID()) =>
    owner.call(routes.points.createOrder, {
      body: { orderNo, member: { id: memberId }, amount: 10_000, paidAt: paidAt.toISOString() },
    });

  it('item 11: a job that writes refuses an asOf in the future; a few minutes of skew and previews pass', async () => {
    const m = await joinedMember(server);
    await order(m.member.id, new Date(Date.now() - MINUTE));
    const balance = (await m.api.call(routes.points.summary)).balance;
    assert.ok(balance > 0);
    for (const name of ['points.expire', 'tiers.period_end', 'coupons.expire'] as const)
      await expectError(
        owner.call(routes.system.runJob, {
          params: { name },
          body: { asOf: '2099-01-01T00:00:00.000Z' },
        }),
        400,
        'VALIDATION_FAILED',
      );
    assert.equal((await m.api.call(routes.points.summary)).balance, balance, 'nothing expired');
    const skewed = await owner.call(routes.system.runJob, {
      params: { name: 'points.expire' },
      body: { asOf: new Date(Date.now() + 2 * MINUTE).toISOString() },
    });
    assert.equal(skewed.affected, 0);
    const today = brandDay(new Date(), server.config.brandTimezone);
    await expectError(
      owner.call(routes.lifecycle.recompute, { body: { asOf: addDays(today, 400) } }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      owner.call(routes.lifecycle.fitModel, { body: { asOf: addDays(today, 1) } }),
      400,
      'VALIDATION_FAILED',
    );
    // A what-if writes nothing, so it may look ahead.
    const preview = await owner.call(routes.lifecycle.recompute, {
      body: { asOf: addDays(today, 400), dryRun: true },
    });
    assert.equal(preview.dryRun, true);
  });

  it('item 12: an order paid in the future is refused, a few minutes of clock skew is not', async () => {
    const m = await joinedMember(server);
    await expectError(
      order(m.member.id, new Date('2099-01-01T00:00:00Z')),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      order(m.member.id, new Date(Date.now() + 10 * MINUTE)),
      400,
      'VALIDATION_FAILED',
    );
    const skewed = await order(m.member.id, new Date(Date.now() + 2 * MINUTE));
    assert.ok(skewed.points > 0);
  });

  it('item 13: a request id reused with another request is a 409; the same request replays', async () => {
    const m = await joinedMember(server);
    const adjust = (points: number, requestId: string, reason = '客服补偿') =>
      owner.call(routes.points.adjust, {
        params: { id: m.member.id },
        body: { points, reason, requestId },
      });
    const key = randomUUID();
    const first = await adjust(100, key);
    assert.deepEqual(await adjust(100, key), first, 'a retry answers the first entry');
    await expectError(adjust(-100, key), 409, 'REQUEST_ID_REUSED');
    await expectError(adjust(100, key, '另一个原因'), 409, 'REQUEST_ID_REUSED');
    assert.equal((await m.api.call(routes.points.summary)).balance, 100);

    const item = await owner.call(routes.mall.createItem, {
      body: {
        name: '幂等杯',
        kind: 'virtual',
        pointsPrice: 10,
        stock: 10,
        perMemberLimit: 5,
      } as never,
    });
    const other = await owner.call(routes.mall.createItem, {
      body: { name: '另一件', kind: 'virtual', pointsPrice: 10, stock: 10 } as never,
    });
    const redeem = (id: number, quantity: number, requestId: string) =>
      m.api.call(routes.mall.redeem, { params: { id }, body: { quantity, requestId } });
    const rkey = randomUUID();
    const redemption = await redeem(item.id, 1, rkey);
    assert.equal((await redeem(item.id, 1, rkey)).redemptionId, redemption.redemptionId);
    await expectError(redeem(item.id, 2, rkey), 409, 'REQUEST_ID_REUSED');
    await expectError(redeem(other.id, 1, rkey), 409, 'REQUEST_ID_REUSED');
    assert.equal((await m.api.call(routes.points.summary)).balance, 90);

    // A refused first attempt (a business rule) leaves the id free for the corrected request.
    const fkey = randomUUID();
    await assert.rejects(redeem(item.id, 6, fkey), (err: { status?: number }) => {
      assert.ok(err.status === 409 || err.status === 422, String(err.status));
      return true;
    });
    assert.ok((await redeem(item.id, 1, fkey)).redemptionId > redemption.redemptionId);

    const template = await owner.call(routes.messaging.createTemplate, {
      body: {
        code: 'robust_note',
        name: '通知',
        channel: 'subscribe',
        purpose: 'transactional',
        wechatTemplateId: 'TPL_ROBUST',
        fields: [{ key: 'thing1', value: '您好' }],
      } as never,
    });
    const send = (memberId: number, requestId: string) =>
      owner.call(routes.messaging.send, {
        body: { memberId, templateId: template.id, requestId },
      });
    const skey = randomUUID();
    await send(m.member.id, skey);
    await send(m.member.id, skey);
    const someoneElse = await joinedMember(server);
    await expectError(send(someoneElse.member.id, skey), 409, 'REQUEST_ID_REUSED');
    const bkey = `broadcast-${Date.now()}`;
    const broadcast = (stages: string[]) =>
      owner.call(routes.campaigns.broadcast, {
        body: { templateId: template.id, stages, requestId: bkey } as never,
      });
    await broadcast(['new']);
    await broadcast(['new']);
    await expectError(broadcast(['active']), 409, 'REQUEST_ID_REUSED');
  });

  it('item 17: a coupon item gives only a coupon that exists and is offered in the mall', async () => {
    const mallOnly = await owner.call(routes.coupons.createTemplate, {
      body: {
        name: '商城券',
        kind: 'cash',
        value: 500,
        validity: { kind: 'days', days: 7 },
        channels: ['mall'],
      } as never,
    });
    const centerOnly = await owner.call(routes.coupons.createTemplate, {
      body: {
        name: '领券中心券',
        kind: 'cash',
        value: 500,
        validity: { kind: 'days', days: 7 },
        channels: ['center'],
      } as never,
    });
    const create = (couponTemplateId: number | null, kind = 'coupon') =>
      owner.call(routes.mall.createItem, {
        body: { name: '券', kind, pointsPrice: 10, stock: 5, couponTemplateId } as never,
      });
    for (const id of [999_999, centerOnly.id, null])
      await expectError(create(id), 400, 'VALIDATION_FAILED');
    await expectError(create(mallOnly.id, 'virtual'), 400, 'VALIDATION_FAILED');
    const item = await create(mallOnly.id);
    for (const couponTemplateId of [999_999, centerOnly.id])
      await expectError(
        owner.call(routes.mall.updateItem, { params: { id: item.id }, body: { couponTemplateId } }),
        400,
        'VALIDATION_FAILED',
      );
    const unchanged = (await owner.call(routes.mall.listItems, {})).items.find(
      (i) => i.id === item.id,
    );
    assert.equal(unchanged?.couponTemplateId, mallOnly.id);
  });
});
