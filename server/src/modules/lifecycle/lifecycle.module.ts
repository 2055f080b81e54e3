import { Module, type OnModuleInit } from '@nestjs/common';
import { JobScheduler } from '../../infra/jobs/job-scheduler.js';
import { ChurnService } from './churn.service.js';
import { LifecycleController } from './lifecycle.controller.js';
import { LifecycleListener } from './lifecycle.listener.js';
import { LifecycleAggregates } from './lifecycle-aggregates.js';
import { LifecycleRecompute } from './lifecycle-recompute.service.js';
import { LifecycleRefresh } from './lifecycle-refresh.service.js';
import { LifecycleReplay } from './lifecycle-replay.js';
import { LifecycleReports } from './lifecycle-reports.service.js';
import { LIFECYCLE_LEASE, LifecycleService } from './lifecycle.service.js';
import { ModelStore } from './model-store.js';
import { LifecyclePersonalData } from './personal-data.js';

/** Lifecycle stages, RFM segments, low-frequency and at-risk flags, and the churn models behind the early warning. */
@Module({
  controllers: [LifecycleController],
  providers: [
    LifecyclePersonalData,
    LifecycleService,
    LifecycleAggregates,
    LifecycleRefresh,
    LifecycleRecompute,
    LifecycleReplay,
    LifecycleReports,
    ChurnService,
    ModelStore,
    LifecycleListener,
  ],
  exports: [LifecycleService, LifecycleRecompute, LifecycleReplay, LifecycleReports, ChurnService],
})
export class LifecycleModule implements OnModuleInit {
  constructor(
    private readonly jobs: JobScheduler,
    private readonly lifecycle: LifecycleService,
    private readonly recompute: LifecycleRecompute,
    private readonly churn: ChurnService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.lifecycle.settings(); // warm the settings cache
    // Once per brand-local day, after 02:00 (the day before is complete); the weekly refit checks hourly.
    this.jobs.register({
      name: LIFECYCLE_LEASE,
      everyMs: 10 * 60_000,
      run: (asOf) => this.recompute.nightly(asOf),
    });
    this.jobs.register({
      name: 'lifecycle.model_fit',
      everyMs: 60 * 60_000,
      run: (asOf) => this.churn.refitIfDue(asOf),
    });
  }
}
