import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cardTheme,
  eventLabel,
  formatWindow,
  growthView,
  upgradeToCelebrate,
  welcomeGiftText,
} from '@huoyue/miniapp';

const ladder = ['normal', 'silver', 'gold', 'diamond'].map((code, rank) => ({
  code,
  name: code,
  rank,
  growthThreshold: rank * 1000,
  retentionGrowth: 0,
  validityMonths: 0,
  benefits: {
    pointsMultiplier: 1,
    birthdayCoupon: null,
    freeShipping: false,
    exclusiveItems: false,
    perks: [],
  },
}));

describe('the member app: joining, tiers and the data pages', () => {
  it('says what the welcome gift brings, in one line, or nothing', () => {
    assert.equal(
      welcomeGiftText({ points: 1200, coupon: { id: 1, name: '满50减10' } }),
      '1,200 积分 + 优惠券「满50减10」',
    );
    assert.equal(welcomeGiftText({ points: 0, coupon: { id: 1, name: '赠饮' } }), '优惠券「赠饮」');
    assert.equal(welcomeGiftText({ points: 0, coupon: null }), null);
  });

  it('gives each rung its card, a visitor the plain one, and a fifth rung the top card', () => {
    assert.equal(cardTheme(null, ladder), 'visitor');
    assert.equal(cardTheme('normal', ladder), 'normal');
    assert.equal(cardTheme('silver', ladder), 'silver');
    assert.equal(cardTheme('diamond', ladder), 'diamond');
    assert.equal(
      cardTheme('black', [...ladder, { ...ladder[3]!, code: 'black', rank: 4 }]),
      'diamond',
    );
  });

  it('celebrates a climb since the last card seen, not a first sight, a stay or a drop', () => {
    assert.equal(upgradeToCelebrate('normal', 'silver', ladder)?.code, 'silver');
    assert.equal(upgradeToCelebrate('normal', 'gold', ladder)?.code, 'gold');
    assert.equal(upgradeToCelebrate(null, 'silver', ladder), null);
    assert.equal(upgradeToCelebrate('silver', 'silver', ladder), null);
    assert.equal(upgradeToCelebrate('gold', 'silver', ladder), null);
  });

  it('invites a visitor instead of counting growth to the entry tier', () => {
    const view = growthView(
      {
        ladder,
        current: {
          code: null,
          since: null,
          expiresAt: null,
          growth: 0,
          growthThisPeriod: 0,
          toNext: { code: 'normal', name: '普通会员', growthNeeded: 0 },
          toKeep: null,
        },
      },
      false,
    );
    assert.equal(view.toNextLabel, '开通会员卡，即享积分与会员礼遇');
    assert.doesNotMatch(view.toNextLabel, /再获得 0/);
  });

  it('writes growth with thousands separators', () => {
    const view = growthView({
      ladder,
      current: {
        code: 'normal',
        since: null,
        expiresAt: null,
        growth: 1288,
        growthThisPeriod: 0,
        toNext: { code: 'silver', name: '银卡会员', growthNeeded: 3712 },
        toKeep: null,
      },
    });
    assert.equal(view.toNextLabel, '再获得 3,712 成长值升级为银卡会员');
  });

  it('reads a whole-day window as 全天 and a midnight end as 24:00 (in the device zone)', () => {
    const local = (h: number, day = 10) => new Date(2026, 11, day, h, 0).toISOString();
    assert.equal(formatWindow(local(0), local(0, 11)), '全天');
    assert.equal(formatWindow(local(19), local(0, 11)), '19:00-24:00');
    assert.equal(formatWindow(local(19), local(22)), '19:00-22:00');
  });

  it('names the export’s records in words', () => {
    assert.equal(eventLabel('checkin'), '签到');
    assert.equal(eventLabel('something_new'), '其他记录');
  });
});
