/**
 * The ladder a new brand starts with (written once, on an empty tier table): staff rename, re-price or extend it
 * in the console.
 */
export const DEFAULT_TIERS = [
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
      perks: ['签到领积分', '会员日专属优惠'],
    },
  },
  {
    code: 'silver',
    name: '银卡会员',
    rank: 1,
    growthThreshold: 1000,
    retentionGrowth: 500,
    validityMonths: 12,
    benefits: {
      pointsMultiplier: 1.2,
      birthdayCoupon: '银卡生日券',
      freeShipping: false,
      exclusiveItems: false,
      perks: ['会员日额外 9 折'],
    },
  },
  {
    code: 'gold',
    name: '金卡会员',
    rank: 2,
    growthThreshold: 5000,
    retentionGrowth: 2500,
    validityMonths: 12,
    benefits: {
      pointsMultiplier: 1.5,
      birthdayCoupon: '金卡生日券',
      freeShipping: true,
      exclusiveItems: true,
      perks: ['新品优先购', '会员日额外 85 折'],
    },
  },
  {
    code: 'diamond',
    name: '钻石会员',
    rank: 3,
    growthThreshold: 20000,
    retentionGrowth: 10000,
    validityMonths: 12,
    benefits: {
      pointsMultiplier: 2,
      birthdayCoupon: '钻石生日券',
      freeShipping: true,
      exclusiveItems: true,
      perks: ['专属客服', '新品优先购', '年度生日礼盒'],
    },
  },
];
