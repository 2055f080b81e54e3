import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ConfigModule } from './config/config.module.js';
import type { AppConfig } from './config/config.js';
import { AuthGuard } from './infra/auth/auth.guard.js';
import { AuthModule } from './infra/auth/auth.module.js';
import { EventsModule } from './infra/events/events.module.js';
import { GlobalErrorFilter } from './infra/http/error.filter.js';
import { JobsModule } from './infra/jobs/job-scheduler.js';
import { LimitsModule } from './infra/limits/limits.module.js';
import { SharedCounter } from './infra/limits/shared-counter.js';
import { SharedThrottlerStorage } from './infra/limits/throttler-storage.js';
import { MetricsModule } from './infra/metrics/metrics.service.js';
import { SettingsModule } from './infra/settings/settings.service.js';
import { PersonalDataModule } from './infra/privacy/personal-data.js';
import { WechatModule } from './infra/wechat/wechat.module.js';
import { MemberDirectoryModule } from './modules/members/member-directory.module.js';
import { BadgesModule } from './modules/badges/badges.module.js';
import { CheckinsModule } from './modules/checkins/checkins.module.js';
import { CouponsModule } from './modules/coupons/coupons.module.js';
import { MallModule } from './modules/mall/mall.module.js';
import { LifecycleModule } from './modules/lifecycle/lifecycle.module.js';
import { MessagingModule } from './modules/messaging/messaging.module.js';
import { CampaignsModule } from './modules/campaigns/campaigns.module.js';
import { MemberDaysModule } from './modules/memberdays/member-days.module.js';
import { ImportsModule } from './modules/imports/imports.module.js';
import { LeaderboardsModule } from './modules/leaderboards/leaderboards.module.js';
import { OrdersModule } from './modules/orders/orders.module.js';
import { EngagementModule } from './modules/engagement/engagement.module.js';
import { MembersModule } from './modules/members/members.module.js';
import { PointsModule } from './modules/points/points.module.js';
import { PointsSimulatorModule } from './modules/points/points-simulator.module.js';
import { StaffModule } from './modules/staff/staff.module.js';
import { SystemModule } from './modules/system/system.module.js';
import { UploadsModule } from './modules/uploads/uploads.module.js';
import { DeskModule } from './modules/desk/desk.module.js';

@Module({})
export class AppModule {
  /** The data source is opened (and migrated) before Nest starts, so every module sees a ready schema. */
  static forRoot(
    config: AppConfig,
    dataSource: DataSource,
    extraImports: DynamicModule['imports'] = [],
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRootAsync({
          useFactory: () => ({}),
          dataSourceFactory: async () => dataSource,
        }),
        LimitsModule,
        // Auth endpoints only (ThrottlerGuard is applied per route): per client IP per minute, counted across
        // every instance in the shared counter.
        ThrottlerModule.forRootAsync({
          imports: [LimitsModule],
          inject: [SharedCounter],
          useFactory: (counter: SharedCounter) => ({
            throttlers: [{ name: 'auth', ttl: 60_000, limit: config.authRateLimitPerMinute }],
            storage: new SharedThrottlerStorage(counter),
          }),
        }),
        AuthModule,
        MetricsModule,
        EventsModule,
        JobsModule,
        SettingsModule,
        PersonalDataModule,
        MemberDirectoryModule,
        WechatModule,
        EngagementModule,
        PointsModule,
        PointsSimulatorModule,
        MembersModule,
        StaffModule,
        OrdersModule,
        ImportsModule,
        BadgesModule,
        CheckinsModule,
        LeaderboardsModule,
        CouponsModule,
        MallModule,
        LifecycleModule,
        MessagingModule,
        CampaignsModule,
        MemberDaysModule,
        SystemModule,
        UploadsModule,
        DeskModule,
        ...(extraImports ?? []),
      ],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: GlobalErrorFilter },
      ],
    };
  }
}
