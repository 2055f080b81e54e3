import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { reset, state } from './doubles/taro';
import { calls, card, login, pointsSummary, serve, tiers, uiCalls } from './support';
import { PageState } from '../src/components/PageState';
import Checkin from '../src/pages/checkin/index';
import CouponCenter from '../src/pages/coupons/center/index';
import Home from '../src/pages/home/index';
import Item from '../src/pages/redeem/item/index';

beforeEach(() => {
  reset();
  state.storage.set('hy_dev_openid', 'oH5test000000000000000000000');
});

describe('PageState', () => {
  it('shows a skeleton first, then an error with a retry that works, then the page', () => {
    const retry = jest.fn();
    const { rerender, container } = render(
      <PageState loading error={null} onRetry={retry} hasData={false}>
        <span>内容</span>
      </PageState>,
    );
    expect(container.querySelector('[data-skeleton]')).not.toBeNull();
    rerender(
      <PageState loading={false} error="网络不太稳定，请稍后再试" onRetry={retry} hasData={false}>
        <span>内容</span>
      </PageState>,
    );
    expect(screen.getByText('网络不太稳定，请稍后再试')).toBeTruthy();
    fireEvent.click(screen.getByText('重新加载'));
    expect(retry).toHaveBeenCalledTimes(1);
    rerender(
      <PageState
        loading={false}
        error={null}
        onRetry={retry}
        hasData
        empty
        emptyText="还没有兑换记录"
      >
        <span>内容</span>
      </PageState>,
    );
    expect(screen.getByText('还没有兑换记录')).toBeTruthy();
    rerender(
      <PageState loading error="旧错误" onRetry={retry} hasData>
        <span>内容</span>
      </PageState>,
    );
    expect(screen.getByText('内容')).toBeTruthy(); // a reload keeps what is on screen
  });
});

function checkinMonth(checked: boolean, streak: number) {
  return {
    month: '2026-12',
    today: '2026-12-02',
    checkedToday: checked,
    streak,
    days: checked ? [{ date: '2026-12-02', kind: 'daily', points: 10 }] : [],
    nextReward: { cycleDay: checked ? 2 : 1, points: checked ? 20 : 10, badgeCode: null },
    ladder: {
      cycleDays: 3,
      rewards: [
        { points: 10, badgeCode: null },
        { points: 20, badgeCode: null },
        { points: 50, badgeCode: 'streak3' },
      ],
    },
    makeup: {
      enabled: true,
      costPoints: 50,
      cards: 0,
      remainingThisMonth: 2,
      allowedDates: ['2026-12-01'],
    },
    reminder: false,
  };
}

describe('check-in page', () => {
  it('checks in, shows the new streak, and asks for the reminder consent at that moment', async () => {
    let checked = false;
    let reminder = false;
    serve({
      ...login,
      'GET /api/checkins': () => ({ ...checkinMonth(checked, checked ? 1 : 0), reminder }),
      'GET /api/me/message-preferences': () => ({ reminders: true, marketingSms: false }),
      'POST /api/checkins': () => {
        checked = true;
        return {
          status: 201,
          data: {
            date: '2026-12-02',
            streak: 1,
            cycleDay: 1,
            points: 10,
            badges: [{ code: 'first', name: '初次签到', level: 1, artworkUrl: null }],
          },
        };
      },
      'POST /api/me/subscriptions': (req) => ({
        quotas: Object.keys((req.body as { results: object }).results).map((templateId) => ({
          templateId,
          remaining: 1,
          banned: false,
        })),
      }),
      'PUT /api/checkins/reminder': (req) => {
        reminder = (req.body as { enabled: boolean }).enabled;
        return { enabled: reminder };
      },
    });
    render(<Checkin />);
    fireEvent.click(await screen.findByText('签到领 10 积分'));
    expect(await screen.findByText('今日已签到')).toBeTruthy();
    expect(screen.getByTestId('streak').textContent).toBe('1');
    expect(screen.getByTestId('checkin-result').textContent).toContain('初次签到');
    fireEvent.click(screen.getByText('明天提醒我 ›'));
    await waitFor(() => expect(calls('PUT', '/api/checkins/reminder')).toHaveLength(1));
    expect(calls('POST', '/api/me/subscriptions')[0]!.body).toEqual({
      results: { tpl_checkin_reminder_0000000000000000000000: 'accept' },
    });
    expect(reminder).toBe(true);
  });

  it('declined consent reports the refusal and leaves the reminder off', async () => {
    serve({
      ...login,
      'GET /api/checkins': () => checkinMonth(false, 0),
      'GET /api/me/message-preferences': () => ({ reminders: true, marketingSms: false }),
      'POST /api/me/subscriptions': () => ({ quotas: [] }),
    });
    state.modalConfirm = false;
    render(<Checkin />);
    fireEvent.click(await screen.findByRole('switch'));
    await waitFor(() => expect(calls('POST', '/api/me/subscriptions')).toHaveLength(1));
    expect(calls('POST', '/api/me/subscriptions')[0]!.body).toEqual({
      results: { tpl_checkin_reminder_0000000000000000000000: 'reject' },
    });
    expect(calls('PUT', '/api/checkins/reminder')).toHaveLength(0);
  });

  it('shows the reminder as stored: off while reminder messages are off', async () => {
    let reminder = true;
    serve({
      ...login,
      'GET /api/checkins': () => ({ ...checkinMonth(true, 1), reminder }),
      'GET /api/me/message-preferences': () => ({ reminders: false, marketingSms: false }),
      'PUT /api/checkins/reminder': (req) => {
        reminder = (req.body as { enabled: boolean }).enabled;
        return { enabled: reminder };
      },
    });
    render(<Checkin />);
    const toggle = (await screen.findByRole('switch')) as HTMLInputElement;
    // Stored on, but reminder messages are off: no reminder would come, so the switch says off.
    expect(toggle.checked).toBe(false);
    expect(reminder).toBe(true);
  });

  it('turning the reminder off says so', async () => {
    serve({
      ...login,
      'GET /api/checkins': () => ({ ...checkinMonth(true, 1), reminder: true }),
      'GET /api/me/message-preferences': () => ({ reminders: true, marketingSms: false }),
      'PUT /api/checkins/reminder': () => ({ enabled: false }),
    });
    render(<Checkin />);
    const toggle = (await screen.findByRole('switch')) as HTMLInputElement;
    expect(toggle.checked).toBe(true);
    fireEvent.click(toggle);
    await waitFor(() => expect(calls('PUT', '/api/checkins/reminder')).toHaveLength(1));
    expect(calls('PUT', '/api/checkins/reminder')[0]!.body).toEqual({ enabled: false });
    await waitFor(() => expect(JSON.stringify(uiCalls('showToast'))).toContain('已关闭签到提醒'));
  });

  it('a makeup check-in says what it costs before it spends anything', async () => {
    serve({
      ...login,
      'GET /api/checkins': () => checkinMonth(true, 1),
      'GET /api/me/message-preferences': () => ({ reminders: true, marketingSms: false }),
    });
    state.modalConfirm = false;
    render(<Checkin />);
    fireEvent.click(await screen.findByText('补签'));
    await waitFor(() => expect(uiCalls('showModal')).toHaveLength(1));
    expect(JSON.stringify(uiCalls('showModal')[0]!.arg)).toContain('消耗 50 积分');
    expect(calls('POST', '/api/checkins/makeup')).toHaveLength(0);
  });
});

const item = {
  id: 3,
  name: '帆布袋',
  kind: 'virtual',
  couponTemplateId: null,
  pointsPrice: 500,
  cashPrice: 0,
  stock: 10,
  perMemberLimit: 2,
  availableFrom: null,
  availableTo: null,
  tiers: [],
  memberDayOnly: false,
  imageUrl: null,
  description: '',
  active: true,
};

describe('redeem page', () => {
  const base = (balance: number) => ({
    ...login,
    'GET /api/mall/items/3': () => item,
    'GET /api/me': () => card({ points: balance }),
    'GET /api/member-days/current': () => ({ current: null }),
  });

  it('says why it cannot redeem, and keeps the button off', async () => {
    serve(base(120));
    state.routerParams = { id: '3' };
    render(<Item />);
    expect(await screen.findByText('积分不足，还差 380 积分')).toBeTruthy();
    expect((screen.getByTestId('redeem-button') as HTMLButtonElement).disabled).toBe(true);
  });

  it('a retry after a lost answer sends the same request id, so it redeems once', async () => {
    let attempts = 0;
    serve({
      ...base(1200),
      'POST /api/mall/items/3/redeem': () => {
        attempts++;
        if (attempts === 1) throw new Error('connection reset');
        return {
          status: 201,
          data: {
            redemptionId: 41,
            itemId: 3,
            itemName: '帆布袋',
            quantity: 1,
            pointsSpent: 500,
            cashDue: 0,
            status: 'completed',
            payBefore: null,
            paymentParams: null,
            trackingNo: null,
            createdAt: '2026-12-02T10:00:00Z',
          },
        };
      },
    });
    state.routerParams = { id: '3' };
    render(<Item />);
    const button = await screen.findByTestId('redeem-button');
    fireEvent.click(button);
    await waitFor(() => expect(uiCalls('showToast')).toHaveLength(1));
    expect(JSON.stringify(uiCalls('showToast')[0]!.arg)).toContain('网络不太稳定');
    await waitFor(() =>
      expect((screen.getByTestId('redeem-button') as HTMLButtonElement).disabled).toBe(false),
    );
    fireEvent.click(screen.getByTestId('redeem-button'));
    await waitFor(() => expect(uiCalls('redirectTo')).toHaveLength(1));
    const [first, second] = calls('POST', '/api/mall/items/3/redeem');
    expect((first!.body as { requestId: string }).requestId).toBe(
      (second!.body as { requestId: string }).requestId,
    );
    expect(JSON.stringify(uiCalls('redirectTo')[0]!.arg)).toContain(
      '/pages/redeem/result/index?id=41&status=completed',
    );
  });
});

describe('points + cash', () => {
  it('goes through the payment step and lands on the result the server confirms', async () => {
    const redemption = (status: string) => ({
      redemptionId: 41,
      itemId: 3,
      itemName: '保温杯',
      quantity: 1,
      pointsSpent: 500,
      cashDue: 2990,
      status,
      payBefore: '2026-12-02T10:15:00Z',
      paymentParams:
        status === 'pending_payment'
          ? {
              appId: 'wxfake0000000000',
              timeStamp: '1',
              nonceStr: 'n',
              package: 'prepay_id=wx0000000000000001',
              signType: 'RSA',
              paySign: 'c2lnbmVk',
            }
          : null,
      trackingNo: null,
      createdAt: '2026-12-02T10:00:00Z',
    });
    serve({
      ...login,
      'GET /api/mall/items/3': () => ({ ...item, name: '保温杯', cashPrice: 2990 }),
      'GET /api/me': () => card(),
      'GET /api/member-days/current': () => ({ current: null }),
      'POST /api/mall/items/3/redeem': () => ({ status: 201, data: redemption('pending_payment') }),
      // The H5 build's stand-in cashier (the fake WeChat Pay behind the dev route).
      'POST /api/dev/wechat/pay': () => ({ ok: true }),
      'POST /api/mall/redemptions/41/pay': () => redemption('pending_shipment'),
    });
    state.routerParams = { id: '3' };
    render(<Item />);
    fireEvent.click(await screen.findByTestId('redeem-button'));
    await waitFor(() => expect(uiCalls('redirectTo')).toHaveLength(1));
    expect(uiCalls('showModal').map((c) => (c.arg as { title: string }).title)).toEqual([
      '确认兑换',
      '微信支付（开发环境模拟收银台）',
    ]);
    expect(calls('POST', '/api/dev/wechat/pay')).toHaveLength(1);
    expect(calls('POST', '/api/mall/redemptions/41/pay')).toHaveLength(1);
    expect(JSON.stringify(uiCalls('redirectTo')[0]!.arg)).toContain('status=pending_shipment');
  });
});

describe('member card home', () => {
  const routes = (c: ReturnType<typeof card>) => ({
    ...login,
    'GET /api/me': () => c,
    'GET /api/tiers': () => tiers,
    'GET /api/points/summary': () => pointsSummary(1200),
    'GET /api/member-days/current': () => ({ current: null }),
    'GET /api/member-days/next': () => ({
      next: {
        memberDayId: 1,
        name: '超级会员日',
        day: '2026-12-08',
        startsAt: '2026-12-08T02:00:00Z',
        endsAt: '2026-12-08T14:00:00Z',
        benefits: {
          pointsMultiplier: 2,
          checkinBonusPoints: 0,
          couponTemplateIds: [],
          mallItemIds: [],
        },
      },
    }),
  });

  it('invites a visitor to join instead of showing a card code', async () => {
    serve(routes(card({ cardNo: null, tier: null, stage: 'potential' })));
    render(<Home />);
    expect(await screen.findByText('免费开卡')).toBeTruthy();
    expect(screen.queryByText('出示会员码')).toBeNull();
    expect(screen.getByTestId('member-day').textContent).toContain('超级会员日');
  });

  it('shows the growth to the next tier and refreshes the card code every 60 s', async () => {
    jest.useFakeTimers();
    let n = 0;
    serve({
      ...routes(card()),
      'GET /api/me/card-code': () => ({
        code: `12345678901234${++n}`,
        expiresAt: '2026-12-02T10:01:00Z',
        refreshInSeconds: 60,
      }),
    });
    try {
      render(<Home />);
      await act(async () => {
        await jest.advanceTimersByTimeAsync(10);
      });
      expect(screen.getByTestId('points-balance').textContent).toBe('1,200');
      expect(screen.getByText(/再获得 350 成长值升级为金卡/)).toBeTruthy();
      fireEvent.click(screen.getByText('出示会员码'));
      await act(async () => {
        await jest.advanceTimersByTimeAsync(10);
      });
      expect(
        screen.getByTestId('card-code').querySelector('[data-code]')!.getAttribute('data-code'),
      ).toBe('123456789012341');
      await act(async () => {
        await jest.advanceTimersByTimeAsync(60_000);
      });
      expect(calls('GET', '/api/me/card-code')).toHaveLength(2);
      expect(
        screen.getByTestId('card-code').querySelector('[data-code]')!.getAttribute('data-code'),
      ).toBe('123456789012342');
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('claim center', () => {
  const claimable = (remaining: number) => ({
    id: 5,
    name: '满100减20',
    kind: 'cash',
    value: 2000,
    threshold: 10000,
    cap: null,
    giftName: null,
    validity: { kind: 'days', days: 30 },
    remaining,
    claimedByMe: 0,
    perMemberLimit: 1,
    canClaim: remaining > 0,
  });

  it('after a claim, offers the expiry reminder and reports the consent', async () => {
    let remaining = 10;
    serve({
      ...login,
      'GET /api/coupons/center': () => ({ items: [claimable(remaining)] }),
      'POST /api/coupons/claim': () => {
        remaining--;
        return {
          status: 201,
          data: {
            id: 77,
            code: 'ABCDEFGH23456789',
            templateId: 5,
            name: '满100减20',
            kind: 'cash',
            value: 2000,
            threshold: 10000,
            cap: null,
            giftName: null,
            status: 'available',
            validFrom: '2026-12-02T00:00:00Z',
            validTo: '2027-01-01T00:00:00Z',
            claimedAt: '2026-12-02T00:00:00Z',
            usedAt: null,
            usedStoreCode: null,
          },
        };
      },
      'POST /api/me/subscriptions': () => ({ quotas: [] }),
    });
    render(<CouponCenter />);
    fireEvent.click(await screen.findByText('立即领取'));
    await waitFor(() => expect(calls('POST', '/api/me/subscriptions')).toHaveLength(1));
    expect(calls('POST', '/api/coupons/claim')[0]!.body).toEqual({ templateId: 5 });
    expect(calls('POST', '/api/me/subscriptions')[0]!.body).toEqual({
      results: { tpl_coupon_expiring_00000000000000000000000: 'accept' },
    });
    expect(await screen.findByText(/剩余 9 张/)).toBeTruthy();
  });

  it('a claim refused by the server says why and shows the center as it is now', async () => {
    let soldOut = false;
    serve({
      ...login,
      'GET /api/coupons/center': () => ({ items: [claimable(soldOut ? 0 : 1)] }),
      'POST /api/coupons/claim': () => {
        soldOut = true;
        return {
          status: 409,
          data: { error: { code: 'CONFLICT', message: '来晚了，这张券已领完' } },
        };
      },
    });
    render(<CouponCenter />);
    fireEvent.click(await screen.findByText('立即领取'));
    expect(await screen.findByText('已领完')).toBeTruthy();
    expect(JSON.stringify(uiCalls('showToast')[0]!.arg)).toContain('来晚了，这张券已领完');
    expect(uiCalls('showModal')).toHaveLength(0);
  });
});
