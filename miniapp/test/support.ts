import { state, type Backend } from './doubles/taro';

type Handler = (req: Parameters<Backend>[0]) => unknown;

/**
 * A scripted backend keyed by "METHOD /api/path"; a handler returns the body (status 200), or an object with
 * `status` and `data` for anything else. Unscripted calls answer 404 and are listed so a test sees them.
 */
export function serve(handlers: Record<string, Handler>): void {
  state.backend = async (req) => {
    const handler = handlers[`${req.method} ${req.path}`];
    if (!handler)
      return {
        status: 404,
        data: { error: { code: 'NOT_FOUND', message: `unscripted ${req.method} ${req.path}` } },
      };
    const out = await handler(req);
    if (out && typeof out === 'object' && 'status' in out && 'data' in out)
      return out as { status: number; data: unknown };
    return { status: 200, data: out };
  };
}

export const calls = (method: string, path: string) =>
  state.requests.filter((r) => r.method === method && r.path === path);
export const uiCalls = (api: string) => state.calls.filter((c) => c.api === api);

/** The browser build's first login: a code from the dev route, then the session. */
export const login = {
  'POST /api/dev/wechat/login-code': () => ({ code: 'c1' }),
  'POST /api/auth/wechat': () => ({ token: 'tok', expiresIn: 7200, member: card() }),
};

export function card(overrides: Record<string, unknown> = {}) {
  return {
    id: 7,
    nickname: '小满',
    cardNo: '880000000007',
    stage: 'active',
    tier: { code: 'silver', name: '银卡' },
    points: 1200,
    growth: 650,
    joinedAt: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

export const tiers = {
  ladder: [
    {
      code: 'normal',
      name: '普通会员',
      rank: 0,
      growthThreshold: 0,
      retentionGrowth: 0,
      validityMonths: 0,
      benefits: {
        pointsMultiplier: 1,
        birthdayCoupon: null,
        freeShipping: false,
        exclusiveItems: false,
        perks: [],
      },
    },
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
        birthdayCoupon: '生日券',
        freeShipping: true,
        exclusiveItems: true,
        perks: [],
      },
    },
  ],
  current: {
    code: 'silver',
    since: '2026-01-01T00:00:00Z',
    expiresAt: '2027-01-01T00:00:00Z',
    growth: 650,
    growthThisPeriod: 100,
    toNext: { code: 'gold', name: '金卡', growthNeeded: 350 },
    toKeep: 100,
  },
};

export const pointsSummary = (balance = 1200) => ({
  balance,
  growth: 650,
  pending: 0,
  owed: 0,
  expiringSoon: { points: 0, firstDate: null, withinDays: 30 },
  lots: [],
});
