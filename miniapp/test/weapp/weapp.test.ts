/**
 * The compiled weapp build (what WeChat DevTools loads) run on miniprogram-simulate's wx: it boots, a page
 * renders from the API into the data the WXML templates draw, and a tap goes through Taro's event path.
 */
import { readFileSync } from 'node:fs';
import { MEMBER_APP_PAGES } from '@huoyue/shared';
import { loadPage, network, textOf, WEAPP_DIR, type Node } from './weapp-shim';

const member = {
  id: 7,
  nickname: '小满',
  cardNo: '880000000007',
  stage: 'active',
  tier: { code: 'silver', name: '银卡' },
  points: 1200,
  growth: 650,
  joinedAt: '2026-01-01T00:00:00Z',
};
const tiers = {
  ladder: [
    {
      code: 'silver',
      name: '银卡',
      rank: 1,
      growthThreshold: 500,
      retentionGrowth: 200,
      validityMonths: 12,
      benefits: {
        pointsMultiplier: 1.2,
        birthdayCoupon: null,
        freeShipping: false,
        exclusiveItems: false,
        perks: [],
      },
    },
    {
      code: 'gold',
      name: '金卡',
      rank: 2,
      growthThreshold: 1000,
      retentionGrowth: 500,
      validityMonths: 12,
      benefits: {
        pointsMultiplier: 1.5,
        birthdayCoupon: null,
        freeShipping: true,
        exclusiveItems: true,
        perks: [],
      },
    },
  ],
  current: {
    code: 'silver',
    since: null,
    expiresAt: null,
    growth: 650,
    growthThisPeriod: 100,
    toNext: { code: 'gold', name: '金卡', growthNeeded: 350 },
    toKeep: null,
  },
};

beforeEach(() => {
  network.requests.length = 0;
  network.answer = (method, url) => {
    const path = new URL(url).pathname;
    const routes: Record<string, unknown> = {
      'POST /api/auth/wechat': { token: 'tok', expiresIn: 7200, member },
      'GET /api/me': member,
      'GET /api/tiers': tiers,
      'GET /api/points/summary': {
        balance: 1200,
        growth: 650,
        pending: 0,
        owed: 0,
        expiringSoon: { points: 300, firstDate: '2026-12-31', withinDays: 30 },
        lots: [],
      },
      'GET /api/member-days/current': { current: null },
      'GET /api/member-days/next': { next: null },
      'GET /api/me/card-code': {
        code: '123456789012345678',
        expiresAt: '2026-12-02T10:01:00Z',
        refreshInSeconds: 60,
      },
    };
    const body = routes[`${method} ${path}`];
    return body === undefined
      ? { status: 404, data: { error: { code: 'NOT_FOUND', message: 'no' } } }
      : { status: 200, data: body };
  };
});

async function until<T>(probe: () => T | undefined, what: string, timeoutMs = 3000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('the member card page logs in with wx.login, renders the card and shows the card code on a tap', async () => {
  const page = loadPage('pages/home/index');
  await until(() => page.texts().some((t) => t.includes('1,200')), 'the points balance');
  expect(network.requests[0]).toMatchObject({
    method: 'POST',
    url: 'http://localhost:3000/api/auth/wechat',
    body: { code: 'weapp-login-code' },
  });
  const texts = page.texts().join('');
  expect(texts).toContain('银卡');
  expect(texts).toContain('再获得 350 成长值升级为金卡');
  expect(texts).toContain('300 积分将于 2026-12-31 到期');

  const button = await until(
    () =>
      page.find(
        (n: Node) => String(n.cl ?? '').includes('nut-button') && textOf(n).includes('出示会员码'),
      ),
    'the show-code button',
  );
  page.tap(button);
  // Taro shortens attribute names in the data it sends (an image's src travels as p4): look at the values.
  const svgOf = (n: Node) =>
    Object.values(n).find(
      (v): v is string => typeof v === 'string' && v.startsWith('data:image/svg+xml;base64,'),
    );
  const image = await until(
    () => page.find((n: Node) => svgOf(n) !== undefined && n.ariaLabel === '二维码'),
    'the QR code image',
  );
  expect(network.requests.some((r) => r.url.endsWith('/api/me/card-code'))).toBe(true);
  expect(Buffer.from(svgOf(image)!.split(',')[1]!, 'base64').toString()).toMatch(
    /^<svg[^>]*viewBox="0 0 \d+ \d+"/,
  );
  expect(page.texts().join('|')).toMatch(/\d+ 秒后自动刷新/);
});

test('a failing API leaves the page with an error and a retry, not a blank screen', async () => {
  network.answer = () => ({
    status: 503,
    data: { error: { code: 'SERVICE_UNAVAILABLE', message: '服务维护中，请稍后再试' } },
  });
  const page = loadPage('pages/mall/index');
  await until(() => page.texts().some((t) => t.includes('服务维护中')), 'the error message');
  expect(page.texts()).toContain('重新加载');
});

test('every landing page the console offers for messages is a page of the built app', () => {
  const app = JSON.parse(readFileSync(`${WEAPP_DIR}/app.json`, 'utf8')) as {
    pages: string[];
    subPackages: Array<{ root: string; pages: string[] }>;
  };
  const built = new Set([
    ...app.pages,
    ...app.subPackages.flatMap((s) => s.pages.map((p) => `${s.root}/${p}`)),
  ]);
  for (const page of MEMBER_APP_PAGES) expect(built).toContain(page.path);
});
