import { couponTemplateInput, mallItemInput, memberDayBody } from '@huoyue/shared';
import type { StaffPrincipal } from '../infra/auth/token.service.js';
import type { CouponsService } from '../modules/coupons/index.js';
import type { MallService } from '../modules/mall/index.js';
import type { MemberDaysService } from '../modules/memberdays/index.js';
import type { StaffService } from '../modules/staff/index.js';

interface Services {
  staff: StaffService;
  coupons: CouponsService;
  mall: MallService;
  memberDays: MemberDaysService;
}

/**
 * What the demo brand sells and gives away, created through the modules' own services (as the console would), so
 * a newcomer's member app has coupons to claim, a mall to browse and a weekly member day.
 */
export async function seedDemoCatalogue(services: Services): Promise<void> {
  const actor = await ownerActor(services.staff);
  const { memberDayCoupon, voucher } = await seedDemoCoupons(services, actor);
  const { exclusive } = await seedDemoMallItems(services, actor, voucher.id);
  await seedDemoMemberDay(services, actor, memberDayCoupon.id, exclusive.id);
}

/** The brand owner, acting as the console would. */
async function ownerActor(staff: StaffService): Promise<StaffPrincipal> {
  const owner = (await staff.list()).find((s) => s.role === 'owner');
  if (!owner) throw new Error('the demo catalogue needs the first owner account');
  const actor: StaffPrincipal = {
    kind: 'staff',
    staffId: owner.id,
    username: owner.username,
    role: 'owner',
    storeCode: null,
  };
  return actor;
}

async function seedDemoCoupons(services: Services, actor: StaffPrincipal) {
  const coupon = (input: Record<string, unknown>) =>
    services.coupons.createTemplate(actor, couponTemplateInput.parse(input));
  await coupon({
    name: '新人满50减10',
    kind: 'cash',
    value: 1000,
    threshold: 5000,
    validity: { kind: 'days', days: 30 },
    channels: ['center'],
  });
  await coupon({
    name: '全场9折券',
    kind: 'percent',
    value: 10,
    cap: 3000,
    validity: { kind: 'days', days: 14 },
    channels: ['center'],
    perMemberLimit: 2,
  });
  const memberDayCoupon = await coupon({
    name: '会员日满100减30',
    kind: 'cash',
    value: 3000,
    threshold: 10_000,
    validity: { kind: 'days', days: 7 },
    channels: ['center'],
    totalQuantity: 500,
  });
  const voucher = await coupon({
    name: '20元代金券',
    kind: 'cash',
    value: 2000,
    validity: { kind: 'days', days: 60 },
    channels: ['mall'],
  });
  return { memberDayCoupon, voucher };
}

async function seedDemoMallItems(services: Services, actor: StaffPrincipal, voucherId: number) {
  const item = (input: Record<string, unknown>) =>
    services.mall.createItem(actor, mallItemInput.parse(input));
  await item({
    name: '中杯咖啡兑换券',
    kind: 'virtual',
    pointsPrice: 300,
    stock: 1000,
    perMemberLimit: 5,
    description: '任意门店兑换中杯咖啡一杯，兑换后在“我的兑换”查看。',
  });
  await item({
    name: '20元代金券',
    kind: 'coupon',
    couponTemplateId: voucherId,
    pointsPrice: 1500,
    stock: 500,
    perMemberLimit: 3,
    description: '兑换后放入券包，全场无门槛使用。',
  });
  await item({
    name: '品牌帆布袋',
    kind: 'physical',
    pointsPrice: 800,
    stock: 200,
    description: '加厚帆布，可装 A4 文件。包邮到家。',
  });
  await item({
    name: '限量保温杯',
    kind: 'physical',
    pointsPrice: 1200,
    cashPrice: 2990,
    stock: 50,
    description: '316 不锈钢内胆，500 ml。积分 + 现金兑换。',
  });
  const exclusive = await item({
    name: '会员日专享香薰',
    kind: 'physical',
    pointsPrice: 600,
    stock: 30,
    memberDayOnly: true,
    description: '仅会员日可兑换。',
  });
  await item({
    name: '金卡专享礼盒',
    kind: 'physical',
    pointsPrice: 2000,
    stock: 20,
    tiers: ['gold', 'diamond'],
    description: '金卡及以上会员专享。',
  });
  return { exclusive };
}

async function seedDemoMemberDay(
  services: Services,
  actor: StaffPrincipal,
  memberDayCouponId: number,
  exclusiveItemId: number,
): Promise<void> {
  await services.memberDays.save(
    actor,
    memberDayBody.parse({
      name: '周三会员日',
      schedule: { kind: 'weekly', weekday: 3 },
      startTime: '00:00',
      endTime: '24:00',
      benefits: {
        pointsMultiplier: 2,
        checkinBonusPoints: 10,
        couponTemplateIds: [memberDayCouponId],
        mallItemIds: [exclusiveItemId],
      },
    }),
  );
}
