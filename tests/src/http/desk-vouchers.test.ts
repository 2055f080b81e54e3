import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type ApiClient, ApiError, routes } from '@huoyue/shared';
import { CardCodeService } from '@huoyue/server/dist/modules/members/card-code.service.js';
import { expectError, joinedMember, staffLogin } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const d = routes.desk;
const m = routes.mall;

/**
 * The clerk desk: a code is looked up and shown before anything is done with it, and what is verified is verified
 * once, at the right store, with "already used" saying when and where. Virtual mall items deliver vouchers that
 * go through the same desk.
 */
describe('clerk desk: look up first, verify once; vouchers for virtual items', () => {
  let server: TestServer;
  let owner: ApiClient;
  let clerkA: ApiClient;
  let clerkB: ApiClient;
  const clerk = async (username: string, storeCode: string) => {
    await owner.call(routes.staff.create, {
      body: { username, password: 'clerk-pass-1', role: 'clerk', storeCode },
    });
    return staffLogin(server, username, 'clerk-pass-1');
  };
  const withPoints = async (points: number, nickname = '小满', phone?: string) => {
    const member = await joinedMember(server, nickname, phone);
    await owner.call(routes.points.createOrder, {
      body: {
        orderNo: `DESK-${randomUUID().slice(0, 12)}`,
        member: { id: member.member.id },
        amount: points * 100,
        paidAt: new Date().toISOString(),
      },
    });
    return member;
  };
  const virtualItem = (extra: Record<string, unknown> = {}) =>
    owner.call(m.createItem, {
      body: {
        name: '中杯咖啡兑换券',
        kind: 'virtual',
        pointsPrice: 300,
        stock: 100,
        perMemberLimit: 5,
        ...extra,
      } as never,
    });
  const redeem = (api: ApiClient, itemId: number, quantity = 1) =>
    api.call(m.redeem, { params: { id: itemId }, body: { quantity, requestId: randomUUID() } });

  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
    await owner.call(routes.staff.createStore, { body: { code: 'XH01', name: '徐汇店' } });
    await owner.call(routes.staff.createStore, { body: { code: 'JA01', name: '静安店' } });
    clerkA = await clerk('clerk.xh', 'XH01');
    clerkB = await clerk('clerk.ja', 'JA01');
  });
  after(async () => server.stop());

  it('a virtual item delivers one voucher per unit with a code, listed in my redemptions', async () => {
    const item = await virtualItem();
    const member = await withPoints(1_000);
    const redemption = await redeem(member.api, item.id, 2);
    assert.equal(redemption.status, 'completed');
    assert.equal(redemption.itemKind, 'virtual');
    assert.equal(redemption.vouchers.length, 2);
    for (const v of redemption.vouchers) {
      assert.match(v.code, /^[A-Z2-9]{16}$/);
      assert.equal(v.status, 'available');
      assert.ok(Date.parse(v.validTo) > Date.now() + 29 * 86_400_000, '30 days by default');
    }
    const mine = await member.api.call(m.mine);
    assert.deepEqual(
      mine.items[0]!.vouchers.map((v) => v.code),
      redemption.vouchers.map((v) => v.code),
    );
    const one = await member.api.call(m.redemption, { params: { id: redemption.redemptionId } });
    assert.deepEqual(one.vouchers, redemption.vouchers);
    const stranger = await joinedMember(server);
    await expectError(
      stranger.api.call(m.redemption, { params: { id: redemption.redemptionId } }),
      404,
      'NOT_FOUND',
    );
  });

  it('the desk shows a voucher and its holder first; it is verified once, and a second try says when and where', async () => {
    const item = await virtualItem();
    const member = await withPoints(1_000, '王小明', '13912345678');
    const [voucher] = (await redeem(member.api, item.id)).vouchers;
    const seen = await clerkA.call(d.lookup, { query: { code: voucher!.code.toLowerCase() } });
    assert.equal(seen.kind, 'voucher');
    assert.ok(seen.kind === 'voucher');
    assert.equal(seen.itemName, '中杯咖啡兑换券');
    assert.deepEqual(seen.holder, {
      nickname: '王**',
      phoneMasked: '139****5678',
      cardNo: member.member.cardNo,
    });
    assert.deepEqual([seen.usable, seen.reason], [true, null]);
    assert.equal(
      (await member.api.call(m.mine)).items[0]!.vouchers[0]!.status,
      'available',
      'looking up changes nothing',
    );

    const used = await clerkA.call(m.redeemVoucher, { body: { code: voucher!.code } });
    assert.deepEqual(
      [used.status, used.usedStoreName, used.itemName],
      ['used', '徐汇店', '中杯咖啡兑换券'],
    );
    await assert.rejects(
      clerkB.call(m.redeemVoucher, { body: { code: voucher!.code } }),
      (err: ApiError) => {
        assert.equal(err.status, 409);
        assert.equal(err.code, 'VOUCHER_USED');
        assert.match(err.message, /^该兑换券已于 \d{1,2}月\d{1,2}日 \d{2}:\d{2} 在 徐汇店 核销$/);
        return true;
      },
    );
    const again = await clerkB.call(d.lookup, { query: { code: voucher!.code } });
    assert.ok(again.kind === 'voucher');
    assert.equal(again.usable, false);
    assert.match(again.reason ?? '', /在 徐汇店 核销/);
    assert.equal((await member.api.call(m.mine)).items[0]!.vouchers[0]!.usedStoreName, '徐汇店');
  });

  it('parallel verifications of one voucher: exactly one succeeds', async () => {
    const item = await virtualItem();
    const member = await withPoints(1_000);
    const [voucher] = (await redeem(member.api, item.id)).vouchers;
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 === 0 ? clerkA : owner).call(m.redeemVoucher, {
          body: { code: voucher!.code, storeCode: i % 2 === 0 ? undefined : 'JA01' },
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const codes = results
      .filter((r) => r.status === 'rejected')
      .map((r) => (r.reason as ApiError).code);
    assert.equal(ok, 1, JSON.stringify(codes));
    assert.deepEqual([...new Set(codes)], ['VOUCHER_USED']);
    const [row] = (await server.dataSource.query(
      "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'mall_voucher.redeem'",
    )) as { n: number }[];
    assert.ok(Number(row!.n) >= 1);
  });

  it('a voucher limited to some stores is refused elsewhere with the reason', async () => {
    const item = await virtualItem({ stores: ['XH01'] });
    const member = await withPoints(1_000);
    const [voucher] = (await redeem(member.api, item.id)).vouchers;
    const seen = await clerkB.call(d.lookup, { query: { code: voucher!.code } });
    assert.ok(seen.kind === 'voucher');
    assert.deepEqual(seen.storeNames, ['徐汇店']);
    assert.equal(seen.usable, false);
    await assert.rejects(
      clerkB.call(m.redeemVoucher, { body: { code: voucher!.code } }),
      (err: ApiError) => {
        assert.equal(err.code, 'COUPON_NOT_USABLE');
        assert.equal(err.message, '该兑换券仅限 徐汇店 使用，不能在 静安店 核销');
        return true;
      },
    );
    assert.equal(
      (await clerkA.call(m.redeemVoucher, { body: { code: voucher!.code } })).status,
      'used',
    );
  });

  it('cancelling a redemption voids its vouchers; one already used cannot be cancelled', async () => {
    const item = await virtualItem();
    const member = await withPoints(1_000);
    const first = await redeem(member.api, item.id);
    await owner.call(m.cancel, {
      params: { id: first.redemptionId },
      body: { reason: '顾客不要了' },
    });
    const voided = await clerkA.call(d.lookup, { query: { code: first.vouchers[0]!.code } });
    assert.ok(voided.kind === 'voucher');
    assert.equal(voided.status, 'void');
    await expectError(
      clerkA.call(m.redeemVoucher, { body: { code: first.vouchers[0]!.code } }),
      422,
      'COUPON_NOT_USABLE',
    );
    const second = await redeem(member.api, item.id);
    await clerkA.call(m.redeemVoucher, { body: { code: second.vouchers[0]!.code } });
    await assert.rejects(
      owner.call(m.cancel, { params: { id: second.redemptionId }, body: { reason: '误操作' } }),
      (err: ApiError) => {
        assert.equal(err.code, 'CONFLICT');
        assert.match(err.message, /在 徐汇店 核销，不能取消/);
        return true;
      },
    );
    assert.equal((await member.api.call(routes.points.summary)).balance, 1_000 - 300);
  });

  it('a coupon at the desk: face, threshold, validity and holder first; used once; limited stores refused', async () => {
    const t = await owner.call(routes.coupons.createTemplate, {
      body: {
        name: '满100减20',
        kind: 'cash',
        value: 2_000,
        threshold: 10_000,
        validity: { kind: 'days', days: 30 },
        stores: ['XH01'],
      },
    });
    const member = await joinedMember(server, '李雷', '13700001111');
    const coupon = await member.api.call(routes.coupons.claim, { body: { templateId: t.id } });
    const seen = await clerkA.call(d.lookup, { query: { code: coupon.code } });
    assert.ok(seen.kind === 'coupon');
    assert.deepEqual(
      [seen.name, seen.face, seen.threshold, seen.status, seen.usable, seen.storeNames],
      ['满100减20', '满100减20', 10_000, 'available', true, ['徐汇店']],
    );
    assert.deepEqual(seen.holder, {
      nickname: '李*',
      phoneMasked: '137****1111',
      cardNo: member.member.cardNo,
    });
    const elsewhere = await clerkB.call(d.lookup, { query: { code: coupon.code } });
    assert.ok(elsewhere.kind === 'coupon');
    assert.equal(elsewhere.reason, '该券仅限 徐汇店 使用，不能在 静安店 核销');
    await expectError(
      clerkB.call(routes.coupons.redeem, { body: { code: coupon.code } }),
      422,
      'COUPON_NOT_USABLE',
    );
    await clerkA.call(routes.coupons.redeem, { body: { code: coupon.code } });
    await assert.rejects(
      clerkA.call(routes.coupons.redeem, { body: { code: coupon.code } }),
      (err: ApiError) => {
        assert.equal(err.code, 'COUPON_USED');
        assert.match(err.message, /^该券已于 \d{1,2}月\d{1,2}日 \d{2}:\d{2} 在 徐汇店 核销$/);
        return true;
      },
    );
  });

  it('the store is the clerk’s own; owners pick one that exists', async () => {
    const t = await owner.call(routes.coupons.createTemplate, {
      body: { name: '包邮券', kind: 'shipping', validity: { kind: 'days', days: 3 } },
    });
    const member = await joinedMember(server);
    const coupon = await member.api.call(routes.coupons.claim, { body: { templateId: t.id } });
    await expectError(
      clerkA.call(routes.coupons.redeem, { body: { code: coupon.code, storeCode: 'JA01' } }),
      403,
      'FORBIDDEN',
    );
    await assert.rejects(
      owner.call(d.lookup, { query: { code: coupon.code } }),
      (err: ApiError) => err.code === 'VALIDATION_FAILED' && err.message === '请选择核销门店',
    );
    await expectError(
      owner.call(routes.coupons.redeem, { body: { code: coupon.code, storeCode: 'NOPE' } }),
      400,
      'VALIDATION_FAILED',
    );
    const used = await owner.call(routes.coupons.redeem, {
      body: { code: coupon.code, storeCode: 'JA01' },
    });
    assert.equal(used.usedStoreCode, 'JA01');
  });

  it('a member by the rotating card code, the card number or the phone; each miss says what was not found', async () => {
    const member = await withPoints(123, '韩梅梅', '13600002222');
    const { code } = await member.api.call(routes.members.cardCode);
    const byCode = await clerkA.call(d.lookup, { query: { code } });
    assert.deepEqual(byCode, {
      kind: 'member',
      cardNo: member.member.cardNo,
      nickname: '韩梅梅',
      phoneMasked: '136****2222',
      tierName: '普通会员',
      points: 123,
      foundBy: 'card_code',
    });
    const byCard = await clerkA.call(d.lookup, { query: { code: member.member.cardNo! } });
    assert.ok(byCard.kind === 'member' && byCard.foundBy === 'card_no');
    const byPhone = await clerkA.call(d.lookup, { query: { code: '136 0000 2222' } });
    assert.ok(byPhone.kind === 'member' && byPhone.foundBy === 'phone');

    const stale = server.app
      .get(CardCodeService)
      .issue(member.member.cardNo!, Date.now() - 10 * 60_000).code;
    const miss = async (value: string, status: number, pattern: RegExp) =>
      assert.rejects(clerkA.call(d.lookup, { query: { code: value } }), (err: ApiError) => {
        assert.equal(err.status, status, err.message);
        assert.match(err.message, pattern);
        return true;
      });
    await miss(stale, 422, /会员码已过期/);
    await miss('812345678901123456', 404, /未找到该会员码对应的会员/);
    await miss('812345678903', 404, /未找到卡号为 812345678903 的会员/);
    await miss('13500009999', 404, /未找到手机号为 135\*\*\*\*9999 的会员/);
    await miss('ABCDEFGHJKMNPQRS', 404, /未找到该券码/);
    await miss('12345', 400, /无法识别/);
  });
});
