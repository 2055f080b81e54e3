import { Module, type OnModuleInit } from '@nestjs/common';
import { JobScheduler } from '../../infra/jobs/job-scheduler.js';
import { MembersModule } from '../members/members.module.js';
import { OrdersModule } from '../orders/orders.module.js';
import { PointsModule } from '../points/points.module.js';
import { ImportsController } from './imports.controller.js';
import { ImportsService } from './imports.service.js';

/** CSV imports of order history and members from an old CRM or POS, processed in the background in batches. */
@Module({
  imports: [MembersModule, OrdersModule, PointsModule],
  controllers: [ImportsController],
  providers: [ImportsService],
  exports: [ImportsService],
})
export class ImportsModule implements OnModuleInit {
  constructor(
    private readonly imports: ImportsService,
    private readonly jobs: JobScheduler,
  ) {}

  onModuleInit(): void {
    // Queued jobs and jobs of a process that died are picked up again (the upload itself starts its job at once).
    this.jobs.register({
      name: 'imports.resume',
      everyMs: 30_000,
      run: (asOf) => this.imports.resumeAbandoned(asOf),
    });
  }
}
