import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { routes, type ApiClient } from '@huoyue/shared';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { staffLogin, uniquePhone } from '../support/flows.js';
import {
  appButton,
  appInput,
  openMemberApp,
  siteUrl,
  visibleLatinWords,
} from '../support/journey.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** Every page of the member app that needs nothing but its path. */
const PAGES = [
  'pages/home/index',
  'pages/mall/index',
  'pages/mine/index',
  'pages/member/join/index',
  'pages/member/agreement/index?kind=terms',
  'pages/member/agreement/index?kind=privacy',
  'pages/member/preferences/index',
  'pages/checkin/index',
  'pages/points/index',
  'pages/points/tiers/index',
  'pages/redeem/mine/index',
  'pages/coupons/index',
  'pages/coupons/center/index',
  'pages/badges/index',
  'pages/badges/leaderboard/index',
  'pages/clerk/index',
];
/** Pages only a member has. */
const MEMBER_PAGES = [
  'pages/member/profile/index',
  'pages/member/export/index',
  'pages/member/close/index',
];

/**
 * The language walk: a member with a coupon, a redemption, a badge, points history and check-ins, and a visitor,
 * open every page of the H5 app; no page shows English (Latin words outside a short allowlist). A coupon's own
 * code is letters and digits by design and is allowed where it is shown.
 */
describe('the member app speaks Chinese on every page', () => {
  let server: TestServer;
  let owner: ApiClient;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
    await owner.call(routes.engagement.createBadge, {
      body: {
        code: 'first_checkin',
        name: '初次签到',
        description: '完成第一次签到',
        // Levels (1 and 3 check-ins): the earned badge shows its level, the next one its goal.
        rule: { metric: 'checkins', thresholds: [1, 3] },
      },
    });
    await owner.call(routes.mall.createItem, {
      body: {
        name: '咖啡兑换券',
        kind: 'virtual',
        pointsPrice: 100,
        stock: 5,
        description: '门店任意中杯咖啡一杯',
      },
    });
    await owner.call(routes.coupons.createTemplate, {
      body: {
        name: '满100减20',
        kind: 'cash',
        value: 2000,
        threshold: 10_000,
        validity: { kind: 'days', days: 30 },
      },
    });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Opens a page and waits for it to settle (data loaded, the slide-in done). */
  const visit = async (page: Page, path: string) => {
    await page.goto(`${siteUrl(server)}/#/${path}`);
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(600);
  };
  const english = async (page: Page) => {
    const codes = await page
      .locator('[data-code]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-code') ?? ''));
    return (await visibleLatinWords(page)).filter((w) => !codes.some((c) => c.includes(w)));
  };

  it('a visitor sees no English on any page', async () => {
    const page = await openMemberApp(browser.browser, server);
    await page.getByText('免费开卡').waitFor();
    const found: Record<string, string[]> = {};
    for (const path of PAGES) {
      await visit(page, path);
      const words = await english(page);
      if (words.length) found[path] = words;
    }
    assert.deepEqual(found, {});
    await page.context().close();
  });

  it('a member with history sees no English on any page', async () => {
    const page = await openMemberApp(browser.browser, server);
    await appButton(page, '免费开卡').click();
    await appInput(page, '怎么称呼您').fill('走查会员');
    await appInput(page, '手机号（开发环境模拟微信授权）').fill(uniquePhone());
    await appButton(page, '授权').click();
    await page.getByText('✓ 已授权，门店会员将自动合并积分与等级').waitFor();
    await page.getByTestId('join-agree').click();
    await appButton(page, '立即开卡').click();
    await page.getByText('去会员卡').click();
    await page.getByText('出示会员码').waitFor();
    const member = (await owner.call(routes.members.adminSearch, { query: { query: '走查会员' } }))
      .items[0]!;
    await owner.call(routes.points.createOrder, {
      body: {
        orderNo: `WALK-${randomUUID().slice(0, 8)}`,
        member: { id: member.id },
        amount: 128_800,
        paidAt: new Date().toISOString(),
      },
    });
    // A check-in (and its badge), a claimed coupon, a redemption: through the app.
    await visit(page, 'pages/checkin/index');
    await appButton(page, /签到领/).click();
    await page.getByText('今日已签到').waitFor();
    await visit(page, 'pages/coupons/center/index');
    await appButton(page, '立即领取').click();
    await page.getByText('查看券').click();
    await page.getByTestId('coupon-qr').locator('img').waitFor();
    await page.waitForTimeout(600);
    assert.deepEqual(await english(page), [], 'coupon detail');
    await visit(page, 'pages/mall/index');
    await page.getByTestId('mall-item').getByText('咖啡兑换券').first().click();
    await appButton(page, '立即兑换').click();
    await page.getByText('兑换', { exact: true }).click();
    await page.getByTestId('redeem-result').waitFor();
    await page.waitForTimeout(600);
    assert.deepEqual(await english(page), [], 'redemption result');
    await visit(page, 'pages/mall/index');
    await page.getByTestId('mall-item').getByText('咖啡兑换券').first().click();
    await appButton(page, '立即兑换').waitFor();
    assert.deepEqual(await english(page), [], 'mall item');

    const found: Record<string, string[]> = {};
    for (const path of [...PAGES, ...MEMBER_PAGES]) {
      await visit(page, path);
      const words = await english(page);
      if (words.length) found[path] = words;
    }
    assert.deepEqual(found, {});
    await page.context().close();
  });
});
