import { Module, type OnModuleInit } from '@nestjs/common';
import { JobScheduler } from '../../infra/jobs/job-scheduler.js';
import { MembersModule } from '../members/members.module.js';
import { PointsModule } from '../points/points.module.js';
import { BadgeBatch } from './badge-batch.js';
import { BadgePreview } from './badge-preview.js';
import { BadgesController } from './badges.controller.js';
import { BadgesListener } from './badges.listener.js';
import { BadgesService } from './badges.service.js';
import { BadgesPersonalData } from './personal-data.js';

/** Badges: definitions, the facts they read (kept from events), awarding once, backfill. */
@Module({
  imports: [MembersModule, PointsModule],
  controllers: [BadgesController],
  providers: [BadgesPersonalData, BadgesService, BadgeBatch, BadgesListener, BadgePreview],
  exports: [BadgesService, BadgePreview],
})
export class BadgesModule implements OnModuleInit {
  constructor(
    private readonly badges: BadgesService,
    private readonly jobs: JobScheduler,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.badges.all(); // warm the definitions cache before any transaction needs it
    this.jobs.register({
      name: 'badges.anniversary',
      everyMs: 6 * 60 * 60_000,
      run: (asOf) => this.badges.anniversaries(asOf),
    });
  }
}
