import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type ApiClient, ApiError, routes } from '@huoyue/shared';
import { expectError, joinedMember, staffLogin } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const c = routes.coupons;
const m = routes.mall;

/**
 * The catalogue as staff keep it: coupon templates and mall items edited within what members already hold, taken
 * off sale and back, deleted only when nothing depends on them, and a mall item that can never point at a coupon
 * that does not exist, is switched off or is not offered in the mall.
 */
describe('catalogue: coupons and mall items edited, unpublished, deleted; mall coupons checked', () => {
  let server: TestServer;
  let owner: ApiClient;
  const template = (extra: Record<string, unknown> = {}) =>
    owner.call(c.createTemplate, {
      body: {
        name: '满100减20',
        kind: 'cash',
        value: 2_000,
        threshold: 10_000,
        validity: { kind: 'days', days: 30 },
        channels: ['center', 'mall'],
        ...extra,
      } as never,
    });
  const couponItem = (templateId: number, extra: Record<string, unknown> = {}) =>
    owner.call(m.createItem, {
      body: {
        name: '20元券',
        kind: 'coupon',
        couponTemplateId: templateId,
        pointsPrice: 100,
        stock: 10,
        ...extra,
      } as never,
    });
  const withPoints = async (points: number) => {
    const member = await joinedMember(server);
    await owner.call(routes.points.createOrder, {
      body: {
        orderNo: `CAT-${randomUUID().slice(0, 12)}`,
        member: { id: member.member.id },
        amount: points * 100,
        paidAt: new Date().toISOString(),
      },
    });
    return member;
  };
  const audit = async (entityType: string) =>
    (await owner.call(routes.staff.audit, { query: { entityType, limit: 100 } })).items.map(
      (e) => e.action,
    );

  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
    await owner.call(routes.staff.createStore, { body: { code: 'SH001', name: '徐汇店' } });
  });
  after(async () => server.stop());

  it('a template is fully editable before any coupon is issued; after, its face is fixed and says why', async () => {
    const t = await template({ description: '堂食可用' });
    const edited = await owner.call(c.updateTemplate, {
      params: { id: t.id },
      body: { value: 3_000, threshold: 15_000, description: '堂食、外带可用', stores: ['SH001'] },
    });
    assert.deepEqual(
      [edited.value, edited.threshold, edited.description, edited.stores],
      [3_000, 15_000, '堂食、外带可用', ['SH001']],
    );
    const member = await joinedMember(server);
    await member.api.call(c.claim, { body: { templateId: t.id } });
    await assert.rejects(
      owner.call(c.updateTemplate, { params: { id: t.id }, body: { value: 5_000 } }),
      (err: ApiError) => {
        assert.equal(err.code, 'BUSINESS_RULE');
        assert.match(err.message, /已发放 1 张，.*面额.*不能再修改/);
        return true;
      },
    );
    await (await joinedMember(server)).api.call(c.claim, { body: { templateId: t.id } });
    await assert.rejects(
      owner.call(c.updateTemplate, { params: { id: t.id }, body: { totalQuantity: 1 } }),
      (err: ApiError) => {
        assert.equal(err.code, 'BUSINESS_RULE');
        assert.match(err.message, /不能少于已发放的 2 张/);
        return true;
      },
    );
    await expectError(
      owner.call(c.updateTemplate, {
        params: { id: t.id },
        body: { validity: { kind: 'days', days: 60 } },
      }),
      422,
      'BUSINESS_RULE',
    );
    // What may still change does, and the face stayed as it was.
    const renamed = await owner.call(c.updateTemplate, {
      params: { id: t.id },
      body: { name: '满150减30', totalQuantity: 500, value: 3_000, perMemberLimit: 3 },
    });
    assert.deepEqual(
      [renamed.name, renamed.totalQuantity, renamed.value, renamed.perMemberLimit],
      ['满150减30', 500, 3_000, 3],
    );
    const wallet = await member.api.call(c.wallet, { query: { status: 'available' } });
    assert.equal(wallet.items[0]!.value, 3_000);
    assert.deepEqual(wallet.items[0]!.storeNames, ['徐汇店']);
    await expectError(
      owner.call(c.updateTemplate, { params: { id: t.id }, body: { stores: ['NOPE'] } }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('a fixed validity may be extended after issuing, not shortened', async () => {
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 10 * 86_400_000).toISOString();
    const t = await template({ validity: { kind: 'fixed', from, to } });
    await (await joinedMember(server)).api.call(c.claim, { body: { templateId: t.id } });
    const later = new Date(Date.now() + 20 * 86_400_000).toISOString();
    const extended = await owner.call(c.updateTemplate, {
      params: { id: t.id },
      body: { validity: { kind: 'fixed', from, to: later } },
    });
    assert.equal(Date.parse((extended.validity as { to: string }).to), Date.parse(later));
    const sooner = new Date(Date.now() + 5 * 86_400_000).toISOString();
    await expectError(
      owner.call(c.updateTemplate, {
        params: { id: t.id },
        body: { validity: { kind: 'fixed', from, to: sooner } },
      }),
      422,
      'BUSINESS_RULE',
    );
  });

  it('下架 hides a template from the claim center and stops claims; coupons already held stay usable; 上架 brings it back', async () => {
    const t = await template({ channels: ['center'] });
    const holder = await joinedMember(server);
    const held = await holder.api.call(c.claim, { body: { templateId: t.id } });
    await owner.call(c.updateTemplate, { params: { id: t.id }, body: { active: false } });
    const other = await joinedMember(server);
    assert.equal(
      (await other.api.call(c.center)).items.some((x) => x.id === t.id),
      false,
      'not in the claim center',
    );
    await expectError(other.api.call(c.claim, { body: { templateId: t.id } }), 404, 'NOT_FOUND');
    const inactive = (await owner.call(c.listTemplates, { query: { status: 'inactive' } })).items;
    assert.ok(
      inactive.some((x) => x.id === t.id),
      'found again under 已下架',
    );
    assert.ok(
      !(await owner.call(c.listTemplates, { query: { status: 'active' } })).items.some(
        (x) => x.id === t.id,
      ),
    );
    const used = await owner.call(c.redeem, { body: { code: held.code, storeCode: 'SH001' } });
    assert.equal(used.status, 'used', 'a coupon already held is still verified');
    await owner.call(c.updateTemplate, { params: { id: t.id }, body: { active: true } });
    assert.ok((await other.api.call(c.center)).items.some((x) => x.id === t.id));
    const actions = await audit('coupon_template');
    assert.ok(actions.includes('coupon_template.unpublish'));
    assert.ok(actions.includes('coupon_template.publish'));
  });

  it('a template is deleted only while nothing depends on it, with the reason otherwise', async () => {
    const unused = await template();
    assert.deepEqual(await owner.call(c.deleteTemplate, { params: { id: unused.id } }), {
      id: unused.id,
    });
    assert.ok(!(await owner.call(c.listTemplates)).items.some((x) => x.id === unused.id));
    await expectError(
      owner.call(c.deleteTemplate, { params: { id: unused.id } }),
      404,
      'NOT_FOUND',
    );

    const issued = await template();
    await (await joinedMember(server)).api.call(c.claim, { body: { templateId: issued.id } });
    await assert.rejects(
      owner.call(c.deleteTemplate, { params: { id: issued.id } }),
      (err: ApiError) => {
        assert.equal(err.status, 409);
        assert.equal(err.code, 'IN_USE');
        assert.match(err.message, /已发放 1 张.*可以下架/);
        return true;
      },
    );

    const sold = await template();
    await couponItem(sold.id, { name: '满减券兑换' });
    await assert.rejects(
      owner.call(c.deleteTemplate, { params: { id: sold.id } }),
      (err: ApiError) => {
        assert.equal(err.code, 'IN_USE');
        assert.match(err.message, /满减券兑换/);
        return true;
      },
    );
    assert.ok((await audit('coupon_template')).includes('coupon_template.delete'));
  });

  it('a coupon item must name a coupon that exists, is on and is offered in the mall: on create and on update', async () => {
    const refused = async (body: Promise<unknown>, pattern: RegExp) =>
      assert.rejects(body, (err: ApiError) => {
        assert.equal(err.status, 400);
        assert.equal(err.code, 'VALIDATION_FAILED');
        assert.match(err.message, pattern);
        return true;
      });
    await refused(couponItem(99_999), /优惠券.*不存在/);
    const centerOnly = await template({ channels: ['center'] });
    await refused(couponItem(centerOnly.id), /未开放积分商城渠道/);
    const off = await template({ active: false });
    await refused(couponItem(off.id), /已下架/);
    await refused(
      owner.call(m.createItem, {
        body: {
          name: '帆布袋',
          kind: 'physical',
          couponTemplateId: off.id,
          pointsPrice: 10,
          stock: 1,
        },
      }),
      /只有优惠券商品/,
    );
    assert.equal(
      (await owner.call(m.listItems)).items.filter((i) => i.name === '20元券').length,
      0,
      'nothing was written',
    );

    const good = await template();
    const item = await couponItem(good.id);
    assert.deepEqual(item.couponTemplate, {
      id: good.id,
      name: '满100减20',
      face: '满100减20',
      validity: '领取后 30 天内有效',
      active: true,
      offeredInMall: true,
    });
    await refused(
      owner.call(m.updateItem, { params: { id: item.id }, body: { couponTemplateId: 99_999 } }),
      /不存在/,
    );
    await refused(
      owner.call(m.updateItem, {
        params: { id: item.id },
        body: { couponTemplateId: centerOnly.id },
      }),
      /未开放积分商城渠道/,
    );
  });

  it('a coupon switched off stops its mall items: gone from the app, refused with the reason, marked for staff', async () => {
    const t = await template();
    const item = await couponItem(t.id, { name: '会员券兑换' });
    const member = await withPoints(1_000);
    assert.ok((await member.api.call(m.items)).items.some((i) => i.id === item.id));
    await owner.call(c.updateTemplate, { params: { id: t.id }, body: { active: false } });
    assert.ok(
      !(await member.api.call(m.items)).items.some((i) => i.id === item.id),
      'not listed in the app',
    );
    await assert.rejects(
      member.api.call(m.redeem, {
        params: { id: item.id },
        body: { quantity: 1, requestId: randomUUID() },
      }),
      (err: ApiError) => {
        assert.equal(err.code, 'NOT_ELIGIBLE');
        assert.match(err.message, /暂不可兑换.*已下架/);
        return true;
      },
    );
    assert.equal((await member.api.call(routes.points.summary)).balance, 1_000, 'nothing taken');
    const staffView = (await owner.call(m.listItems)).items.find((i) => i.id === item.id)!;
    assert.match(staffView.unavailableReason ?? '', /已下架/);
    assert.equal(staffView.stock, 10);
  });

  it('下架 takes an item out of the app and stops redemptions; it is found again by status', async () => {
    const item = await owner.call(m.createItem, {
      body: { name: '帆布袋', kind: 'physical', pointsPrice: 10, stock: 3 },
    });
    const member = await withPoints(100);
    await owner.call(m.updateItem, { params: { id: item.id }, body: { active: false } });
    assert.ok(!(await member.api.call(m.items)).items.some((i) => i.id === item.id));
    await expectError(
      member.api.call(m.redeem, {
        params: { id: item.id },
        body: {
          quantity: 1,
          requestId: randomUUID(),
          address: { name: '张三', phone: '13800000000', address: '上海市徐汇区一号' },
        },
      }),
      404,
      'NOT_FOUND',
    );
    const inactive = (await owner.call(m.listItems, { query: { status: 'inactive' } })).items;
    assert.ok(inactive.some((i) => i.id === item.id));
    assert.ok((await audit('mall_item')).includes('mall_item.unpublish'));
  });

  it('an item is deleted only while never redeemed; otherwise the reason and 下架 are offered', async () => {
    const fresh = await owner.call(m.createItem, {
      body: { name: '未兑换的商品', kind: 'virtual', pointsPrice: 10, stock: 3 },
    });
    await owner.call(m.deleteItem, { params: { id: fresh.id } });
    assert.ok(!(await owner.call(m.listItems)).items.some((i) => i.id === fresh.id));

    const redeemed = await owner.call(m.createItem, {
      body: { name: '兑过的商品', kind: 'virtual', pointsPrice: 10, stock: 3 },
    });
    const member = await withPoints(100);
    await member.api.call(m.redeem, {
      params: { id: redeemed.id },
      body: { quantity: 1, requestId: randomUUID() },
    });
    await assert.rejects(
      owner.call(m.deleteItem, { params: { id: redeemed.id } }),
      (err: ApiError) => {
        assert.equal(err.status, 409);
        assert.equal(err.code, 'IN_USE');
        assert.match(err.message, /1 笔兑换记录.*可以下架/);
        return true;
      },
    );
    const listed = (await owner.call(m.listItems)).items.find((i) => i.id === redeemed.id)!;
    assert.equal(listed.redeemedCount, 1);
    assert.ok((await audit('mall_item')).includes('mall_item.delete'));
  });

  it('restock by any amount, and reduce down to what is unsold, never below zero; audited', async () => {
    const item = await owner.call(m.createItem, {
      body: { name: '保温杯', kind: 'virtual', pointsPrice: 10, stock: 5 },
    });
    const up = await owner.call(m.updateItem, {
      params: { id: item.id },
      body: { stockDelta: 37 },
    });
    assert.equal(up.stock, 42);
    await assert.rejects(
      owner.call(m.updateItem, { params: { id: item.id }, body: { stockDelta: -43 } }),
      (err: ApiError) => {
        assert.equal(err.code, 'BUSINESS_RULE');
        assert.match(err.message, /只剩 42 件.*最多只能减少 42 件/);
        return true;
      },
    );
    const down = await owner.call(m.updateItem, {
      params: { id: item.id },
      body: { stockDelta: -42 },
    });
    assert.equal(down.stock, 0);
    const entries = (
      await owner.call(routes.staff.audit, { query: { entityType: 'mall_item', limit: 100 } })
    ).items.filter((e) => e.entityId === String(item.id) && e.action === 'mall_item.restock');
    assert.equal(entries.length, 2);
  });
});
