import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { routes } from '@huoyue/shared';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { joinedMember, staffLogin } from '../support/flows.js';
import { openConsole } from '../support/journey.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** 积分负债 in the console: a friendly empty state for a new brand, then the figures, charts, triangle and CSV. */
describe('the console page for the points liability', () => {
  let server: TestServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;

  before(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    page = await openConsole(browser.browser, server);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('an empty brand sees a friendly empty state', async () => {
    await page.getByRole('menuitem', { name: '积分负债' }).click();
    await page.getByText('还没有发放过积分').waitFor();
  });

  it('with points issued four months ago and now: the figures, charts, the triangle and a CSV', async () => {
    const owner = await staffLogin(server);
    // Two members: a member's first order could lift their tier (and the second order's multiplier).
    const [a, b] = await Promise.all([joinedMember(server), joinedMember(server)]);
    const ago = new Date(Date.now() - 120 * 86_400_000).toISOString();
    await owner.call(routes.points.createOrder, {
      body: { orderNo: 'E2E-LIAB-1', member: { id: a.member.id }, amount: 300_000, paidAt: ago },
    });
    await owner.call(routes.points.createOrder, {
      body: {
        orderNo: 'E2E-LIAB-2',
        member: { id: b.member.id },
        amount: 50_000,
        paidAt: new Date().toISOString(),
      },
    });
    await page.reload();
    await page.getByRole('menuitem', { name: '积分负债' }).click();
    // 3,000 points (¥3,000 at 1 point a yuan) and 500 (the later order), at ¥0.01 a point.
    await page.getByText('3,500').first().waitFor();
    await page.getByText('¥35.00').first().waitFor();
    for (const id of ['liability-over-time', 'expiry-calendar', 'breakage-triangle'])
      await page.getByTestId(id).locator('canvas').first().waitFor();
    await page.getByText('发放积分太少，暂不预测').first().waitFor();
    await page.getByText('已预测').first().waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /导出 CSV/ }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    assert.match(csv, /积分到期日历/);
    assert.match(csv, /发放批次,发放积分/);
  });
});
