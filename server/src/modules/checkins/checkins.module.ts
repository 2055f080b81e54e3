import { Module, type OnModuleInit } from '@nestjs/common';
import { JobScheduler } from '../../infra/jobs/job-scheduler.js';
import { BadgesModule } from '../badges/badges.module.js';
import { BadgesService } from '../badges/index.js';
import { EngagementModule } from '../engagement/engagement.module.js';
import { PointsModule } from '../points/points.module.js';
import { CheckinsController } from './checkins.controller.js';
import { CheckinsService } from './checkins.service.js';
import { DailyCheckins } from './daily-checkin.js';
import { CheckinsPersonalData } from './personal-data.js';

/** Daily check-ins, streaks, the reward ladder, makeup check-ins and anti-farming limits. */
@Module({
  imports: [PointsModule, EngagementModule, BadgesModule],
  controllers: [CheckinsController],
  providers: [CheckinsPersonalData, CheckinsService, DailyCheckins],
  exports: [CheckinsService],
})
export class CheckinsModule implements OnModuleInit {
  constructor(
    private readonly checkins: CheckinsService,
    private readonly badges: BadgesService,
    private readonly jobs: JobScheduler,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.checkins.rules(); // warm the settings cache before any transaction needs it
    this.jobs.register({
      name: 'checkins.prune_limits',
      everyMs: 6 * 3_600_000,
      run: (asOf) => this.checkins.pruneLimits(asOf),
    });
    // A badge the reward ladder awards cannot be deleted from under it.
    this.badges.addUsageCheck(async (code) => {
      const day = (await this.checkins.rules()).rewards.findIndex((r) => r.badgeCode === code);
      return day < 0 ? null : `签到奖励第 ${day + 1} 天会发放这枚勋章`;
    });
  }
}
