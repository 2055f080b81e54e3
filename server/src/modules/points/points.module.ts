import { Module, type OnModuleInit } from '@nestjs/common';
import { JobScheduler } from '../../infra/jobs/job-scheduler.js';
import { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { PointsController } from './points.controller.js';
import { PointsService } from './points.service.js';

@Module({ controllers: [PointsController], providers: [PointsService], exports: [PointsService] })
export class PointsModule implements OnModuleInit {
  constructor(
    private readonly points: PointsService,
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
      run: (asOf) => this.points.releasePending(asOf, run),
    });
    this.jobs.register({
      name: 'points.expire',
      everyMs: 15 * 60_000,
      run: (asOf) => this.points.expireLots(asOf, run),
    });
    this.jobs.register({
      name: 'points.expiry_notice',
      everyMs: 60 * 60_000,
      run: (asOf) => this.points.expiryNotices(asOf, run),
    });
  }
}
