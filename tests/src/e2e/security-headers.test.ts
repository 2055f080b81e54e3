import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Issue 18 item 15: the Content-Security-Policy fits what the server serves. The console, the H5 app and the API
 * docs load and run under it with no violation (a blocked script or style shows as a violation event).
 */
describe('the CSP lets the console, the H5 app and the API docs run', () => {
  let server: TestServer;
  let browser: Browser;
  let close: () => Promise<void>;
  before(async () => {
    server = await startTestServer();
    ({ browser, close } = await launchBrowser());
  });
  after(async () => {
    await close?.();
    await server?.stop();
  });

  const steps: [string, (page: Page) => Promise<unknown>][] = [
    [
      '/admin/',
      async (page) => {
        // Signed in, the dashboard draws its charts (ECharts on canvas, antd's runtime styles).
        await page.getByLabel('账号').fill(ADMIN.username);
        await page.getByLabel('密码').fill(ADMIN.password);
        await page.getByRole('button', { name: /登\s*录/ }).click();
        await page.locator('[data-testid="chart-activity"] canvas').first().waitFor();
      },
    ],
    ['/', (page) => page.waitForSelector('#app > *', { timeout: 20_000 })],
    ['/api/docs', (page) => page.waitForSelector('.opblock', { timeout: 20_000 })],
  ];
  for (const [path, ready] of steps) {
    it(`${path} loads without a CSP violation`, async () => {
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on('console', (msg) => {
        if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
      });
      // The page reports each violation to the console, where it is collected above.
      await page.addInitScript({
        content:
          "document.addEventListener('securitypolicyviolation', (e) => " +
          'console.error(`Content Security Policy: ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`));',
      });
      await page.goto(new URL(path, server.apiUrl).toString());
      await ready(page);
      await page.waitForTimeout(300);
      await page.close();
      assert.deepEqual(violations, []);
    });
  }
});
