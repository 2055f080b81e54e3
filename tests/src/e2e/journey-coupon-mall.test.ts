import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import {
  assertNoLatin,
  type Clerk,
  codeWords,
  joinInApp,
  productPicture,
  recordPurchase,
  scanAtDesk,
  setUpStoresAndClerks,
  shot,
} from '../support/catalogue-journey.js';
import { createCoupon, createMallItem } from '../support/console-steps.js';
import { appButton, openConsole, openMemberApp, siteUrl } from '../support/journey.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Journey (b), from an empty brand, through the console and the member app only: a coupon offered in the points
 * mall and limited to one store → a mall item that picks it from the list → a member redeems it and finds it in the
 * wallet with its QR → the other store's clerk is refused with the reason → the right store's clerk sees it and
 * verifies it → a second try says when and where it was used.
 */
describe('journey (b): a coupon sold in the points mall, verified at the right store once', () => {
  let server: TestServer;
  let browser: { browser: Browser; close(): Promise<void> };
  let owner: Page;
  let phone: Page;
  let clerks: Clerk[];
  let couponCode = '';
  const mobile = '13912340001';

  before(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    clerks = await setUpStoresAndClerks(browser.browser, server, [
      { name: '徐汇店', clerk: 'clerk.xuhui' },
      { name: '静安店', clerk: 'clerk.jingan' },
    ]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the owner creates a coupon offered in the mall, for 徐汇店 only', async () => {
    owner = await openConsole(browser.browser, server);
    await owner.getByRole('menuitem', { name: '优惠券' }).click();
    await owner
      .locator('.ant-card', { has: owner.getByRole('button', { name: '新建优惠券' }) })
      .locator('.ant-empty-description')
      .waitFor();
    await assertNoLatin(owner, 'the empty coupons page');
    const coupon = {
      name: '满100减20',
      description: '徐汇店堂食、外带可用',
      yuanOff: 20,
      overYuan: 100,
      alsoOfferedIn: ['积分商城'],
      stores: ['徐汇店'],
    };
    await createCoupon(owner, coupon, async () => {
      await assertNoLatin(owner, 'the coupon form');
      await shot(owner, 'console-coupon-form');
    });
    const row = owner.getByRole('row', { name: /满100减20/ });
    await row.getByText('积分商城').waitFor();
    await row.getByText('徐汇店', { exact: true }).waitFor();
    await row.getByText('上架中').waitFor();
    await assertNoLatin(owner, 'the coupons page');
    await shot(owner, 'console-coupons');
  });

  it('the owner creates a mall item, picking that coupon from the list (no id typed), with a picture', async () => {
    const item = {
      name: '满100减20券',
      coupon: '满100减20',
      points: 150,
      picture: {
        name: '满减券.png',
        mimeType: 'image/png',
        buffer: productPicture(240, [232, 89, 12]),
      },
      description: '兑换后放入券包，徐汇店满100元可用。',
    };
    await createMallItem(owner, item, {
      couponOption: async (option) => {
        await option.getByText('领取后 30 天内有效').waitFor();
        await assertNoLatin(owner, 'the coupon picker');
        await shot(owner, 'console-mall-coupon-picker');
      },
      beforeSave: async () => {
        await assertNoLatin(owner, 'the mall item form');
        await shot(owner, 'console-mall-item-form');
      },
    });
    const row = owner.getByRole('row', { name: /满100减20券/ });
    await row.getByText('满100减20（满100减20）').waitFor();
    await row.locator('img').waitFor();
    await assertNoLatin(owner, 'the mall page');
    await shot(owner, 'console-mall');
  });

  it('a member joins, earns points, redeems the item and finds the coupon in the wallet with its QR', async () => {
    phone = await openMemberApp(browser.browser, server);
    await joinInApp(phone, '小满', mobile);
    await recordPurchase(browser.browser, server, '小满', 300);
    await phone.reload();
    await phone.getByTestId('points-balance').getByText('300').waitFor();
    await phone.getByText('积分商城').last().click();
    const card = phone.getByTestId('mall-item').filter({ hasText: '满100减20券' });
    await card.locator('img').waitFor();
    await assertNoLatin(phone, 'the mall');
    await card.click();
    await appButton(phone, '立即兑换').waitFor();
    await phone.locator('.item__img img').waitFor();
    await assertNoLatin(phone, 'the item page');
    await shot(phone, 'miniapp-item-coupon');
    await appButton(phone, '立即兑换').click();
    await phone.getByText('兑换', { exact: true }).click();
    await phone.getByTestId('redeem-result').getByText('兑换成功').waitFor();
    await phone.getByText('优惠券已放入您的券包').waitFor();
    await appButton(phone, '去券包查看').click();
    await phone.getByTestId('coupon').getByText('满100减20').first().click();
    const qr = phone.locator('[data-testid=coupon-qr] [data-code]').first();
    await qr.waitFor();
    couponCode = (await qr.getAttribute('data-code')) ?? '';
    assert.match(couponCode, /^[A-Z2-9]{16}$/);
    await phone.getByText('仅限 徐汇店 使用').waitFor();
    await assertNoLatin(phone, 'the coupon', codeWords(couponCode));
  });

  it('the clerk of 静安店 sees the coupon and is refused with the reason; nothing is used', async () => {
    const desk = await openConsole(browser.browser, server, clerks[1]!);
    await desk.getByTestId('desk-store').getByText('静安店（本店）').waitFor();
    await scanAtDesk(desk, couponCode);
    const ticket = desk.getByTestId('desk-ticket');
    await ticket.getByText('满 ¥100 可用').waitFor();
    await ticket.getByText('不能核销：该券仅限 徐汇店 使用，不能在 静安店 核销').waitFor();
    assert.equal(await ticket.getByRole('button', { name: /核\s*销/ }).count(), 0);
    assert.equal(await desk.getByLabel('券码或会员码').inputValue(), '', 'ready for the next scan');
    await assertNoLatin(desk, 'the desk refusing another store');
    await shot(desk, 'console-desk-other-store');
    await desk.context().close();
  });

  it('the clerk of 徐汇店 sees the coupon, its threshold and holder, verifies it; a second try says when and where', async () => {
    const desk = await openConsole(browser.browser, server, clerks[0]!);
    await desk.getByTestId('desk-store').getByText('徐汇店（本店）').waitFor();
    assert.deepEqual(
      await desk.locator('.ant-menu-item').allTextContents(),
      ['店员工作台'],
      'a clerk sees the desk only',
    );
    await scanAtDesk(desk, couponCode.toLowerCase());
    const ticket = desk.getByTestId('desk-ticket');
    for (const text of ['满100减20', '满 ¥100 可用', '小*', '139****0001', '徐汇店', '可使用'])
      await ticket.getByText(text).first().waitFor();
    await assertNoLatin(desk, 'the desk showing a coupon');
    await shot(desk, 'console-desk-coupon');
    await ticket.getByRole('button', { name: /核销（徐汇店）/ }).click();
    await desk
      .locator('.ant-modal-confirm-title', { hasText: '确认核销「满100减20」？' })
      .waitFor();
    await desk.getByRole('button', { name: '确认核销' }).click();
    await desk.getByTestId('desk-done').getByText('核销成功：满100减20（徐汇店）').waitFor();
    assert.equal(await desk.getByLabel('券码或会员码').inputValue(), '', 'the field is cleared');
    await assertNoLatin(desk, 'the desk after verifying');
    await shot(desk, 'console-clerk');

    await scanAtDesk(desk, couponCode);
    const again = desk.getByTestId('desk-ticket');
    await again
      .getByText(/^不能核销：该券已于 \d{1,2}月\d{1,2}日 \d{2}:\d{2} 在 徐汇店 核销$/)
      .waitFor();
    await again.getByText('已核销（徐汇店）').waitFor();
    await assertNoLatin(desk, 'the desk refusing a used coupon');
    await shot(desk, 'console-desk-used');
    await desk.context().close();
  });

  it('the member sees the coupon as used in the wallet', async () => {
    await phone.goto(`${siteUrl(server)}/#/pages/coupons/index`);
    await phone.getByText('已使用').first().click();
    await phone.getByTestId('coupon').getByText('满100减20').first().waitFor();
    await assertNoLatin(phone, 'the wallet');
  });

  it('the owner edits what may still change, cannot delete what members hold, and takes it off sale instead', async () => {
    await owner.getByRole('menuitem', { name: '优惠券' }).click();
    await owner
      .getByRole('row', { name: /满100减20/ })
      .getByRole('button', { name: /编\s*辑/ })
      .click();
    const dialog = owner.getByRole('dialog');
    await dialog.getByText(/已发放 1 张：类型、面额、门槛不能再修改/).waitFor();
    assert.ok(await dialog.getByLabel('减免金额').isDisabled(), 'the face is read-only');
    await dialog.getByLabel('名称').fill('徐汇店满100减20');
    await assertNoLatin(owner, 'editing an issued coupon');
    await shot(owner, 'console-coupon-edit');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await owner.getByText('优惠券已保存').waitFor();

    const row = owner.getByRole('row', { name: /徐汇店满100减20/ });
    await row.getByRole('button', { name: /删\s*除/ }).click();
    await owner
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /删\s*除/ })
      .click();
    const refusal = owner.locator('.ant-modal-confirm');
    await refusal.locator('.ant-modal-confirm-title', { hasText: '不能删除' }).waitFor();
    await refusal.getByText(/积分商城商品「满100减20券」正在兑换这张券/).waitFor();
    await assertNoLatin(owner, 'a refused delete');
    await shot(owner, 'console-coupon-in-use');
    await refusal.getByRole('button', { name: '改为下架' }).click();
    await owner.getByText('「徐汇店满100减20」已下架').waitFor();
    await owner.getByText('已下架', { exact: true }).first().click(); // the status filter
    await owner
      .getByRole('row', { name: /徐汇店满100减20/ })
      .getByText('已下架')
      .waitFor();

    // Its mall item can no longer be redeemed: marked in the console, gone from the app.
    await owner.getByRole('menuitem', { name: '积分商城' }).click();
    await owner
      .getByRole('row', { name: /满100减20券/ })
      .getByText('暂不可兑换：优惠券「徐汇店满100减20」已下架')
      .waitFor();
    await assertNoLatin(owner, 'the mall with an item whose coupon is off');
    await shot(owner, 'console-mall-coupon-off');
    await phone.goto(`${siteUrl(server)}/#/pages/mall/index`);
    await phone.reload();
    await phone.getByText('商城正在上新，过几天再来看看吧').waitFor();
    assert.equal(await phone.getByTestId('mall-item').count(), 0);
  });
});
