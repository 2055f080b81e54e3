import { Module, type OnModuleInit } from '@nestjs/common';
import { JobScheduler } from '../../infra/jobs/job-scheduler.js';
import { CheckinsModule } from '../checkins/checkins.module.js';
import { CouponsModule } from '../coupons/coupons.module.js';
import { MemberDaysModule } from '../memberdays/member-days.module.js';
import { MembersModule } from '../members/members.module.js';
import { LifecycleModule } from '../lifecycle/lifecycle.module.js';
import { MessagingModule } from '../messaging/messaging.module.js';
import { PointsModule } from '../points/points.module.js';
import { AutomationReports } from './automation-report.service.js';
import { AutomationsAdmin } from './automations-admin.service.js';
import { CampaignsController } from './campaigns.controller.js';
import { CampaignsListener } from './campaigns.listener.js';
import { CampaignsService } from './campaigns.service.js';
import { CampaignsPersonalData } from './personal-data.js';

/** Automations (journeys) with control groups, the ready-made playbooks, and the uplift report. */
@Module({
  imports: [
    MessagingModule,
    CouponsModule,
    PointsModule,
    LifecycleModule,
    CheckinsModule,
    MemberDaysModule,
    MembersModule,
  ],
  controllers: [CampaignsController],
  providers: [
    CampaignsPersonalData,
    CampaignsService,
    AutomationsAdmin,
    AutomationReports,
    CampaignsListener,
  ],
  exports: [CampaignsService],
})
export class CampaignsModule implements OnModuleInit {
  constructor(
    private readonly jobs: JobScheduler,
    private readonly campaigns: CampaignsService,
  ) {}

  onModuleInit(): void {
    // Idempotent (the dedupe window): hourly runs enrol each birthday or 7th day once.
    this.jobs.register({
      name: 'automations.daily',
      everyMs: 60 * 60_000,
      run: (asOf) => this.campaigns.daily(asOf),
    });
  }
}
