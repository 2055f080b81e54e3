import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  asciiBase64,
  barcodeSvg,
  benefitLines,
  claimLabel,
  classifyScan,
  code128Bars,
  couponCondition,
  couponFace,
  filterItems,
  formatCardNo,
  formatYuan,
  growthView,
  LandingReporter,
  ladderSteps,
  ledgerLabel,
  monthGrid,
  newRequestId,
  parseSubscribeTemplates,
  priceLabel,
  qrSvg,
  redeemBlocker,
  shiftMonth,
  subscribeResults,
  svgDataUrl,
  trackingToken,
  DEFAULT_SUBSCRIBE_TEMPLATES,
  type MallItem,
} from '@huoyue/miniapp';

describe('mini-program logic: codes the clerk scans', () => {
  it('Code 128 bars start with the Start C symbol, end with the stop pattern, and carry the checksum', () => {
    const bars = code128Bars('1234567890123456');
    assert.ok(bars.startsWith('11010011100'), 'Start C for an even run of digits');
    assert.ok(bars.endsWith('1100011101011'), 'stop pattern');
    // Start + 8 digit pairs + checksum, 11 modules each, plus 13 for the stop.
    assert.equal(bars.length, (1 + 8 + 1) * 11 + 13);
    assert.throws(() => code128Bars('中文'), /cannot encode/);
    const svg = barcodeSvg('1234567890123456');
    assert.match(svg, /viewBox="0 0 143 40"/); // 123 modules + 2 × 10 quiet zone
  });

  it('QR codes grow with the text and keep their three finder patterns', () => {
    const small = qrSvg('1234567890');
    const big = qrSvg('X'.repeat(120));
    const size = (svg: string) => Number(/viewBox="0 0 (\d+)/.exec(svg)![1]);
    assert.equal(size(small), 21 + 4, 'version 1 is 21 modules, plus a 2-module margin');
    assert.ok(size(big) > size(small));
    // The top-left finder: a dark 7-module ring starting at the margin.
    assert.ok(
      small.includes('M2 2h1v1h-1z') &&
        small.includes('M8 2h1v1h-1z') &&
        small.includes('M2 8h1v1h-1z'),
    );
  });

  it('base64 without btoa or Buffer gives what Buffer gives, and refuses non-ASCII', () => {
    for (const s of ['', 'a', 'ab', 'abc', 'abcd', '<svg viewBox="0 0 1 1"/>'])
      assert.equal(asciiBase64(s), Buffer.from(s).toString('base64'));
    assert.throws(() => asciiBase64('积分'), /not ASCII/);
    assert.ok(svgDataUrl('<svg/>').startsWith('data:image/svg+xml;base64,'));
  });
});

describe('mini-program logic: check-in calendar and ladder', () => {
  const month = {
    month: '2026-12',
    today: '2026-12-10',
    checkedToday: true,
    streak: 2,
    days: [
      { date: '2026-12-09', kind: 'daily' as const, points: 10 },
      { date: '2026-12-10', kind: 'daily' as const, points: 20 },
      { date: '2026-12-05', kind: 'makeup' as const, points: 10 },
    ],
    nextReward: { cycleDay: 3, points: 50, badgeCode: 'streak3' },
    ladder: {
      cycleDays: 4,
      rewards: [
        { points: 10, badgeCode: null },
        { points: 20, badgeCode: null },
        { points: 50, badgeCode: 'streak3' },
        { points: 10, badgeCode: null },
      ],
    },
    makeup: {
      enabled: true,
      costPoints: 50,
      cards: 0,
      remainingThisMonth: 2,
      allowedDates: ['2026-12-08', '2026-12-09'],
    },
    reminder: false,
  };

  it('lays the month out from Monday with the marks, today and the days a makeup may fill', () => {
    const weeks = monthGrid(month);
    assert.equal(weeks.length, 5); // 1 Dec 2026 is a Tuesday: one blank, 31 days, padded to 35
    assert.equal(weeks[0]![0], null);
    assert.equal(weeks[0]![1]!.date, '2026-12-01');
    const cells = weeks.flat().filter((c) => c !== null);
    assert.equal(cells.length, 31);
    const byDate = new Map(cells.map((c) => [c.date, c]));
    assert.equal(byDate.get('2026-12-05')!.mark, 'makeup');
    assert.equal(byDate.get('2026-12-10')!.today, true);
    assert.equal(byDate.get('2026-12-08')!.canMakeup, true);
    assert.equal(byDate.get('2026-12-09')!.canMakeup, false, 'already checked in');
    assert.equal(byDate.get('2026-12-11')!.future, true);
  });

  it('marks the steps taken this cycle and the next reward', () => {
    assert.deepEqual(
      ladderSteps(month).map((s) => s.state),
      ['done', 'done', 'next', 'later'],
    );
    assert.equal(shiftMonth('2026-01', -1), '2025-12');
    assert.equal(shiftMonth('2026-12', 1), '2027-01');
  });
});

describe('mini-program logic: mall', () => {
  const item = (over: Partial<MallItem> = {}): MallItem => ({
    id: 1,
    name: '帆布袋',
    kind: 'physical',
    couponTemplateId: null,
    pointsPrice: 500,
    cashPrice: 0,
    stock: 5,
    perMemberLimit: 2,
    availableFrom: null,
    availableTo: null,
    tiers: [],
    memberDayOnly: false,
    imageUrl: null,
    description: '',
    stores: [],
    voucherDays: 30,
    active: true,
    couponTemplate: null,
    unavailableReason: null,
    redeemedCount: 0,
    ...over,
  });
  const me = { balance: 800, tierCode: 'silver' };

  it('filters by what I can afford, member-day items and my tier', () => {
    const items = [
      item({ id: 1 }),
      item({ id: 2, pointsPrice: 900 }),
      item({ id: 3, memberDayOnly: true }),
      item({ id: 4, tiers: ['gold'] }),
      item({ id: 5, tiers: ['silver'] }),
      item({ id: 6, stock: 0 }),
    ];
    assert.deepEqual(
      filterItems(items, 'affordable', me).map((i) => i.id),
      [1, 5],
      'on an ordinary day: not the member-day item, not the gold-only one, not the one out of stock',
    );
    assert.deepEqual(
      filterItems(items, 'affordable', { ...me, memberDayNow: true }).map((i) => i.id),
      [1, 3, 5],
      'while my member day is on, its item is affordable too',
    );
    assert.deepEqual(
      filterItems(items, 'memberDay', me).map((i) => i.id),
      [3],
    );
    assert.deepEqual(
      filterItems(items, 'myTier', me).map((i) => i.id),
      [5],
    );
    assert.equal(filterItems(items, 'all', me).length, 6);
  });

  it('says why an item cannot be redeemed, in order of what the member can do about it', () => {
    assert.equal(redeemBlocker(item(), me, 1, false), null);
    assert.equal(redeemBlocker(item({ active: false }), me, 1, false), '该商品已下架');
    assert.equal(redeemBlocker(item({ stock: 0 }), me, 1, false), '已兑完，下次早点来');
    assert.equal(redeemBlocker(item({ stock: 1 }), me, 2, false), '库存仅剩 1 件');
    assert.equal(redeemBlocker(item({ tiers: ['gold'] }), me, 1, false), '您的会员等级暂不可兑换');
    assert.equal(redeemBlocker(item({ memberDayOnly: true }), me, 1, false), '仅限会员日兑换');
    assert.equal(redeemBlocker(item({ memberDayOnly: true }), me, 1, true), null);
    assert.equal(redeemBlocker(item(), me, 2, false), '积分不足，还差 200 积分');
  });

  it('prices points, cash and both; request ids are unique per tap', () => {
    assert.equal(priceLabel({ pointsPrice: 1200, cashPrice: 0 }), '1,200 积分');
    assert.equal(priceLabel({ pointsPrice: 600, cashPrice: 1990 }), '600 积分 + ¥19.90');
    assert.equal(priceLabel({ pointsPrice: 0, cashPrice: 500 }), '¥5');
    const ids = new Set(Array.from({ length: 1000 }, () => newRequestId()));
    assert.equal(ids.size, 1000);
    assert.match(newRequestId(), /^[a-z0-9]{8,64}$/);
  });
});

describe('mini-program logic: coupons, card, points, tiers', () => {
  const face = { kind: 'percent' as const, value: 15, threshold: 10000, cap: 3000, giftName: null };
  it('shows coupons the way shoppers read them', () => {
    assert.equal(couponFace(face), '8.5折');
    assert.equal(couponFace({ ...face, value: 20 }), '8折');
    assert.equal(couponFace({ ...face, kind: 'cash', value: 2000 }), '¥20');
    assert.equal(couponCondition(face), '满 ¥100 可用 · 最多减 ¥30');
    assert.equal(
      couponCondition({ ...face, kind: 'gift', giftName: '帆布袋', threshold: 0 }),
      '赠 帆布袋 · 无门槛',
    );
    const claimable = {
      id: 1,
      name: 'x',
      kind: 'cash' as const,
      value: 1,
      threshold: 0,
      cap: null,
      giftName: null,
      validity: { kind: 'days' as const, days: 7 },
      perMemberLimit: 1,
    };
    assert.equal(
      claimLabel({ ...claimable, remaining: 10, claimedByMe: 0, canClaim: true }),
      '立即领取',
    );
    assert.equal(
      claimLabel({ ...claimable, remaining: 0, claimedByMe: 0, canClaim: false }),
      '已领完',
    );
    assert.equal(
      claimLabel({ ...claimable, remaining: 10, claimedByMe: 1, canClaim: false }),
      '已领取',
    );
  });

  it('places the growth bar between this tier and the next', () => {
    const ladder = [0, 500, 1000].map((g, i) => ({
      code: `t${i}`,
      name: `T${i}`,
      rank: i,
      growthThreshold: g,
      retentionGrowth: 100,
      validityMonths: 12,
      benefits: {
        pointsMultiplier: 1,
        birthdayCoupon: null,
        freeShipping: false,
        exclusiveItems: false,
        perks: [],
      },
    }));
    const view = growthView({
      ladder,
      current: {
        code: 't1',
        since: null,
        expiresAt: '2027-03-01T00:00:00Z',
        growth: 750,
        growthThisPeriod: 20,
        toNext: { code: 't2', name: 'T2', growthNeeded: 250 },
        toKeep: 80,
      },
    });
    assert.equal(view.percent, 50);
    assert.equal(view.toNextLabel, '再获得 250 成长值升级为T2');
    assert.equal(view.keepLabel, '2027-03-01 前再获得 80 成长值可保级');
    const top = growthView({
      ladder,
      current: {
        code: 't2',
        since: null,
        expiresAt: null,
        growth: 5000,
        growthThisPeriod: 0,
        toNext: null,
        toKeep: null,
      },
    });
    assert.equal(top.percent, 100);
    assert.equal(top.keepLabel, null);
    assert.deepEqual(
      benefitLines({
        ...ladder[2]!,
        benefits: {
          pointsMultiplier: 1.5,
          birthdayCoupon: '生日券',
          freeShipping: true,
          exclusiveItems: false,
          perks: ['专属客服'],
        },
      }),
      [
        '消费积分 1.5 倍',
        '生日礼券：生日券',
        '兑换商品包邮',
        '专属客服',
        '有效期 12 个月，期内获得 100 成长值可保级',
      ],
    );
  });

  it('names points history lines in the member words', () => {
    assert.equal(ledgerLabel({ type: 'reward', sourceType: 'checkin', reason: null }), '签到奖励');
    assert.equal(ledgerLabel({ type: 'spend', sourceType: 'mall', reason: null }), '积分商城兑换');
    assert.equal(
      ledgerLabel({ type: 'refund', sourceType: 'mall', reason: null }),
      '兑换取消，积分退回',
    );
    assert.equal(
      ledgerLabel({ type: 'adjust', sourceType: 'staff', reason: '补偿' }),
      '积分调整（补偿）',
    );
    assert.equal(ledgerLabel({ type: 'expire', sourceType: 'expiry', reason: null }), '积分过期');
    assert.equal(formatYuan(1990), '¥19.90');
    assert.equal(formatCardNo('880000000007'), '8800 0000 0007');
    assert.equal(formatCardNo(null), '未开卡');
  });
});

describe('mini-program logic: landings, subscriptions, clerk scans', () => {
  it('takes only well-formed tracking tokens and reports each once, retrying after a failure', async () => {
    assert.equal(trackingToken({ hy_m: 'abcDEF12_-' }), 'abcDEF12_-');
    assert.equal(trackingToken({ hy_m: 'short' }), null);
    assert.equal(trackingToken({ hy_m: '<script>alert(1)</script>' }), null);
    assert.equal(trackingToken({}), null);
    const reported: string[] = [];
    let fail = true;
    const reporter = new LandingReporter(async (t) => {
      if (fail) throw new Error('offline');
      reported.push(t);
    });
    assert.equal(await reporter.handle({ hy_m: 'token12345' }), false);
    fail = false;
    assert.equal(await reporter.handle({ hy_m: 'token12345' }), true);
    assert.equal(await reporter.handle({ hy_m: 'token12345' }), false);
    assert.deepEqual(reported, ['token12345']);
  });

  it('keeps only the answers WeChat documents for the templates asked about', () => {
    assert.deepEqual(
      subscribeResults(['a', 'b', 'c'], {
        errMsg: 'requestSubscribeMessage:ok',
        a: 'accept',
        b: 'reject',
        c: 'weird',
        d: 'accept',
      }),
      { a: 'accept', b: 'reject' },
    );
    assert.deepEqual(parseSubscribeTemplates(undefined), DEFAULT_SUBSCRIBE_TEMPLATES);
    assert.deepEqual(parseSubscribeTemplates('not json'), DEFAULT_SUBSCRIBE_TEMPLATES);
    assert.deepEqual(parseSubscribeTemplates('{"checkin":["x"],"coupon":[1]}').checkin, ['x']);
    assert.deepEqual(
      parseSubscribeTemplates('{"checkin":["x"],"coupon":[1]}').coupon,
      DEFAULT_SUBSCRIBE_TEMPLATES.coupon,
    );
  });

  it('tells a card code from a coupon code', () => {
    assert.deepEqual(classifyScan(' 1234 5678 9012 3456 '), {
      kind: 'card',
      code: '1234567890123456',
    });
    assert.deepEqual(classifyScan('abcd2345efgh6789'), {
      kind: 'coupon',
      code: 'ABCD2345EFGH6789',
    });
    assert.equal(classifyScan('https://example.com').kind, 'invalid');
  });
});
