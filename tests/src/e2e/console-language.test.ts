import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { closeMember } from '../support/engage-steps.js';
import { LATIN_ALLOWED, openConsole, siteUrl, visibleLatinWords } from '../support/journey.js';
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
  // A selector wait, not waitForFunction: that evaluates a string in the page, which the console's CSP refuses.
  await page.waitForSelector(
    '.ant-skeleton, .ant-spin-spinning, .ant-table-placeholder .ant-spin',
    {
      state: 'detached',
    },
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

  it('has a favicon (no 404 in the tab)', async () => {
    const href = await page.evaluate('document.querySelector("link[rel=icon]")?.href');
    assert.equal(href, `${siteUrl(server)}/admin/favicon.svg`);
    const res = await page.request.get(href as string);
    assert.equal(res.status(), 200);
    assert.match(res.headers()['content-type'] ?? '', /image\/svg\+xml/);
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

  it('the drawer adjusts points: whole numbers, confirmed with the member and amount, cleared, ledger at once', async () => {
    await page.getByRole('menuitem', { name: '会员', exact: true }).click();
    await settled(page);
    await page.locator('.ant-table-tbody tr').nth(2).click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByTestId('member-ledger').waitFor();
    const nickname = (await drawer
      .locator('.ant-descriptions-item-label', { hasText: /^昵称$/ })
      .locator('xpath=following-sibling::td[1]')
      .textContent())!;
    const amount = drawer.getByLabel('积分调整数量');
    const reason = drawer.getByLabel('调整原因');
    const submit = drawer.getByRole('button', { name: '调整积分' });

    await amount.fill('1.5');
    await reason.fill('门店活动补偿');
    await submit.click();
    await drawer.getByText('积分调整数量必须是整数').waitFor();

    await amount.fill('500');
    await submit.click();
    const confirm = page.getByTestId('adjust-confirm');
    await confirm.waitFor();
    const text = (await confirm.textContent()) ?? '';
    assert.match(text, new RegExp(`为 ${nickname}（卡号 \\d{12}）`));
    assert.match(text, /增加 500 积分/);
    assert.match(text, /原因：门店活动补偿/);
    assert.deepEqual(await visibleLatinWords(page, ALLOWED), []);
    await page.waitForTimeout(500); // the dialog's zoom-in
    await page.screenshot({ path: 'docs/screenshots/console-member-adjust.png' });
    await page.getByRole('button', { name: '确认增加' }).click();
    await page.getByText(`已为 ${nickname} 增加 500 积分`).waitFor();
    assert.equal(
      await amount.inputValue(),
      '',
      'the amount is cleared: a second click cannot repeat it',
    );
    assert.equal(await reason.inputValue(), '');
    const first = drawer.getByTestId('member-ledger').locator('.ant-table-tbody tr').first();
    await first.getByText('+500').waitFor(); // refreshed at once, without reopening
    assert.match((await first.textContent()) ?? '', /积分调整.*客服调整.*\+500.*门店活动补偿/);

    // Beyond the brand's limit (10,000): the owner confirms a second time.
    await amount.fill('20000');
    await reason.fill('大客户补偿');
    await submit.click();
    await page.getByRole('button', { name: '确认增加' }).click();
    await page
      .locator('.ant-modal-confirm-title', { hasText: '超出单次调整上限，请再次确认' })
      .waitFor();
    await page.getByRole('button', { name: '我已核实，继续调整' }).click();
    await page.getByText(`已为 ${nickname} 增加 20,000 积分`).waitFor();
    await first.getByText('+20,000').waitFor();
    // Escape raced the confirmation still fading out (it could land there and leave the drawer open): its × closes it.
    await closeMember(page);
  });

  it('rules are edited as forms: the adjustment limit and a longer check-in ladder, saved after a confirmation', async () => {
    await page.getByRole('menuitem', { name: '积分与签到规则' }).click();
    const limit = page.getByLabel('积分单次调整上限');
    await limit.fill('50000');
    await page.getByRole('button', { name: '保存积分规则' }).click();
    await page.locator('.ant-modal-confirm-title', { hasText: '保存新的规则？' }).waitFor();
    await page.getByRole('button', { name: /^保\s*存$/ }).click();
    await page.getByText('规则已保存').waitFor();

    await page.getByRole('tab', { name: '签到阶梯' }).click();
    const rows = page.getByTestId('ladder-row');
    await rows.first().waitFor();
    const before = await rows.count();
    await page.getByRole('button', { name: '添加一天' }).click();
    await page.getByLabel(`第 ${before + 1} 天积分`).fill('80');
    await page.getByRole('button', { name: '保存签到规则' }).click();
    await page.getByRole('button', { name: /^保\s*存$/ }).click();
    await page.getByText('规则已保存').first().waitFor();

    await page.reload();
    await page.getByRole('menuitem', { name: '积分与签到规则' }).click();
    await settled(page);
    assert.equal(await page.getByLabel('积分单次调整上限').inputValue(), '50000');
    await page.getByRole('tab', { name: '签到阶梯' }).click();
    await page.getByText(`一轮共 ${before + 1} 天`).waitFor();
    assert.equal(await page.getByLabel(`第 ${before + 1} 天积分`).inputValue(), '80');
  });
});
