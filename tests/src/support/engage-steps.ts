import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { uniquePhone } from './flows.js';
import { appButton, appInput, visibleLatinWords } from './journey.js';

/**
 * Steps the member-day and winback journeys share, done the way people do them: through the console's forms and
 * the member app's pages.
 */

/** No English on what the user sees now. `pending` names words other branches of issue 17 remove (see report). */
export async function expectChineseOnly(page: Page, where: string, pending: string[] = []) {
  const words = (await visibleLatinWords(page)).filter((w) => !pending.includes(w));
  assert.deepEqual(words, [], `English visible on ${where}: ${words.join(', ')}`);
}

export async function screenshot(page: Page, name: string) {
  mkdirSync('docs/screenshots', { recursive: true });
  await page.waitForTimeout(500); // drawers, dialogs and Taro's page slide settle
  await page.screenshot({ path: `docs/screenshots/${name}.png` });
}

/** The option of the antd dropdown open now. */
export const dropdownOption = (page: Page, title: string) =>
  page.locator('.ant-select-dropdown:visible').getByTitle(title, { exact: true });

export async function openMenu(page: Page, name: string) {
  await page.getByRole('menuitem', { name, exact: true }).click();
}

/** A visitor in the member app joins with a nickname and the (simulated) phone authorisation. */
export async function joinInApp(app: Page, nickname: string): Promise<void> {
  await appButton(app, '免费开卡').waitFor();
  await expectChineseOnly(app, 'the card page of a visitor');
  await appButton(app, '免费开卡').click();
  await appInput(app, '怎么称呼您').waitFor();
  await expectChineseOnly(app, 'the join page');
  await appInput(app, '怎么称呼您').fill(nickname);
  await appInput(app, '手机号（开发环境模拟微信授权）').fill(uniquePhone());
  await appButton(app, '授权').click();
  await app
    .getByText(/已授权/)
    .first()
    .waitFor();
  await app.getByTestId('join-agree').click();
  await appButton(app, '立即开卡').click();
  await app.getByText('去会员卡').click(); // the welcome: 开卡成功
  await app.getByText('出示会员码').waitFor();
  await expectChineseOnly(app, 'the member card after joining');
}

/** The console's member page, one member's drawer open. */
export async function openMember(admin: Page, nickname: string): Promise<void> {
  await openMenu(admin, '会员');
  await admin.getByPlaceholder('卡号、手机号、手机尾号后 4 位或昵称').fill(nickname);
  await admin.getByRole('button', { name: /搜\s*索/ }).click();
  await admin.getByRole('cell', { name: nickname, exact: true }).click();
  await admin.locator('.ant-drawer').getByText('补录消费').first().waitFor();
}

export async function closeMember(admin: Page): Promise<void> {
  // A toast (已补录消费 …) can lie over the drawer's ×, and a pointer resting on it pauses it: let toasts go first.
  await admin.waitForSelector('.ant-message-notice', { state: 'detached', timeout: 15_000 });
  await admin.locator('.ant-drawer-close').click();
  await admin.locator('.ant-drawer-content').waitFor({ state: 'hidden' });
}

/** 补录消费 in the open member drawer: an amount in yuan, on a past day if given, confirmed. */
export async function recordPurchase(admin: Page, yuan: number, day?: string): Promise<void> {
  const form = admin.getByRole('form', { name: '补录消费' });
  await form.getByPlaceholder('消费金额').fill(String(yuan));
  if (day) {
    const date = form.getByPlaceholder('消费日期（默认今天）');
    await date.click();
    await date.fill(day);
    // Enter would submit the form; a click elsewhere closes the calendar and keeps the date typed.
    await form.getByPlaceholder('消费金额').click();
  }
  await form.getByRole('button', { name: /补录消费/ }).click();
  await admin
    .locator('.ant-modal-confirm')
    .getByText(`消费日期 ${day ?? '今天'}`)
    .waitFor();
  await admin
    .locator('.ant-modal-confirm')
    .getByRole('button', { name: /补\s*录/ })
    .click();
  await admin
    .getByText(/已补录消费/)
    .last()
    .waitFor()
    .catch(async (err: unknown) => {
      // Say what the console showed instead (a refusal, a form error), so a failure explains itself.
      const shown = await admin
        .locator('.ant-message, .ant-alert, .ant-form-item-explain-error, .ant-modal')
        .allInnerTexts();
      throw new Error(`补录消费 not confirmed; the console shows: ${JSON.stringify(shown)}`, {
        cause: err,
      });
    });
}

/** The brand-local date `days` before today, as staff type it into a date field. */
export function daysAgo(today: string, days: number): string {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}
