import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brandDay } from '@huoyue/shared';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { createMallItem } from '../support/console-steps.js';
import {
  closeMember,
  dropdownOption,
  expectChineseOnly,
  joinInApp,
  openMember,
  openMenu,
  recordPurchase,
  screenshot,
} from '../support/engage-steps.js';
import { appButton, openConsole, openMemberApp } from '../support/journey.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** Words other engineers of issue 17 take off these screens on their branches (ledger types on the member page). */

/**
 * Journey (c): from an empty brand, the owner makes a mall item and a member day for gold members with that item as
 * its exclusive (today, all day); a gold member (made gold by purchases the owner records) sees and redeems it in the
 * app, a normal member neither sees nor can redeem it, and the occurrence's report counts the gold member.
 */
describe('journey: a gold members’ day with an exclusive item', () => {
  let server: TestServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let admin: Page;
  let gold: Page;
  let normal: Page;
  let itemUrl = '';

  before(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the owner puts an item in the points mall', async () => {
    admin = await openConsole(browser.browser, server);
    await createMallItem(admin, { name: '金卡专享咖啡', points: 200 }); // a 虚拟商品: a voucher
    await expectChineseOnly(admin, 'the points mall page');
  });

  it('two members join in the app; the owner records the purchases that make one of them gold', async () => {
    gold = await openMemberApp(browser.browser, server);
    await joinInApp(gold, '金卡阿金');
    normal = await openMemberApp(browser.browser, server);
    await joinInApp(normal, '普卡阿普');

    await openMember(admin, '金卡阿金');
    await recordPurchase(admin, 5000);
    const drawer = admin.locator('.ant-drawer');
    // The points the purchase earned, in the member's ledger (numbers are shown with separators).
    await drawer.getByTestId('member-ledger').getByText('+5,000').waitFor();
    await expectChineseOnly(admin, 'the member page');
    await screenshot(admin, 'console-member-purchase');
    await closeMember(admin);

    await gold.reload();
    await gold.getByText('金卡会员').first().waitFor(); // 5,000 growth: the gold tier
  });

  it('the owner creates a member day for gold members, today all day, with the item as its exclusive', async () => {
    await openMenu(admin, '会员日');
    await admin.locator('.ant-empty-description', { hasText: '暂无数据' }).waitFor(); // none yet
    await expectChineseOnly(admin, 'the empty member days page');
    await admin.getByRole('button', { name: '新建会员日' }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByLabel('名称').fill('金卡会员日');
    await dialog.getByLabel('重复方式').click();
    await dropdownOption(admin, '指定日期').click();
    const today = brandDay(new Date(), server.config.brandTimezone);
    await dialog.getByPlaceholder('点选日期添加').click();
    await admin.locator(`.ant-picker-dropdown:visible td[title="${today}"]`).click();
    await dialog.getByTestId('member-day-dates').getByText(today).waitFor();
    assert.ok(await dialog.getByLabel('全天（00:00 至 24:00）').isChecked(), 'all day by default');
    await dialog.getByLabel('活动对象：会员等级（不选为全部会员）').click();
    await dropdownOption(admin, '金卡会员').click();
    await dialog.getByLabel('名称').click(); // close the dropdown
    await dialog.getByLabel('专享商品（仅活动对象在会员日当天可兑换）').click();
    await dropdownOption(admin, '金卡专享咖啡').click();
    await dialog.getByLabel('名称').click();
    await expectChineseOnly(admin, 'the member day form');
    await screenshot(admin, 'console-member-day-form');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await admin.getByText('会员日已创建').waitFor();
    const row = admin.getByRole('row', { name: /金卡会员日/ });
    await row.getByText('全天').waitFor();
    await row.getByText('金卡会员', { exact: true }).waitFor();
    await row.getByText('专享商品 1 件').waitFor();
    await expectChineseOnly(admin, 'the member days list');
    await screenshot(admin, 'console-member-days');
  });

  it('the gold member sees the item as a member-day exclusive and redeems it', async () => {
    await gold.getByText('积分商城').last().click();
    const card = gold.getByTestId('mall-item').filter({ hasText: '金卡专享咖啡' });
    await card.getByText('会员日').waitFor();
    await gold.getByText('积分够换', { exact: true }).click();
    await card.waitFor(); // affordable now: the member day is on for them
    await expectChineseOnly(gold, 'the gold member’s mall');
    await screenshot(gold, 'miniapp-mall-member-day');
    await card.click();
    await gold.locator('.item__tags').getByText('会员日专享').waitFor();
    itemUrl = gold.url();
    await appButton(gold, '立即兑换').click();
    await gold.getByText('兑换', { exact: true }).click();
    await gold.getByTestId('redeem-result').getByText('兑换成功').waitFor();
    await expectChineseOnly(gold, 'the redemption result');
  });

  it('the normal member does not see the item and cannot redeem it from a shared link', async () => {
    await normal.getByText('积分商城').last().click();
    await normal.getByTestId('mall-balance').waitFor();
    await normal.getByText(/商城正在上新|没有符合条件/).waitFor(); // the only item is not for them
    assert.equal(await normal.getByText('金卡专享咖啡').count(), 0);
    await expectChineseOnly(normal, 'the normal member’s mall');
    await screenshot(normal, 'miniapp-mall-not-for-me');
    await normal.goto(itemUrl);
    await normal.getByText('仅限会员日兑换').waitFor();
    assert.match(
      (await normal.getByTestId('redeem-button').getAttribute('class')) ?? '',
      /nut-button-disabled/,
      'the redeem button is off',
    );
    await normal.getByTestId('redeem-button').click({ force: true });
    assert.equal(await normal.getByText('确认兑换').count(), 0, 'a tap does nothing');
    await expectChineseOnly(normal, 'the item page for a normal member');
  });

  it('the occurrence report counts the gold member’s participation', async () => {
    await admin.reload();
    await openMenu(admin, '会员日');
    await admin
      .getByRole('row', { name: /金卡会员日/ })
      .getByRole('button', { name: '场次与报表' })
      .click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByText('进行中').waitFor();
    await dialog.getByRole('button', { name: /报\s*表/ }).click();
    await dialog.getByTestId('member-day-participants').getByText('1').waitFor();
    await expectChineseOnly(admin, 'the occurrence report');
    await screenshot(admin, 'console-member-day-report');
  });
});
