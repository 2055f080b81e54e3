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
import { createMallItem } from '../support/console-steps.js';
import { appButton, openConsole, openMemberApp, siteUrl } from '../support/journey.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Journey (d), from an empty brand, through the console and the member app only: a virtual item (a coffee) → the
 * member redeems it → a voucher with its code and QR in 我的兑换 → the clerk sees it at the desk and verifies it
 * once → a second try is refused with when and where → the member's voucher shows it was used.
 */
describe('journey (d): a virtual item delivers a voucher that the desk verifies once', () => {
  let server: TestServer;
  let browser: { browser: Browser; close(): Promise<void> };
  let phone: Page;
  let clerk: Clerk;
  let voucherCode = '';
  const mobile = '13912340002';

  before(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    clerk = (
      await setUpStoresAndClerks(browser.browser, server, [
        { name: '徐汇店', clerk: 'clerk.xuhui' },
      ])
    )[0]!;
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the owner creates a virtual item with a picture and a voucher valid 30 days', async () => {
    const owner = await openConsole(browser.browser, server);
    const item = {
      name: '中杯咖啡兑换券',
      voucherDays: 30,
      points: 300,
      perMemberLimit: 5,
      picture: {
        name: '咖啡.png',
        mimeType: 'image/png',
        buffer: productPicture(240, [120, 72, 40]),
      },
      description: '任意门店兑换中杯咖啡一杯，兑换后在“我的兑换”出示二维码。',
    };
    await createMallItem(owner, item, {
      beforeSave: () => assertNoLatin(owner, 'the virtual item form'),
    });
    await owner
      .getByRole('row', { name: /中杯咖啡兑换券/ })
      .getByText('兑换券（30 天内到店核销）')
      .waitFor();
    await assertNoLatin(owner, 'the mall page');

    // Restock by any amount; reducing stops at what is unsold.
    await owner
      .getByRole('row', { name: /中杯咖啡兑换券/ })
      .getByRole('button', { name: '调整库存' })
      .click();
    const stock = owner.getByRole('dialog');
    await stock.getByLabel('调整数量').fill('20');
    await stock.getByRole('button', { name: /补\s*货/ }).click();
    await owner.getByText('已补货 20 件，当前库存 30 件').waitFor();
    await owner
      .getByRole('row', { name: /中杯咖啡兑换券/ })
      .getByTestId('stock')
      .getByText('30')
      .waitFor();
    await owner
      .getByRole('row', { name: /中杯咖啡兑换券/ })
      .getByRole('button', { name: '调整库存' })
      .click();
    await stock.getByLabel('调整数量').fill('31');
    await assertNoLatin(owner, 'the stock dialog');
    await shot(owner, 'console-mall-stock');
    await stock.getByRole('button', { name: '减少库存' }).click();
    await owner.getByText('库存只剩 30 件未兑出，最多只能减少 30 件').waitFor();
    assert.equal(await stock.getByLabel('调整数量').inputValue(), '31', 'kept, to correct');
    await owner.keyboard.press('Escape');
    await owner.context().close();
  });

  it('a member redeems it and sees a voucher with its code and a QR at least 200 px wide, centred', async () => {
    phone = await openMemberApp(browser.browser, server);
    await joinInApp(phone, '阿澈', mobile);
    await recordPurchase(browser.browser, server, '阿澈', 500);
    await phone.reload();
    await phone.getByTestId('points-balance').getByText('500').waitFor();
    await phone.getByText('积分商城').last().click();
    const card = phone.getByTestId('mall-item').filter({ hasText: '中杯咖啡兑换券' });
    await card.locator('img').waitFor();
    await assertNoLatin(phone, 'the mall');
    await shot(phone, 'miniapp-mall-pictures');
    await card.click();
    await appButton(phone, '立即兑换').click();
    await phone.getByText('兑换', { exact: true }).click();
    await phone.getByTestId('redeem-result').getByText('兑换成功').waitFor();
    await phone.getByText('兑换券已发放，到店出示二维码即可核销').waitFor();
    await assertNoLatin(phone, 'the redemption result');
    await shot(phone, 'miniapp-redeem-result-voucher');
    await appButton(phone, '查看兑换券').click();

    const qr = phone.locator('[data-testid=voucher-qr] img');
    await qr.waitFor();
    voucherCode =
      (await phone.locator('[data-testid=voucher-qr] [data-code]').getAttribute('data-code')) ?? '';
    assert.match(voucherCode, /^[A-Z2-9]{16}$/);
    await phone.getByText(voucherCode.replace(/(.{4})(?=.)/g, '$1 ')).waitFor();
    // Taro slides a new page in from the right: measure once it has come to rest.
    let box = (await qr.boundingBox())!;
    for (let i = 0; i < 20; i++) {
      await phone.waitForTimeout(100);
      const next = (await qr.boundingBox())!;
      if (next.x === box.x && next.width === box.width) break;
      box = next;
    }
    assert.ok(box.width >= 200, `the QR is ${box.width} px wide`);
    assert.ok(Math.abs(box.height - box.width) < 1, 'square');
    assert.ok(
      Math.abs(box.x + box.width / 2 - 195) <= 2,
      `centred (left ${box.x}, width ${box.width})`,
    );
    await assertNoLatin(phone, 'the voucher', codeWords(voucherCode));
    await shot(phone, 'miniapp-voucher');

    await phone.goto(`${siteUrl(server)}/#/pages/mall/index`);
    await phone.getByText('我的兑换 ›').click();
    const row = phone.getByTestId('redemption').filter({ hasText: '中杯咖啡兑换券' });
    await row.getByText('1 张兑换券可用').waitFor();
    await assertNoLatin(phone, 'my redemptions');
    await shot(phone, 'miniapp-redemptions-voucher');
  });

  it('the clerk sees the voucher and its holder, verifies it once; a second try says when and where', async () => {
    const desk = await openConsole(browser.browser, server, clerk);
    await scanAtDesk(desk, voucherCode);
    const ticket = desk.getByTestId('desk-ticket');
    for (const text of ['中杯咖啡兑换券', '全部门店', '可使用'])
      await ticket.getByText(text, { exact: true }).first().waitFor();
    await ticket.getByText(/^阿\* · 139\*\*\*\*0002 · 卡号 8\d{11}$/).waitFor();
    assert.equal(await desk.getByLabel('券码或会员码').inputValue(), '', 'ready for the next scan');
    await assertNoLatin(desk, 'the desk showing a voucher');
    await shot(desk, 'console-desk-voucher');
    await ticket.getByRole('button', { name: /核销（徐汇店）/ }).click();
    await desk.getByRole('button', { name: '确认核销' }).click();
    await desk.getByTestId('desk-done').getByText('核销成功：中杯咖啡兑换券（徐汇店）').waitFor();

    await scanAtDesk(desk, voucherCode);
    await desk
      .getByTestId('desk-ticket')
      .getByText(/^不能核销：该兑换券已于 \d{1,2}月\d{1,2}日 \d{2}:\d{2} 在 徐汇店 核销$/)
      .waitFor();
    assert.equal(await desk.getByTestId('desk-ticket').getByRole('button').count(), 0);
    await assertNoLatin(desk, 'the desk refusing a used voucher');
    await desk.context().close();
  });

  it('the member’s voucher now shows it was used, and where', async () => {
    await phone.reload();
    await appButton(phone, '查看兑换券').click();
    await phone.getByTestId('voucher').getByText('已核销').first().waitFor();
    await phone
      .getByTestId('voucher')
      .getByText(/在 徐汇店 核销/)
      .waitFor();
    assert.equal(
      await phone.locator('[data-testid=voucher-qr]').count(),
      0,
      'no code to scan again',
    );
    await assertNoLatin(phone, 'the used voucher');
    await shot(phone, 'miniapp-voucher-used');
  });
});
