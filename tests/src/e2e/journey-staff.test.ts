import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { LATIN_ALLOWED, openConsole, siteUrl, visibleLatinWords } from '../support/journey.js';
import { routes } from '@huoyue/shared';
import { Staff } from '@huoyue/server/dist/modules/staff/entities/staff.entity.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

const CLERKS = [
  { name: '王小明', username: 'wangxm', password: 'clerk-pass-1', store: '南京西路店' },
  { name: '李小红', username: 'lixh', password: 'clerk-pass-2', store: '徐家汇店' },
];
/** Login names are data staff chose (letters by the account rules), not interface text. */
const ALLOWED = [...LATIN_ALLOWED, ADMIN.username, ...CLERKS.map((c) => c.username)];

async function noEnglish(page: Page, where: string): Promise<void> {
  assert.deepEqual(await visibleLatinWords(page, ALLOWED), [], `English on ${where}`);
}

/** antd Select: open it, type to find, pick the option. */
async function pick(page: Page, label: string, option: string): Promise<void> {
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(label).click();
  await dialog.getByLabel(label).fill(option.slice(0, 2));
  await page.locator('.ant-select-dropdown:visible').getByText(option).first().click();
}

/**
 * Journey (a): from an empty brand the owner opens two stores and a clerk for each in the console; each clerk
 * signs in and sees only their desk with their own store; a clerk the owner deactivates cannot sign in any more.
 */
describe('journey: the owner sets up stores and clerks; clerks see only their desk', () => {
  let server: TestServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let owner: Page;

  before(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    mkdirSync('docs/screenshots', { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the owner creates two stores; their codes are generated and shown', async () => {
    owner = await openConsole(browser.browser, server);
    const missing: string[] = [];
    owner.on('response', (r) => {
      if (r.status() === 404) missing.push(r.url());
    });
    await owner.reload(); // the first load again, now watched: nothing the console asks for is missing
    await owner.locator('.ant-menu').waitFor();
    await owner.waitForLoadState('networkidle');
    assert.deepEqual(missing, []);
    await owner.getByRole('menuitem', { name: '员工与门店' }).click();
    await owner.getByText('还没有门店，先新建一个吧').waitFor();
    await noEnglish(owner, 'the empty stores tab');
    for (const [name, address] of [
      ['南京西路店', '上海市静安区南京西路 1688 号'],
      ['徐家汇店', '上海市徐汇区漕溪北路 18 号'],
    ] as const) {
      await owner.getByRole('button', { name: '新建门店' }).click();
      const dialog = owner.getByRole('dialog');
      await dialog.getByLabel('门店名称').fill(name);
      await dialog.getByLabel('门店地址').fill(address);
      await noEnglish(owner, 'the new store form');
      await dialog.getByRole('button', { name: /保\s*存/ }).click();
      await owner.getByText(`已新建门店「${name}」`).waitFor();
      await dialog.waitFor({ state: 'hidden' });
    }
    const rows = owner.locator('.ant-table-tbody tr');
    await owner.getByRole('cell', { name: '徐家汇店' }).waitFor();
    assert.equal(await rows.count(), 2);
    const codes = await owner
      .locator('.ant-table-tbody tr td:nth-child(2)')
      .evaluateAll((tds) => tds.map((td) => (td.textContent ?? '').trim()));
    assert.deepEqual(codes, ['1001', '1002'], 'codes generated once and shown');
    await noEnglish(owner, 'the stores tab');
    await owner.screenshot({ path: 'docs/screenshots/console-stores.png' });
  });

  it('the owner creates a clerk for each store with the role and store pickers', async () => {
    await owner.getByRole('tab', { name: '员工账号' }).click();
    for (const clerk of CLERKS) {
      await owner.getByRole('button', { name: '新建员工' }).click();
      const dialog = owner.getByRole('dialog');
      await dialog.getByLabel('姓名').fill(clerk.name);
      await dialog.getByLabel('登录账号').fill(clerk.username);
      await dialog.getByPlaceholder('至少 10 位').fill(clerk.password);
      assert.equal(
        (await dialog.locator('.ant-select').first().textContent())?.trim(),
        '店员',
        'the role picker starts at 店员, in Chinese',
      );
      await noEnglish(owner, 'the new staff form');
      // A clerk without a store is refused before anything is sent.
      await dialog.getByRole('button', { name: /保\s*存/ }).click();
      await dialog.getByText('店员必须绑定门店').waitFor();
      await pick(owner, '所属门店', clerk.store);
      await dialog.getByRole('button', { name: /保\s*存/ }).click();
      await owner.getByText(`已新建员工「${clerk.name}」`).waitFor();
      await dialog.waitFor({ state: 'hidden' });
    }
    for (const clerk of CLERKS) {
      const row = owner.getByRole('row', { name: new RegExp(clerk.name) });
      const text = (await row.textContent()) ?? '';
      assert.match(text, new RegExp(`${clerk.username}.*店员.*${clerk.store}.*在职`));
    }
    await noEnglish(owner, 'the staff tab');
    await owner.screenshot({ path: 'docs/screenshots/console-staff.png' });
  });

  it('each clerk signs in and sees only their desk, with their own store shown and not editable', async () => {
    for (const clerk of CLERKS) {
      const page = await openConsole(browser.browser, server, clerk);
      const menu = await page.getByRole('menuitem').allTextContents();
      assert.deepEqual(menu, ['店员工作台'], `${clerk.name} sees only the desk`);
      const store = page.getByTestId('signed-in-store');
      assert.equal(await store.textContent(), `门店：${clerk.store}`);
      assert.equal(
        await store.evaluate((el) => el.closest('input, textarea, select, [contenteditable]')),
        null,
        'the store is shown as text, not a field',
      );
      assert.match(
        (await page.getByTestId('signed-in').textContent()) ?? '',
        new RegExp(clerk.name),
      );
      // Typing another page's address still lands on the desk.
      await page.goto(`${siteUrl(server)}/admin/#/members`);
      await page.reload();
      await page.getByTestId('signed-in-store').waitFor();
      assert.deepEqual(await page.getByRole('menuitem').allTextContents(), ['店员工作台']);
      assert.equal(await page.locator('.ant-menu-item-selected').textContent(), '店员工作台');
      await noEnglish(page, `${clerk.name}'s desk`);
      if (clerk === CLERKS[0])
        await page.screenshot({ path: 'docs/screenshots/console-clerk-menu.png' });
      await page.context().close();
    }
  });

  it('the owner deactivates a clerk, who can no longer sign in and is told why in Chinese', async () => {
    const leaving = CLERKS[1]!;
    const row = owner.getByRole('row', { name: new RegExp(leaving.name) });
    await row.getByRole('button', { name: /停\s*用/ }).click();
    await owner
      .locator('.ant-popover:visible')
      .getByRole('button', { name: /停\s*用/ })
      .click();
    await owner.getByText(`已停用「${leaving.name}」`).waitFor();
    await row.getByText('已停用').waitFor();

    const context = await browser.browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
    });
    const page = await context.newPage();
    await page.goto(`${siteUrl(server)}/admin/`);
    await page.getByLabel('账号').fill(leaving.username);
    await page.getByLabel('密码').fill(leaving.password);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByText('该账号已停用，请联系店长').waitFor();
    assert.equal(await page.getByRole('menuitem').count(), 0, 'still on the login page');
    await noEnglish(page, 'the refused login');
    await page.screenshot({ path: 'docs/screenshots/console-login-disabled.png' });
    await context.close();

    // The other clerk is unaffected.
    const still = await openConsole(browser.browser, server, CLERKS[0]);
    assert.deepEqual(await still.getByRole('menuitem').allTextContents(), ['店员工作台']);
    await still.context().close();
  });

  it('a clerk locked after wrong passwords is told so in Chinese; the owner unlocks them with 解锁', async () => {
    const clerk = CLERKS[0]!;
    // Ten wrong passwords in a row, as the login would have counted them (the waits between make it slow here).
    await server.dataSource
      .getRepository(Staff)
      .update({ username: clerk.username }, { failedLogins: 10 });
    const context = await browser.browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
    });
    const page = await context.newPage();
    await page.goto(`${siteUrl(server)}/admin/`);
    await page.getByLabel('账号').fill(clerk.username);
    await page.getByLabel('密码').fill(clerk.password);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByText('登录失败次数过多，账号已锁定，请联系店主解锁').waitFor();
    await context.close();

    await owner.reload();
    await owner.getByRole('menuitem', { name: '员工与门店' }).click();
    await owner.getByRole('tab', { name: '员工账号' }).click();
    const row = owner.getByRole('row', { name: new RegExp(clerk.name) });
    await row.getByText('已锁定').waitFor();
    await row.getByRole('button', { name: /解\s*锁/ }).click();
    await owner
      .locator('.ant-popover:visible')
      .getByRole('button', { name: /解\s*锁/ })
      .click();
    await owner.getByText(`已解锁「${clerk.name}」`).waitFor();
    await noEnglish(owner, 'the staff tab after unlocking');
    const unlocked = await openConsole(browser.browser, server, clerk);
    assert.deepEqual(await unlocked.getByRole('menuitem').allTextContents(), ['店员工作台']);
    await unlocked.context().close();
  });

  it('a clerk changes their own password with 修改密码 and stays signed in; the old password no longer works', async () => {
    const clerk = CLERKS[0]!;
    const page = await openConsole(browser.browser, server, clerk);
    await page.getByRole('button', { name: '修改密码' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('至少 10 位，不能是常见密码').waitFor();
    await dialog.getByLabel('当前密码').fill(clerk.password);
    await dialog.getByLabel('新密码', { exact: true }).fill('password123');
    await dialog.getByLabel('确认新密码').fill('password123');
    await dialog.getByRole('button', { name: /修\s*改/ }).click();
    await dialog.getByText('密码太常见，容易被猜中，请换一个').waitFor();
    await dialog.getByLabel('新密码', { exact: true }).fill('desk-secret-2026');
    await dialog.getByLabel('确认新密码').fill('desk-secret-2026');
    await dialog.getByRole('button', { name: /修\s*改/ }).click();
    await page.getByText('密码已修改，其他设备上的登录已失效').waitFor();
    await noEnglish(page, 'the desk after a password change');
    await page.reload();
    // The menu is drawn once the console has read the account after the reload: wait for it, then read it whole.
    await page.getByRole('menuitem', { name: '店员工作台' }).waitFor();
    assert.deepEqual(await page.getByRole('menuitem').allTextContents(), ['店员工作台']);
    await page.context().close();
    const old = await server.client().raw(routes.staff.login, {
      body: { username: clerk.username, password: clerk.password },
    });
    assert.equal(old.status, 401);
  });
});
