import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { routes } from '@huoyue/shared';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { assertNoLatin, joinInApp, recordPurchase, shot } from '../support/catalogue-journey.js';
import { createMallItem } from '../support/console-steps.js';
import { staffLogin } from '../support/flows.js';
import { appButton, appInput, openConsole, openMemberApp, siteUrl } from '../support/journey.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Journey (f), from an empty brand, through the console and the member app only: points + cash items paid with
 * WeChat Pay. The browser build has no WeChat cashier: beside the fake WeChat, a stand-in (微信支付（开发环境模拟
 * 收银台）) hands the very parameters wx.requestPayment would get to the fake WeChat Pay, which checks them, pays and
 * notifies the server; the server then asks WeChat Pay itself before completing the redemption.
 * A virtual item is paid right after redeeming; a physical one is left unpaid at the cashier, then paid from
 * 我的兑换 (去支付: the payment's parameters asked for again).
 */
describe('journey (f): points + cash items paid through WeChat Pay', () => {
  let server: TestServer;
  let browser: { browser: Browser; close(): Promise<void> };
  let phone: Page;
  const mobile = '13912340006';

  before(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** The stand-in cashier: the amount asked, then 确认支付 (or 取消). */
  async function atTheCashier(amount: string, choice: '确认支付' | '取消') {
    await phone.getByText('微信支付（开发环境模拟收银台）').waitFor();
    await phone.getByText(`确认支付 ${amount}？`).waitFor();
    await assertNoLatin(phone, 'the cashier');
    await phone.getByText(choice, { exact: true }).click();
  }

  /** The member's balance on the card (home page). */
  async function balanceShows(points: number) {
    await phone.goto(`${siteUrl(server)}/#/pages/home/index`);
    await phone.reload();
    await phone.getByTestId('points-balance').getByText(String(points), { exact: true }).waitFor();
  }

  /** The redemption of this item as staff see it through the API. */
  async function staffView(itemName: string) {
    const owner = await staffLogin(server);
    const { items } = await owner.call(routes.mall.redemptions, { query: {} });
    const found = items.filter((r) => r.itemName === itemName);
    assert.equal(found.length, 1, `one redemption of ${itemName}`);
    return found[0]!;
  }

  it('the owner creates two points + cash items in the console: a virtual one and a physical one', async () => {
    const owner = await openConsole(browser.browser, server);
    await createMallItem(
      owner,
      { name: '精品手冲兑换券', points: 200, cashYuan: 19.9, voucherDays: 30 },
      { beforeSave: () => assertNoLatin(owner, 'the points + cash item form') },
    );
    await owner
      .getByRole('row', { name: /精品手冲兑换券/ })
      .getByText('200 积分 + ¥19.90')
      .waitFor();
    await createMallItem(owner, { name: '品牌保温杯', points: 150, cashYuan: 39, physical: true });
    await owner
      .getByRole('row', { name: /品牌保温杯/ })
      .getByText('150 积分 + ¥39')
      .waitFor();
    await assertNoLatin(owner, 'the mall page with points + cash items');
    await shot(owner, 'console-mall-cash-items');
    await owner.context().close();
  });

  it('a member redeems the virtual item, pays at the cashier and gets the voucher', async () => {
    phone = await openMemberApp(browser.browser, server);
    await joinInApp(phone, '小钱', mobile);
    await recordPurchase(browser.browser, server, '小钱', 500);
    await balanceShows(500);
    await phone.getByText('积分商城').last().click();
    const card = phone.getByTestId('mall-item').filter({ hasText: '精品手冲兑换券' });
    await card.getByText('200 积分 + ¥19.90').waitFor();
    await card.click();
    await appButton(phone, '立即兑换').click();
    await phone.getByText(/另需支付现金/).waitFor();
    await phone.getByText('兑换', { exact: true }).click();
    await shot(phone, 'miniapp-cashier');
    await atTheCashier('¥19.90', '确认支付');
    await phone.getByTestId('redeem-result').getByText('兑换成功').waitFor();
    await phone.getByText('兑换券已发放，到店出示二维码即可核销').waitFor();
    await assertNoLatin(phone, 'the paid redemption');

    await appButton(phone, '查看我的兑换').click();
    const row = phone.getByTestId('redemption').filter({ hasText: '精品手冲兑换券' });
    await row.getByText('200 积分 + ¥19.90').waitFor();
    await row.getByText('1 张兑换券可用').waitFor();
    await appButton(row, '查看兑换券').waitFor();
    assert.equal(await appButton(row, '去支付').count(), 0, 'nothing left to pay');
    await assertNoLatin(phone, 'my redemptions');
    await shot(phone, 'miniapp-redemptions-paid');
    await balanceShows(300);

    const r = await staffView('精品手冲兑换券');
    assert.equal(r.status, 'completed');
    assert.equal(r.pointsSpent, 200);
    assert.equal(r.cashDue, 1990);
    assert.equal(r.vouchers.length, 1);
  });

  it('a member leaves the cashier on a physical item, then pays it from 我的兑换 and it awaits shipping', async () => {
    await phone.goto(`${siteUrl(server)}/#/pages/mall/index`);
    await phone.getByTestId('mall-item').filter({ hasText: '品牌保温杯' }).click();
    await appInput(phone, '收货人').fill('小钱');
    await appInput(phone, '手机号').fill(mobile);
    await appInput(phone, '详细地址').fill('上海市徐汇区漕溪北路 100 号');
    await appButton(phone, '立即兑换').click();
    await phone.getByText('兑换', { exact: true }).click();
    await atTheCashier('¥39', '取消');
    await phone.getByTestId('redeem-result').getByText('待支付').waitFor();
    await phone.getByText('请在“我的兑换”中完成支付，超时未支付将自动取消并退回积分。').waitFor();
    assert.equal((await staffView('品牌保温杯')).status, 'pending_payment');

    await appButton(phone, '查看我的兑换').click();
    const row = phone.getByTestId('redemption').filter({ hasText: '品牌保温杯' });
    await row.getByText(/^请在 .+ 前支付$/).waitFor();
    await assertNoLatin(phone, 'a redemption awaiting payment');
    await appButton(row, '去支付').click();
    await atTheCashier('¥39', '确认支付');
    await phone.getByText('支付成功').waitFor();
    await row.getByText('待发货').waitFor();
    assert.equal(await appButton(row, '去支付').count(), 0, 'nothing left to pay');
    await assertNoLatin(phone, 'my redemptions after paying');
    await balanceShows(150);

    const r = await staffView('品牌保温杯');
    assert.equal(r.status, 'pending_shipment');
    assert.equal(r.pointsSpent, 150);
    assert.equal(r.cashDue, 3900);
    assert.equal(r.address?.address, '上海市徐汇区漕溪北路 100 号');
  });
});
