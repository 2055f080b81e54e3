import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type ApiClient, ApiError, routes } from '@huoyue/shared';
import { Coupon } from '@huoyue/server/dist/modules/coupons/coupon.entity.js';
import { joinedMember, staffLogin, expectError, runJobAt } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const c = routes.coupons;

describe('coupons: claiming, verification in store, use with orders', () => {
  let server: TestServer;
  let owner: ApiClient;
  let clerk: ApiClient;
  const cash = (extra: Record<string, unknown> = {}) =>
    owner.call(c.createTemplate, {
      body: {
        name: '满100减20',
        kind: 'cash',
        value: 2_000,
        threshold: 10_000,
        validity: { kind: 'days', days: 30 },
        ...extra,
      } as never,
    });

  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
    await owner.call(routes.staff.createStore, { body: { code: 'SH001', name: '上海店' } });
    await owner.call(routes.staff.createStore, { body: { code: 'BJ001', name: '北京店' } });
    await owner.call(routes.staff.create, {
      body: { username: 'clerk-sh', password: 'clerk-pass-1', role: 'clerk', storeCode: 'SH001' },
    });
    clerk = await staffLogin(server, 'clerk-sh', 'clerk-pass-1');
  });
  after(async () => server.stop());

  it('claiming respects stock under a rush: 30 members for 10 coupons → exactly 10', async () => {
    const template = await cash({ totalQuantity: 10 });
    const members = await Promise.all(Array.from({ length: 30 }, () => joinedMember(server)));
    const results = await Promise.allSettled(
      members.map((m) => m.api.call(c.claim, { body: { templateId: template.id } })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const soldOut = results.filter(
      (r) => r.status === 'rejected' && (r.reason as ApiError).code === 'SOLD_OUT',
    ).length;
    assert.deepEqual(
      { ok, soldOut },
      { ok: 10, soldOut: 20 },
      JSON.stringify(
        results
          .filter((r) => r.status === 'rejected')
          .map((r) => String(r.reason))
          .slice(0, 3),
      ),
    );
    assert.equal(
      (await owner.call(c.listTemplates)).items.find((t) => t.id === template.id)!.issued,
      10,
    );
    await expectError(
      owner.call(c.updateTemplate, { params: { id: template.id }, body: { totalQuantity: 5 } }),
      422,
      'BUSINESS_RULE',
    );
    await owner.call(c.updateTemplate, {
      params: { id: template.id },
      body: { totalQuantity: 11 },
    });
    const late = members.find((_, i) => results[i]!.status === 'rejected')!;
    await late.api.call(c.claim, { body: { templateId: template.id } });
    await owner.call(c.updateTemplate, { params: { id: template.id }, body: { active: false } });
    await expectError(
      members[0]!.api.call(c.claim, { body: { templateId: template.id } }),
      404,
      'NOT_FOUND',
    );
  });

  it('one member racing 20 claims against a limit of 2 gets 2', async () => {
    const template = await cash({ perMemberLimit: 2 });
    const m = await joinedMember(server);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => m.api.call(c.claim, { body: { templateId: template.id } })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const limited = results.filter(
      (r) => r.status === 'rejected' && (r.reason as ApiError).code === 'LIMIT_REACHED',
    ).length;
    assert.deepEqual({ ok, limited }, { ok: 2, limited: 18 });
    assert.equal(
      (await m.api.call(c.wallet, { query: {} })).items.filter((x) => x.templateId === template.id)
        .length,
      2,
    );
    const center = (await m.api.call(c.center)).items.find((t) => t.id === template.id)!;
    assert.deepEqual(
      { claimedByMe: center.claimedByMe, canClaim: center.canClaim },
      { claimedByMe: 2, canClaim: false },
    );
  });

  it('audience and blacklist: other tiers are not eligible, a blacklisted member is refused as a risk', async () => {
    const goldOnly = await cash({ audience: { tiers: ['gold'] } });
    const m = await joinedMember(server);
    await expectError(
      m.api.call(c.claim, { body: { templateId: goldOnly.id } }),
      403,
      'NOT_ELIGIBLE',
    );
    assert.ok(
      !(await m.api.call(c.center)).items.some((t) => t.id === goldOnly.id),
      'not shown in the claim center',
    );
    const open = await cash();
    await owner.call(routes.engagement.earningBlock, {
      params: { id: m.member.id },
      body: { blocked: true, reason: '羊毛党' },
    });
    await expectError(m.api.call(c.claim, { body: { templateId: open.id } }), 403, 'RISK_REJECTED');
  });

  it('a coupon scanned twice at once is verified once; a clerk of another store cannot; undo within 10 minutes', async () => {
    const template = await cash();
    const m = await joinedMember(server);
    const coupon = await m.api.call(c.claim, { body: { templateId: template.id } });
    assert.match(coupon.code, /^[A-Z2-9]{16}$/);
    await expectError(
      clerk.call(c.redeem, { body: { code: coupon.code, storeCode: 'BJ001' } }),
      403,
      'FORBIDDEN',
    );
    const scans = await Promise.allSettled([
      clerk.call(c.redeem, { body: { code: coupon.code, storeCode: 'SH001' } }),
      owner.call(c.redeem, { body: { code: coupon.code, storeCode: 'SH001' } }),
    ]);
    assert.equal(scans.filter((s) => s.status === 'fulfilled').length, 1);
    assert.equal(
      (scans.find((s) => s.status === 'rejected') as PromiseRejectedResult).reason.code,
      'COUPON_USED',
    );
    assert.equal((await m.api.call(c.detail, { params: { id: coupon.id } })).status, 'used');
    const undone = await clerk.call(c.undo, { body: { code: coupon.code } });
    assert.equal(undone.status, 'available');
    await clerk.call(c.redeem, { body: { code: coupon.code.toLowerCase(), storeCode: 'SH001' } });
    // Eleven minutes later the verification stands.
    await server.dataSource
      .getRepository(Coupon)
      .update({ code: coupon.code }, { usedAt: new Date(Date.now() - 11 * 60_000) });
    await expectError(clerk.call(c.undo, { body: { code: coupon.code } }), 409, 'CONFLICT');
    await expectError(
      clerk.call(c.redeem, { body: { code: 'NOSUCHCODE2345', storeCode: 'SH001' } }),
      404,
      'NOT_FOUND',
    );
  });

  it('an order with a coupon consumes it once; a replay does not, a second order cannot, a foreign or too small one fails whole', async () => {
    const template = await cash();
    const m = await joinedMember(server);
    const other = await joinedMember(server);
    const coupon = await m.api.call(c.claim, { body: { templateId: template.id } });
    const foreign = await other.api.call(c.claim, { body: { templateId: template.id } });
    const paidAt = new Date().toISOString();
    const body = {
      orderNo: `CP-${randomUUID().slice(0, 8)}`,
      member: { id: m.member.id },
      amount: 12_000,
      paidAt,
      couponCodes: [coupon.code],
    };
    const first = await owner.call(routes.points.createOrder, { body });
    assert.deepEqual(
      await owner.call(routes.points.createOrder, { body }),
      first,
      'a replay answers the same, consumes nothing more',
    );
    assert.equal((await m.api.call(c.detail, { params: { id: coupon.id } })).status, 'used');
    await expectError(
      owner.call(routes.points.createOrder, {
        body: { ...body, orderNo: `CP-${randomUUID().slice(0, 8)}` },
      }),
      422,
      'COUPON_NOT_USABLE',
    );
    const small = {
      orderNo: `CP-${randomUUID().slice(0, 8)}`,
      member: { id: other.member.id },
      amount: 5_000,
      paidAt,
      couponCodes: [foreign.code],
    };
    await expectError(
      owner.call(routes.points.createOrder, { body: small }),
      422,
      'COUPON_NOT_USABLE',
    );
    await expectError(
      owner.call(routes.points.createOrder, {
        body: { ...small, member: { id: m.member.id }, amount: 20_000 },
      }),
      422,
      'COUPON_NOT_USABLE',
    );
    assert.equal(
      (await other.api.call(c.detail, { params: { id: foreign.id } })).status,
      'available',
      'failed orders consumed nothing',
    );
    const notRecorded = await owner.raw(routes.points.getOrder, {
      params: { orderNo: small.orderNo },
    });
    assert.equal(notRecorded.status, 404, 'and were not recorded');
  });

  it('expiry: a job marks ended coupons expired and warns three days ahead, once', async () => {
    const template = await cash({ validity: { kind: 'days', days: 2 } });
    const m = await joinedMember(server);
    const coupon = await m.api.call(c.claim, { body: { templateId: template.id } });
    const notices = await owner.call(routes.system.runJob, {
      params: { name: 'coupons.expiry_notice' },
      body: {},
    });
    assert.ok(notices.affected >= 1);
    assert.equal(
      (
        await owner.call(routes.system.runJob, {
          params: { name: 'coupons.expiry_notice' },
          body: {},
        })
      ).affected,
      0,
    );
    await runJobAt(server, 'coupons.expire', new Date(Date.now() + 3 * 86_400_000));
    assert.equal((await m.api.call(c.detail, { params: { id: coupon.id } })).status, 'expired');
    assert.ok(
      (await m.api.call(c.wallet, { query: { status: 'expired' } })).items.some(
        (x) => x.id === coupon.id,
      ),
    );
    await expectError(
      clerk.call(c.redeem, { body: { code: coupon.code, storeCode: 'SH001' } }),
      422,
      'COUPON_NOT_USABLE',
    );
  });

  it('members see only their own coupons', async () => {
    const template = await cash();
    const a = await joinedMember(server);
    const b = await joinedMember(server);
    const coupon = await a.api.call(c.claim, { body: { templateId: template.id } });
    await expectError(b.api.call(c.detail, { params: { id: coupon.id } }), 404, 'NOT_FOUND');
    assert.ok(!(await b.api.call(c.wallet, { query: {} })).items.some((x) => x.id === coupon.id));
  });

  it("WeChat's risk rank, when turned on, refuses risky users for coupons and the mall, and logs it", async () => {
    const template = await cash();
    const risky = await joinedMember(server);
    const fine = await joinedMember(server);
    const openid = async (id: number) =>
      (
        (await server.dataSource.query('SELECT openid FROM member WHERE id = ?', [id])) as {
          openid: string;
        }[]
      )[0]!.openid;
    await server.fake.riskRank(await openid(risky.member.id), 4);
    await server.fake.riskRank(await openid(fine.member.id), 1);
    await risky.api.call(c.claim, { body: { templateId: template.id } }); // off by default
    await owner.call(c.putRiskRules, { body: { enabled: true, maxRank: 2 } });
    try {
      await expectError(
        risky.api.call(c.claim, { body: { templateId: template.id } }),
        403,
        'RISK_REJECTED',
      );
      await fine.api.call(c.claim, { body: { templateId: template.id } });
      const item = await owner.call(routes.mall.createItem, {
        body: { name: '风控测试', kind: 'virtual', pointsPrice: 1, stock: 5 } as never,
      });
      await expectError(
        risky.api.call(routes.mall.redeem, {
          params: { id: item.id },
          body: { quantity: 1, requestId: randomUUID() },
        }),
        403,
        'RISK_REJECTED',
      );
      const refusals = (await owner.call(c.riskRefusals)).items.filter(
        (r) => r.memberId === risky.member.id,
      );
      assert.deepEqual(refusals.map((r) => [r.action, r.rank]).sort(), [
        ['coupon_claim', 4],
        ['mall_redeem', 4],
      ]);
      // WeChat down: members are served (fail open), not locked out.
      await server.fake.fault('/wxa/getuserriskrank', { errcode: -1, times: 1 });
      await risky.api.call(c.claim, { body: { templateId: (await cash()).id } });
    } finally {
      await owner.call(c.putRiskRules, { body: { enabled: false, maxRank: 2 } });
    }
  });
});
