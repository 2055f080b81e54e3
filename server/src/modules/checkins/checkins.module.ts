import { Module, type OnModuleInit } from '@nestjs/common';
import { BadgesModule } from '../badges/badges.module.js';
import { EngagementModule } from '../engagement/engagement.module.js';
import { PointsModule } from '../points/points.module.js';
import { CheckinsController } from './checkins.controller.js';
import { CheckinsService } from './checkins.service.js';

/** Daily check-ins, streaks, the reward ladder, makeup check-ins and anti-farming limits. */
@Module({
  imports: [PointsModule, EngagementModule, BadgesModule],
  controllers: [CheckinsController],
  providers: [CheckinsService],
  exports: [CheckinsService],
})
export class CheckinsModule implements OnModuleInit {
  constructor(private readonly checkins: CheckinsService) {}

  async onModuleInit(): Promise<void> {
    await this.checkins.rules(); // warm the settings cache before any transaction needs it
  }
}
