import { Module, type OnModuleInit } from '@nestjs/common';
import { JobScheduler } from '../../infra/jobs/job-scheduler.js';
import { CheckinsModule } from '../checkins/checkins.module.js';
import { MembersModule } from '../members/members.module.js';
import { PointsModule } from '../points/points.module.js';
import { LeaderboardsController } from './leaderboards.controller.js';
import { LeaderboardsService } from './leaderboards.service.js';
import { LeaderboardsPersonalData } from './personal-data.js';

/** Monthly leaderboards, precomputed by a job, read from memory and one indexed row. */
@Module({
  imports: [CheckinsModule, MembersModule, PointsModule],
  controllers: [LeaderboardsController],
  providers: [LeaderboardsPersonalData, LeaderboardsService],
  exports: [LeaderboardsService],
})
export class LeaderboardsModule implements OnModuleInit {
  constructor(
    private readonly boards: LeaderboardsService,
    private readonly jobs: JobScheduler,
  ) {}

  onModuleInit(): void {
    this.jobs.register({
      name: 'leaderboards.refresh',
      everyMs: 5 * 60_000,
      run: (asOf) => this.boards.refresh(asOf),
    });
  }
}
