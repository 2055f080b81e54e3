import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { launchBrowser } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('the API documentation page in a real browser', () => {
  let server: TestServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  before(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('renders every contract route in Swagger UI at /api/docs', async () => {
    const page = await browser.browser.newPage();
    await page.goto(`${server.apiUrl}/docs`, { waitUntil: 'networkidle' });
    await page.waitForSelector('.opblock', { timeout: 15_000 });
    const title = await page.textContent('.info .title');
    assert.match(title ?? '', /Huoyue API/);
    const paths = await page.$$eval('.opblock-summary-path', (els) =>
      els.map((e) => e.textContent?.replace(/\u200b/g, '').trim()),
    );
    for (const expected of [
      '/api/auth/wechat',
      '/api/me/join',
      '/api/me/card-code',
      '/api/admin/members/{id}',
      '/api/admin/audit-logs',
    ]) {
      assert.ok(paths.includes(expected), `${expected} listed (saw ${paths.join(', ')})`);
    }
    mkdirSync('docs/screenshots', { recursive: true });
    await page.screenshot({ path: 'docs/screenshots/api-docs.png' });
  });
});
