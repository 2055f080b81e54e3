import { Module, type OnModuleInit } from '@nestjs/common';
import { JobScheduler } from '../../infra/jobs/job-scheduler.js';
import { PointsLiabilityController } from './liability/liability.controller.js';
import { PointsLiabilityService } from './liability/liability.service.js';
import { PointsController } from './points.controller.js';
import { PointsJobs } from './points-jobs.js';
import { PointsReports } from './points-reports.js';
import { PointsService } from './points.service.js';
import { PointsLedgerRepository } from './points-ledger.repository.js';
import { PointsPersonalData } from './personal-data.js';
import { PointsSpends } from './points-spends.js';

/** The points ledger (PointsService), its scheduled jobs (PointsJobs) and its read-only reports (PointsReports). */
@Module({
  controllers: [PointsController, PointsLiabilityController],
  providers: [
    PointsPersonalData,
    PointsLedgerRepository,
    PointsService,
    PointsSpends,
    PointsJobs,
    PointsReports,
    PointsLiabilityService,
  ],
  exports: [PointsService, PointsSpends, PointsReports],
})
export class PointsModule implements OnModuleInit {
  constructor(
    private readonly points: PointsService,
    private readonly pointsJobs: PointsJobs,
    private readonly jobs: JobScheduler,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.points.rules(); // warm the settings cache before any transaction needs it
    this.jobs.register({
      name: 'points.release_pending',
      everyMs: 60_000,
      run: (asOf) => this.pointsJobs.releasePending(asOf),
    });
    this.jobs.register({
      name: 'points.expire',
      everyMs: 15 * 60_000,
      run: (asOf) => this.pointsJobs.expireLots(asOf),
    });
    this.jobs.register({
      name: 'points.expiry_notice',
      everyMs: 60 * 60_000,
      run: (asOf) => this.pointsJobs.expiryNotices(asOf),
    });
  }
}
