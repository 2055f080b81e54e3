import { Module, type OnModuleInit } from '@nestjs/common';
import { SoldOutMarks } from '../../infra/stock/sold-out-marks.js';
import { JobScheduler } from '../../infra/jobs/job-scheduler.js';
import { EngagementModule } from '../engagement/engagement.module.js';
import { CouponsController } from './coupons.controller.js';
import { CouponExpiryService } from './coupon-expiry.service.js';
import { CouponTemplatesService } from './coupon-templates.service.js';
import { CouponWalletService } from './coupon-wallet.service.js';
import { CouponsService } from './coupons.service.js';
import { RiskService } from './risk.service.js';
import { CouponsPersonalData } from './personal-data.js';

/** Coupon templates, coupons held by members, claiming, verification in store, use with orders, expiry. */
@Module({
  imports: [EngagementModule],
  controllers: [CouponsController],
  providers: [
    CouponsPersonalData,
    CouponsService,
    CouponTemplatesService,
    CouponWalletService,
    CouponExpiryService,
    RiskService,
    // This instance's sold-out marks of coupon templates (the center's claims).
    { provide: SoldOutMarks, useFactory: () => new SoldOutMarks() },
  ],
  exports: [CouponsService, CouponTemplatesService, CouponWalletService, RiskService],
})
export class CouponsModule implements OnModuleInit {
  constructor(
    private readonly expiry: CouponExpiryService,
    private readonly risk: RiskService,
    private readonly jobs: JobScheduler,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.risk.rules(); // warm the settings cache before any request needs it
    this.jobs.register({
      name: 'coupons.expire',
      everyMs: 15 * 60_000,
      run: (asOf) => this.expiry.expire(asOf),
    });
    this.jobs.register({
      name: 'coupons.expiry_notice',
      everyMs: 60 * 60_000,
      run: (asOf) => this.expiry.expiryNotices(asOf),
    });
  }
}
