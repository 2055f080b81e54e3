import { Module, type OnModuleInit } from '@nestjs/common';
import { CouponsModule } from '../coupons/coupons.module.js';
import { EngagementModule } from '../engagement/engagement.module.js';
import { PointsModule } from '../points/points.module.js';
import { LifecycleModule } from '../lifecycle/lifecycle.module.js';
import { CardCodeService } from './card-code.service.js';
import {
  AdminMembersController,
  AuthController,
  MeController,
  TiersController,
} from './members.controller.js';
import { MemberAccountService } from './member-account.service.js';
import { HomeStoreListener } from './home-store.listener.js';
import { MemberAdminService } from './member-admin.service.js';
import { MemberListService } from './member-list.service.js';
import { JoinSettingsService } from './join-settings.service.js';
import { MemberProfileService } from './member-profile.service.js';
import { MembershipController } from './membership.controller.js';
import { MemberLookupService } from './member-lookup.service.js';
import { MembersService } from './members.service.js';
import { TierListener } from './tier.listener.js';
import { TierService } from './tier.service.js';
import { JobScheduler } from '../../infra/jobs/job-scheduler.js';
import { MembersPersonalData } from './personal-data.js';

@Module({
  imports: [EngagementModule, PointsModule, LifecycleModule, CouponsModule],
  controllers: [
    AuthController,
    MeController,
    AdminMembersController,
    TiersController,
    MembershipController,
  ],
  providers: [
    MembersPersonalData,
    MembersService,
    MemberAccountService,
    MemberAdminService,
    MemberListService,
    TierService,
    TierListener,
    HomeStoreListener,
    CardCodeService,
    JoinSettingsService,
    MemberProfileService,
    MemberLookupService,
  ],
  exports: [MembersService, TierService, MemberLookupService],
})
export class MembersModule implements OnModuleInit {
  constructor(
    private readonly tiers: TierService,
    private readonly joinSettings: JoinSettingsService,
    private readonly jobs: JobScheduler,
  ) {}

  async onModuleInit(): Promise<void> {
    // Warm the caches a join reads inside its transaction: a cold one is loaded on another pooled connection, and
    // twenty joins at once holding every connection would each wait for it forever (a rush of new members).
    await this.tiers.ladder();
    await this.joinSettings.get();
    this.jobs.register({
      name: 'tiers.period_end',
      everyMs: 15 * 60_000,
      run: (asOf) => this.tiers.endPeriods(asOf),
    });
    this.jobs.register({
      name: 'tiers.retention_notice',
      everyMs: 60 * 60_000,
      run: (asOf) => this.tiers.retentionNotices(asOf),
    });
  }
}
