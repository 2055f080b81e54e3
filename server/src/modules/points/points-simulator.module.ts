import { Module, type OnModuleInit } from '@nestjs/common';
import { JobScheduler } from '../../infra/jobs/job-scheduler.js';
import { CheckinsModule } from '../checkins/checkins.module.js';
import { MemberDaysModule } from '../memberdays/member-days.module.js';
import { MembersModule } from '../members/members.module.js';
import { PointsModule } from './points.module.js';
import { PointsSimulatorApply } from './simulator/simulator-apply.js';
import { PointsSimulatorController } from './simulator/simulator.controller.js';
import { PointsSimulatorService } from './simulator/simulator.service.js';

/**
 * The points rule simulator (docs/points-simulator.md): part of the points domain, in a module of its own because
 * it reads the rules of tiers, check-ins and member days, whose modules import the points module.
 */
@Module({
  imports: [PointsModule, MembersModule, CheckinsModule, MemberDaysModule],
  controllers: [PointsSimulatorController],
  providers: [PointsSimulatorService, PointsSimulatorApply],
  exports: [PointsSimulatorService],
})
export class PointsSimulatorModule implements OnModuleInit {
  constructor(
    private readonly simulator: PointsSimulatorService,
    private readonly jobs: JobScheduler,
  ) {}

  onModuleInit(): void {
    // Queued runs and runs of a process that died are replayed again (a new run starts at once).
    this.jobs.register({
      name: 'points.simulations.resume',
      everyMs: 30_000,
      run: (asOf) => this.simulator.resumeAbandoned(asOf),
    });
  }
}
