import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { routes, type ApiClient } from '@huoyue/shared';
import { MessageDispatcher } from '@huoyue/server/dist/modules/messaging/dispatcher.js';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { staffLogin, uniquePhone } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const CHECKIN_TPL = 'tpl_checkin_reminder_0000000000000000000000';

/**
 * The member mini-program's H5 build in Debian's chromium (a phone-sized window) against the real server on
 * the embedded default, logging in through the fake WeChat: the journeys a member takes, one after another.
 */
describe('the member mini-program (H5) in a real browser', () => {
  let server: TestServer;
  let owner: ApiClient;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let base: string;
  let memberId = 0;
  const nickname = `小满${Date.now().toString(36).slice(-4)}`;
  const shot = async (name: string) => {
    await page.waitForTimeout(450); // Taro's H5 router slides pages in (300 ms)
    await page.screenshot({ path: `docs/screenshots/miniapp-${name}.png` });
  };
  const open = async (path: string) => {
    await page.goto(`${base}/#/${path}`);
  };
  /** NutUI buttons are <taro-button-core> around their label: tap the button, not the text inside. */
  const button = (label: string | RegExp) => page.locator('taro-button-core', { hasText: label });
  /** Taro's <taro-input-core> carries the placeholder too: fill the real input inside. */
  const input = (placeholder: string) => page.locator(`input[placeholder="${placeholder}"]`);
  const balance = async () =>
    (await owner.call(routes.members.adminDetail, { params: { id: memberId } })).points;

  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
    base = server.apiUrl.replace(/\/api$/, '');
    // What the brand set up in the console: a badge for the first check-in, an item, a coupon to claim.
    await owner.call(routes.engagement.createBadge, {
      body: {
        code: 'first_checkin',
        name: '初次签到',
        description: '完成第一次签到',
        rule: { metric: 'checkins', thresholds: [1] },
      },
    });
    await owner.call(routes.mall.createItem, {
      body: {
        name: '咖啡兑换券',
        kind: 'virtual',
        pointsPrice: 120,
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
        channels: ['center'],
      },
    });
    browser = await launchBrowser();
    const context = await browser.browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
    });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (e) => console.log('pageerror', e.message));
    page.on('console', (m) => m.type() === 'error' && console.log('console', m.text()));
    mkdirSync('docs/screenshots', { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('logs a visitor in through the fake WeChat and joins with the phone authorisation', async () => {
    await page.goto(`${base}/`);
    await page.getByText('免费开卡').waitFor();
    await shot('home-visitor');
    await button('免费开卡').click();
    await input('怎么称呼您').fill(nickname);
    await input('手机号（开发环境模拟微信授权）').fill(uniquePhone());
    await button('授权').click();
    await page.getByText('✓ 已授权，门店会员将自动合并积分与等级').waitFor();
    await page.getByText('手机号已授权').waitFor({ state: 'hidden' }); // the toast, out of the picture
    await page.getByTestId('join-agree').click();
    await shot('join');
    await button('立即开卡').click();
    await page.getByText('去会员卡').click(); // the welcome: 开卡成功
    await page.getByText('出示会员码').waitFor();
    const found = await owner.call(routes.members.adminSearch, { query: { query: nickname } });
    assert.equal(found.items.length, 1, 'one member with that nickname');
    memberId = found.items[0]!.id;
    assert.ok(found.items[0]!.cardNo, 'the member has a card number');
    // Points to spend later: a purchase in store, through the real order path.
    await owner.call(routes.points.createOrder, {
      body: {
        orderNo: `H5-${randomUUID().slice(0, 8)}`,
        member: { id: memberId },
        amount: 50_000,
        paidAt: new Date().toISOString(),
      },
    });
    await page.reload();
    await page.getByTestId('points-balance').getByText('500').waitFor();
    await button('出示会员码').click();
    await page.getByText(/秒后自动刷新/).waitFor();
    // Taro's <taro-image-core> puts its <img> in a moment after the text beside it is drawn.
    await page.locator('[data-testid=card-code] img').nth(1).waitFor();
    assert.equal(
      await page.locator('[data-testid=card-code] img').count(),
      2,
      'barcode and QR code',
    );
    await shot('home');
  });

  it('checks in, shows the streak, and the reminder consent reaches the server', async () => {
    await page.getByText('每日签到').click();
    await button(/签到领 \d+ 积分/).click();
    await page.getByText('今日已签到').waitFor();
    assert.equal((await page.getByTestId('streak').textContent())?.trim(), '1');
    await page.getByText('明天提醒我 ›').click();
    await page.getByText('好的').click();
    await page.getByText('明天提醒我 ›').waitFor({ state: 'detached' });
    await shot('checkin');
    const prefs = await server.dataSource.query(
      'SELECT remaining FROM subscription_quota WHERE member_id = ? AND template_id = ?',
      [memberId, CHECKIN_TPL],
    );
    assert.equal(
      Number((prefs as Array<{ remaining: number }>)[0]?.remaining),
      1,
      'one reminder may be sent',
    );
  });

  it('shows the badge the check-in earned', async () => {
    await open('pages/badges/index');
    await page.getByTestId('badge-earned').getByText('初次签到').waitFor();
    await shot('badges');
  });

  it('redeems an item: points go down and the redemption is listed', async () => {
    const before = await balance();
    await page.goto(`${base}/`);
    await page.getByText('积分商城').last().click();
    await page.getByText('咖啡兑换券').click();
    await button('立即兑换').waitFor();
    await shot('item');
    await button('立即兑换').click();
    await page.getByText('兑换', { exact: true }).click();
    await page.getByTestId('redeem-result').getByText('兑换成功').waitFor();
    await shot('redeem-result');
    assert.equal(await balance(), before - 120);
    await button('查看我的兑换').click();
    await page
      .getByTestId('redemption')
      .getByText(/咖啡兑换券 × 1/)
      .waitFor();
    await shot('redemptions');
    await open('pages/mall/index');
    await page
      .getByTestId('mall-balance')
      .getByText(String(before - 120))
      .waitFor();
    await shot('mall');
  });

  it('claims a coupon and opens its QR code for the clerk', async () => {
    await open('pages/coupons/center/index');
    await button('立即领取').waitFor();
    await shot('coupon-center');
    await button('立即领取').click();
    await page.getByText('查看券').click();
    await page.getByTestId('coupon-qr').locator('img').waitFor();
    const wallet = await owner.call(routes.coupons.memberCoupons, {
      params: { id: memberId },
      query: { status: 'available' },
    });
    assert.equal(wallet.items.length, 1);
    assert.ok(
      (await page.getByTestId('coupon-qr').textContent())?.includes(wallet.items[0]!.code),
      'the code under the QR is the coupon’s',
    );
    await shot('coupon');
    await open('pages/coupons/index');
    await page
      .getByTestId('coupon')
      .getByText('满100减20')
      .locator('visible=true')
      .first()
      .waitFor();
    await shot('wallet');
  });

  it('clerk mode: a clerk signs in, looks a member up by the card code and uses their coupon for the store', async () => {
    await owner.call(routes.staff.createStore, { body: { code: 'SH001', name: '上海一店' } });
    await owner.call(routes.staff.create, {
      body: {
        username: 'clerk.li',
        password: 'clerk-password-1',
        displayName: '李店员',
        role: 'clerk',
        storeCode: 'SH001',
      },
    });
    // The member shows the card code on their phone (here: the same browser, read from the page).
    await page.goto(`${base}/`);
    await button('出示会员码').click();
    const cardCode = await page
      .locator('[data-testid=card-code] [data-code]')
      .first()
      .getAttribute('data-code');
    assert.match(cardCode ?? '', /^\d{10,24}$/);
    const [coupon] = (
      await owner.call(routes.coupons.memberCoupons, {
        params: { id: memberId },
        query: { status: 'available' },
      })
    ).items;

    await open('pages/clerk/index');
    await input('账号').fill('clerk.li');
    await input('密码').fill('clerk-password-1');
    await button('登录').click();
    await page.getByText('店员：李店员').waitFor();
    await input('或手动输入会员码 / 券码').fill(cardCode!);
    await button('查询').click();
    await page.getByTestId('clerk-member').getByText(nickname).waitFor();
    await input('或手动输入会员码 / 券码').fill(coupon!.code.toLowerCase());
    await button('查询').click();
    await page.getByText('核销', { exact: true }).click();
    await page.getByTestId('clerk-coupon').getByText('✓ 已核销：满100减20').waitFor();
    await shot('clerk');
    const used = (
      await owner.call(routes.coupons.memberCoupons, {
        params: { id: memberId },
        query: { status: 'used' },
      })
    ).items;
    assert.deepEqual(
      used.map((c) => [c.code, c.usedStoreCode]),
      [[coupon!.code, 'SH001']],
    );
    // The same code again is refused, with the server's reason, and nothing changes.
    await input('或手动输入会员码 / 券码').fill(coupon!.code);
    await button('查询').click();
    await page.getByText('核销', { exact: true }).click();
    await page.getByText(/该券已于 .* 在 上海一店 核销/).waitFor();
    assert.equal(
      (
        await owner.call(routes.coupons.memberCoupons, {
          params: { id: memberId },
          query: { status: 'used' },
        })
      ).items.length,
      1,
    );
  });

  it('opens the page a message links to and counts the landing once', async () => {
    await owner.call(routes.messaging.putSettings, {
      body: { ...(await owner.call(routes.messaging.getSettings)), quietHours: null },
    });
    const template = await owner.call(routes.messaging.createTemplate, {
      body: {
        code: 'h5_checkin',
        name: '签到提醒',
        channel: 'subscribe',
        purpose: 'transactional',
        wechatTemplateId: CHECKIN_TPL,
        page: 'pages/checkin/index',
        fields: [
          { key: 'thing1', value: '今天还没签到哦' },
          { key: 'number2', value: '1' },
          { key: 'thing3', value: '连续签到奖励更多' },
        ],
      },
    });
    const queued = await owner.call(routes.messaging.send, {
      body: { memberId, templateId: template.id, fallbackTemplateIds: [], requestId: randomUUID() },
    });
    await server.app.get(MessageDispatcher).dispatchOnce();
    const sent = (await server.fake.messages()).find((m) => m.templateId === CHECKIN_TPL);
    assert.ok(
      sent?.page?.startsWith('pages/checkin/index?hy_m='),
      `a landing link (${sent?.page})`,
    );
    await page.goto(`${base}/#/${sent!.page}`);
    await page.getByTestId('streak').waitFor();
    const opened = async () =>
      (await owner.call(routes.messaging.listMessages, { query: { memberId } })).items.find(
        (m) => m.id === queued.id,
      )?.openedAt;
    for (let i = 0; i < 50 && !(await opened()); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(await opened(), 'the message is marked opened');
    const events = (await server.dataSource.query(
      "SELECT COUNT(*) AS n FROM engagement_event WHERE member_id = ? AND type = 'message_opened'",
      [memberId],
    )) as Array<{ n: number }>;
    assert.equal(Number(events[0]!.n), 1);
  });

  it('a failing API shows the reason and a retry that recovers: never a blank page', async () => {
    const outage = (route: import('playwright-core').Route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({
          error: { code: 'SERVICE_UNAVAILABLE', message: '服务维护中，请稍后再试' },
        }),
      });
    await page.route('**/api/mall/items', outage);
    await open('pages/mall/index');
    await page.reload(); // a fresh start of the app, with nothing on screen yet
    await page.getByText('服务维护中，请稍后再试').waitFor();
    await shot('error');
    await page.unroute('**/api/mall/items', outage);
    await button('重新加载').click();
    await page.getByTestId('mall-item').first().waitFor();
  });

  it('shows the remaining pages with their content (points history, tiers, leaderboard, profile, preferences)', async () => {
    await open('pages/points/index');
    await page.getByTestId('ledger-entry').first().waitFor();
    await shot('points');
    await open('pages/points/tiers/index');
    await page.getByTestId('tier').first().waitFor();
    await shot('tiers');
    await open('pages/badges/leaderboard/index');
    await page.getByTestId('my-rank').waitFor();
    await shot('leaderboard');
    await open('pages/mine/index');
    await page.getByText(nickname).locator('visible=true').first().waitFor();
    await shot('mine');
    await open('pages/member/preferences/index');
    await page.getByText('提醒与服务通知').waitFor();
    await shot('preferences');
  });
});
