import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { LATIN_ALLOWED, openConsole, visibleLatinWords } from '../support/journey.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Data, not interface text, that is Latin by its own rules: the owner's login name (letters and digits by the
 * account rules) and the demo brand's store codes (SH001, BJ001: the brand's own POS codes, shown beside the
 * store name so staff can match them to receipts).
 */
const ALLOWED = [...LATIN_ALLOWED, ADMIN.username, 'SH', 'BJ'];

/** Until no skeleton or spinner is left and the network is quiet: the page shows its data. */
async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(
    '!document.querySelector(".ant-skeleton, .ant-spin-spinning, .ant-table-placeholder .ant-spin")',
  );
  await page.waitForTimeout(300);
}

/**
 * The console's language walk on the demo brand (so every page has data): every menu page, the member drawer,
 * the staff tab, the rules forms, the audit log and the reports, each checked for Latin words a user would see.
 * Every page is visited before the verdict, so one run lists all the places English still shows.
 */
describe('the console speaks Chinese on every screen (demo brand)', () => {
  let server: TestServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  const found: Record<string, string[]> = {};
  const check = async (where: string) => {
    await settled(page);
    const words = await visibleLatinWords(page, ALLOWED);
    if (words.length > 0) found[where] = words;
  };

  before(async () => {
    server = await startTestServer({ DEMO_DATA: 'true' });
    browser = await launchBrowser();
    page = await openConsole(browser.browser, server);
    mkdirSync('docs/screenshots', { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('every menu page, the member drawer, staff, rules, audit log and reports: no English', async () => {
    const menu = await page.getByRole('menuitem').allTextContents();
    assert.ok(menu.length >= 15, `the owner's menu: ${menu.join('、')}`);
    for (const label of menu) {
      await page.getByRole('menuitem', { name: label, exact: true }).click();
      await check(label);
    }

    // 会员: the list with its total, then a member's drawer with the ledger.
    await page.getByRole('menuitem', { name: '会员', exact: true }).click();
    await settled(page);
    assert.match(
      (await page.locator('.ant-pagination-total-text').textContent()) ?? '',
      /^共 [\d,]+ 位会员$/,
    );
    await page.screenshot({ path: 'docs/screenshots/console-members.png' });
    await page.locator('.ant-table-tbody tr').nth(3).click();
    await page.getByTestId('member-ledger').waitFor();
    await check('会员详情');
    await page.waitForTimeout(500); // the drawer's slide-in
    await page.screenshot({ path: 'docs/screenshots/console-member-drawer.png' });
    await page.keyboard.press('Escape');

    await page.getByRole('menuitem', { name: '员工与门店' }).click();
    await page.getByRole('tab', { name: '员工账号' }).click();
    await check('员工与门店 · 员工账号');

    await page.getByRole('menuitem', { name: '积分与签到规则' }).click();
    await check('积分规则');
    await page.screenshot({ path: 'docs/screenshots/console-rules.png', fullPage: true });
    await page.getByRole('tab', { name: '签到阶梯' }).click();
    await page.getByTestId('ladder-row').first().waitFor();
    await check('签到阶梯');
    await page.screenshot({ path: 'docs/screenshots/console-rules-checkin.png', fullPage: true });

    await page.getByRole('menuitem', { name: '操作日志' }).click();
    await check('操作日志');
    await page.screenshot({ path: 'docs/screenshots/console-audit.png' });

    await page.getByRole('menuitem', { name: '数据看板' }).click();
    await check('数据看板（报表）');

    assert.deepEqual(found, {}, `Latin words on: ${JSON.stringify(found, null, 1)}`);
  });
});
