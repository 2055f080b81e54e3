import { Module } from '@nestjs/common';
import { EngagementModule } from '../engagement/engagement.module.js';
import { PointsModule } from '../points/points.module.js';
import { StaffModule } from '../staff/staff.module.js';
import { DashboardController } from './dashboard.controller.js';
import { HealthController } from './health.controller.js';
import { OpsController } from './ops.controller.js';

/** Health, owner operations (run a job now, integration keys) and the dashboard's daily series. */
@Module({
  imports: [EngagementModule, PointsModule, StaffModule],
  controllers: [HealthController, OpsController, DashboardController],
})
export class SystemModule {}
