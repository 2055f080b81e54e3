import { Module, type OnModuleInit } from '@nestjs/common';
import { JobScheduler } from '../../infra/jobs/job-scheduler.js';
import { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { PointsController } from './points.controller.js';
import { PointsJobs } from './points-jobs.js';
import { PointsReports } from './points-reports.js';
import { PointsService } from './points.service.js';
import { PointsLedgerRepository } from './points-ledger.repository.js';
import { PointsPersonalData } from './personal-data.js';
import { PointsSpends } from './points-spends.js';

/** The points ledger (PointsService), its scheduled jobs (PointsJobs) and its read-only reports (PointsReports). */
@Module({
  controllers: [PointsController],
  providers: [
    PointsPersonalData,
    PointsLedgerRepository,
    PointsService,
    PointsSpends,
    PointsJobs,
    PointsReports,
  ],
  exports: [PointsService, PointsSpends, PointsReports],
})
export class PointsModule implements OnModuleInit {
  constructor(
    private readonly points: PointsService,
    private readonly pointsJobs: PointsJobs,
    private readonly jobs: JobScheduler,
    private readonly uow: UnitOfWork,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.points.rules(); // warm the settings cache before any transaction needs it
    const run = (work: Parameters<UnitOfWork['run']>[0]) =>
      this.uow.run(work).then(() => undefined);
    this.jobs.register({
      name: 'points.release_pending',
      everyMs: 60_000,
      run: (asOf) => this.pointsJobs.releasePending(asOf, run),
    });
    this.jobs.register({
      name: 'points.expire',
      everyMs: 15 * 60_000,
      run: (asOf) => this.pointsJobs.expireLots(asOf, run),
    });
    this.jobs.register({
      name: 'points.expiry_notice',
      everyMs: 60 * 60_000,
      run: (asOf) => this.pointsJobs.expiryNotices(asOf, run),
    });
  }
}
