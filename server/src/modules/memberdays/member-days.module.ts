import { Module, type OnModuleInit } from '@nestjs/common';
import { JobScheduler } from '../../infra/jobs/job-scheduler.js';
import { CheckinsModule } from '../checkins/checkins.module.js';
import { CouponsModule } from '../coupons/coupons.module.js';
import { CouponsService } from '../coupons/index.js';
import { EngagementModule } from '../engagement/engagement.module.js';
import { CheckinsService } from '../checkins/index.js';
import { MallModule } from '../mall/mall.module.js';
import { MallService } from '../mall/index.js';
import { PointsModule } from '../points/points.module.js';
import { PointsService } from '../points/index.js';
import { MemberDaysController } from './member-days.controller.js';
import { MemberDayExclusives } from './member-day-exclusives.js';
import { MemberDayReports } from './member-day-report.js';
import { MemberDaysListener } from './member-days.listener.js';
import { MemberDaysService } from './member-days.service.js';
import { MemberDaysPersonalData } from './personal-data.js';

/** Member days (会员日): recurring windows with a points multiplier, check-in bonus and exclusives. */
@Module({
  imports: [PointsModule, CheckinsModule, MallModule, CouponsModule, EngagementModule],
  controllers: [MemberDaysController],
  providers: [
    MemberDaysPersonalData,
    MemberDaysService,
    MemberDayReports,
    MemberDayExclusives,
    MemberDaysListener,
  ],
  exports: [MemberDaysService],
})
export class MemberDaysModule implements OnModuleInit {
  constructor(
    private readonly jobs: JobScheduler,
    private readonly days: MemberDaysService,
    private readonly points: PointsService,
    private readonly checkins: CheckinsService,
    private readonly mall: MallService,
    private readonly coupons: CouponsService,
    private readonly exclusives: MemberDayExclusives,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.days.list(); // warm the cache the bonus providers read on every order and check-in
    // The points and check-in modules ask through their bonus providers, so neither depends on this module.
    this.points.addBonusProvider(({ memberId, paidAt }) => this.days.orderBonus(memberId, paidAt));
    this.checkins.addBonusProvider(({ memberId }) => this.days.checkinBonus(memberId));
    // The mall and the claim center ask who may see and take a member day's exclusives; items marked
    // member-day-only (and listed by none) are redeemable while any of the member's member days is on.
    this.mall.setMemberDayGate({
      refusal: async (memberId, item, at, profile) => {
        const reason = await this.exclusives.refusal('mallItemIds', memberId, item.id, at, profile);
        if (reason || !item.memberDayOnly) return reason;
        if (await this.exclusives.isListed('mallItemIds', item.id)) return null;
        const on = (await this.days.activeFor(memberId, at, profile)).length > 0;
        return on ? null : '该商品仅在会员日开放兑换';
      },
      exclusives: (memberId) => this.exclusives.forMember('mallItemIds', memberId),
    });
    this.coupons.setClaimGate({
      refusal: (memberId, templateId, at, profile) =>
        this.exclusives.refusal('couponTemplateIds', memberId, templateId, at, profile),
      exclusives: (memberId) => this.exclusives.forMember('couponTemplateIds', memberId),
    });
    this.jobs.register({
      name: 'member_days.tick',
      everyMs: 60_000,
      run: (asOf) => this.days.tick(asOf),
    });
  }
}
