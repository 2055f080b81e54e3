import { Module, type OnModuleInit } from '@nestjs/common';
import { JobScheduler } from '../../infra/jobs/job-scheduler.js';
import { CheckinsModule } from '../checkins/checkins.module.js';
import { EngagementModule } from '../engagement/engagement.module.js';
import { CheckinsService } from '../checkins/index.js';
import { MallModule } from '../mall/mall.module.js';
import { MallService } from '../mall/index.js';
import { PointsModule } from '../points/points.module.js';
import { PointsService } from '../points/index.js';
import { MemberDaysController } from './member-days.controller.js';
import { MemberDaysListener } from './member-days.listener.js';
import { MemberDaysService } from './member-days.service.js';

/** Member days (会员日): recurring windows with a points multiplier, check-in bonus and exclusives. */
@Module({
  imports: [PointsModule, CheckinsModule, MallModule, EngagementModule],
  controllers: [MemberDaysController],
  providers: [MemberDaysService, MemberDaysListener],
  exports: [MemberDaysService],
})
export class MemberDaysModule implements OnModuleInit {
  constructor(
    private readonly jobs: JobScheduler,
    private readonly days: MemberDaysService,
    private readonly points: PointsService,
    private readonly checkins: CheckinsService,
    private readonly mall: MallService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.days.list(); // warm the cache the bonus providers read on every order and check-in
    // The points and check-in modules ask through their bonus providers, so neither depends on this module.
    this.points.addBonusProvider(({ memberId, paidAt }) => this.days.orderBonus(memberId, paidAt));
    this.checkins.addBonusProvider(({ memberId }) => this.days.checkinBonus(memberId));
    // Member-day-only items in the mall: redeemable while one of the member's member days is on.
    this.mall.setMemberDayCheck(
      async (memberId, at) => (await this.days.activeFor(memberId, at)).length > 0,
    );
    this.jobs.register({
      name: 'member_days.tick',
      everyMs: 60_000,
      run: (asOf) => this.days.tick(asOf),
    });
  }
}
