import { Module, type OnModuleInit } from '@nestjs/common';
import { SoldOutMarks } from '../../infra/stock/sold-out-marks.js';
import { JobScheduler } from '../../infra/jobs/job-scheduler.js';
import { CouponsModule } from '../coupons/coupons.module.js';
import { CouponTemplatesService } from '../coupons/index.js';
import { UploadsModule } from '../uploads/uploads.module.js';
import { EngagementModule } from '../engagement/engagement.module.js';
import { PointsModule } from '../points/points.module.js';
import { MallController } from './mall.controller.js';
import { MallService } from './mall.service.js';
import { RedemptionGroups } from './redemption-groups.js';
import { MallCatalogueService } from './mall-catalogue.service.js';
import { VouchersService } from './vouchers.service.js';
import { RedemptionsService } from './redemptions.service.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import {
  FakePaymentGateway,
  PaymentGateway,
  UnavailablePaymentGateway,
} from './payment.gateway.js';
import { MallPersonalData } from './personal-data.js';

/** The points mall: items, redemptions (points or points + cash), fulfilment, cancellation. */
@Module({
  imports: [PointsModule, CouponsModule, EngagementModule, UploadsModule],
  controllers: [MallController],
  providers: [
    MallPersonalData,
    MallService,
    RedemptionGroups,
    MallCatalogueService,
    RedemptionsService,
    VouchersService,
    FakePaymentGateway,
    // This instance's sold-out marks of mall items (the coupons module keeps its own for templates).
    { provide: SoldOutMarks, useFactory: () => new SoldOutMarks() },
    // The fake pays only beside the fake WeChat (dev, tests); with real credentials cash waits for a real provider.
    {
      provide: PaymentGateway,
      useFactory: (config: AppConfig, fake: FakePaymentGateway) =>
        config.wechat.useFake ? fake : new UnavailablePaymentGateway(),
      inject: [APP_CONFIG, FakePaymentGateway],
    },
  ],
  exports: [MallService, VouchersService, FakePaymentGateway],
})
export class MallModule implements OnModuleInit {
  constructor(
    private readonly redemptions: RedemptionsService,
    private readonly jobs: JobScheduler,
    private readonly catalogue: MallCatalogueService,
    private readonly templates: CouponTemplatesService,
  ) {}

  onModuleInit(): void {
    // A coupon template a mall item gives cannot be deleted from under it.
    this.templates.addDependents((id) => this.catalogue.itemsUsingTemplate(id));
    this.jobs.register({
      name: 'mall.payment_timeout',
      everyMs: 60_000,
      run: (asOf) => this.redemptions.expireUnpaid(asOf),
    });
  }
}
