import type { Browser, Locator, Page } from 'playwright-core';
import { ADMIN, type TestServer } from './test-server.js';

/**
 * Helpers for the end-to-end journeys: a brand starts empty (the test server seeds no demo data, only the default
 * tier ladder and the first owner), and everything happens through the staff console (1440×900) and the member
 * app's H5 build (a 390×844 phone), the way the people would do it: no API calls, no typed ids.
 */

export function siteUrl(server: TestServer): string {
  return server.apiUrl.replace(/\/api$/, '');
}

/** A console tab logged in as this staff account (the first owner by default). */
export async function openConsole(
  browser: Browser,
  server: TestServer,
  account: { username: string; password: string } = ADMIN,
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (e) => console.log('console pageerror', e.message));
  await page.goto(`${siteUrl(server)}/admin/`);
  await page.getByLabel('账号').fill(account.username);
  await page.getByLabel('密码').fill(account.password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.locator('.ant-layout-sider, .ant-menu').first().waitFor();
  return page;
}

/** A phone with the member app open on its home page; the dev build logs in through the fake WeChat. */
export async function openMemberApp(browser: Browser, server: TestServer): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (e) => console.log('app pageerror', e.message));
  await page.goto(`${siteUrl(server)}/`);
  return page;
}

/** NutUI buttons are <taro-button-core> around their label: tap the button, not the text inside. */
export const appButton = (scope: Page | Locator, label: string | RegExp) =>
  scope.locator('taro-button-core', { hasText: label });

/** Taro's <taro-input-core> carries the placeholder too: the real input inside. */
export const appInput = (page: Page, placeholder: string) =>
  page.locator(`input[placeholder="${placeholder}"]`);

/**
 * Words a Chinese-speaking user may see in Latin letters: units, standard abbreviations and names. Anything else
 * in Latin letters on a page is English that leaked into the UI.
 */
export const LATIN_ALLOWED = new Set([
  'QR',
  'VIP',
  'ID',
  'CSV',
  'RFM',
  'R',
  'F',
  'M',
  'OK',
  'Huoyue',
  'WeChat',
  'iOS',
  'Android',
  'AM',
  'PM',
  'px',
  'NEW',
]);

/**
 * The Latin words visible on the page (text of visible elements, placeholders and titles) that are
 * not in the allowlist. Numbers, dates, phone masks and codes such as "8123…" are not words and are ignored.
 */
export async function visibleLatinWords(
  page: Page,
  allowed: Iterable<string> = LATIN_ALLOWED,
): Promise<string[]> {
  // Runs in the page (the tests compile without the DOM library, so the script is text).
  const texts = (await page.evaluate(`(() => {
    const out = [];
    const visible = (el) => {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const parent = n.parentElement;
      if (!parent || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(parent.tagName)) continue;
      if (visible(parent) && n.textContent.trim()) out.push(n.textContent);
    }
    for (const el of document.querySelectorAll('[placeholder], [title]')) {
      if (!visible(el)) continue;
      for (const a of ['placeholder', 'title']) {
        const v = el.getAttribute(a);
        if (v) out.push(v);
      }
    }
    return out;
  })()`)) as string[];
  const ok = new Set(allowed);
  const words = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(/[A-Za-z]{2,}/g)) if (!ok.has(m[0])) words.add(m[0]);
  }
  return [...words].sort();
}
