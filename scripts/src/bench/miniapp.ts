/**
 * npm run bench:miniapp — the member card page of the H5 build in Debian's chromium (phone viewport) against the
 * real server (`npm start`'s, on SQLite, logging in through the fake WeChat). Times from navigation to the card on
 * screen, BENCH_RUNS times each (default 15):
 *  - first visit: a fresh browser profile (no cache, no token: downloads the app, logs in, loads the card);
 *  - return visit: the same profile reloaded (cached app, stored token);
 * beside the baseline measured in the same run: navigating to a one-request JSON page of the same server.
 */
import { chromium, type Browser } from 'playwright-core';
import { ensureChromium, CHROMIUM } from '../e2e/chromium.js';
import { BenchRun } from './support.js';

const runs = Number(process.env.BENCH_RUNS ?? 15);
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const VIEWPORT = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p90 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.9) - 1)]!;
const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms, p90 ${p90(xs).toFixed(0)} ms`;

async function timeTo(
  browser: Browser,
  url: string,
  selector: string,
  reuse?: { page: import('playwright-core').Page },
): Promise<{ ms: number; fcp: number | null }> {
  const page = reuse?.page ?? (await (await browser.newContext(VIEWPORT)).newPage());
  const started = performance.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator(selector).first().waitFor({ state: 'visible', timeout: 15_000 });
  const ms = performance.now() - started;
  const fcp = await page.evaluate(
    () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
  );
  if (!reuse) await page.context().close();
  return { ms, fcp };
}

ensureChromium();
await BenchRun.each(['sqlite'], async (run) => {
  const { api } = await run.server();
  const base = api.replace(/\/api$/, '');
  if (!(await fetch(`${base}/`)).ok)
    throw new Error('the H5 build is not served: run `npm run build` first');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    // Warm the server's own caches (and the SQLite file) once, outside the figures.
    await timeTo(browser, `${base}/`, '[data-testid=member-card]');
    const baseline: number[] = [];
    const first: number[] = [];
    const firstFcp: number[] = [];
    const again: number[] = [];
    for (let i = 0; i < runs; i++) {
      baseline.push((await timeTo(browser, `${base}/api/health`, 'body')).ms);
      const cold = await timeTo(browser, `${base}/`, '[data-testid=member-card]');
      first.push(cold.ms);
      if (cold.fcp !== null) firstFcp.push(cold.fcp);
    }
    const context = await browser.newContext(VIEWPORT);
    const page = await context.newPage();
    await timeTo(browser, `${base}/`, '[data-testid=member-card]', { page });
    for (let i = 0; i < runs; i++)
      again.push((await timeTo(browser, `${base}/`, '[data-testid=member-card]', { page })).ms);
    await context.close();

    console.log(`\nH5 member card, ${runs} runs each (Chromium ${browser.version()}, 390×844 @2x)`);
    console.log(`  baseline: a one-request JSON page   ${fmt(baseline)}`);
    console.log(
      `  first visit (no cache, logs in)     ${fmt(first)}  (${(median(first) / median(baseline)).toFixed(1)}× baseline; first contentful paint median ${median(firstFcp).toFixed(0)} ms)`,
    );
    console.log(
      `  return visit (cached, signed in)    ${fmt(again)}  (${(median(again) / median(baseline)).toFixed(1)}× baseline)`,
    );
    console.log(
      `  goal: first render under 1,000 ms — ${p90(first) < 1000 ? 'met' : 'NOT met'} at p90`,
    );
  } finally {
    await browser.close();
  }
});
