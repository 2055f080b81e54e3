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
import { WechatPayClient } from '../../infra/wechat/pay/wechat-pay-client.js';
import { Fulfilment } from './fulfilment.js';
import { PaymentGateway, UnavailablePaymentGateway, WechatPayGateway } from './payment.gateway.js';
import { PaymentsController } from './payments.controller.js';
import { RedemptionSettlement } from './redemption-settlement.js';
import { MallPersonalData } from './personal-data.js';

/** The points mall: items, redemptions (points or points + cash), fulfilment, cancellation. */
@Module({
  imports: [PointsModule, CouponsModule, EngagementModule, UploadsModule],
  controllers: [MallController, PaymentsController],
  providers: [
    MallPersonalData,
    MallService,
    RedemptionGroups,
    MallCatalogueService,
    RedemptionsService,
    VouchersService,
    Fulfilment,
    RedemptionSettlement,
    // This instance's sold-out marks of mall items (the coupons module keeps its own for templates).
    { provide: SoldOutMarks, useFactory: () => new SoldOutMarks() },
    // WeChat Pay: the merchant's, or beside the fake WeChat the fake merchant's; none configured: cash refused (503).
    { provide: PaymentGateway, useFactory: paymentGateway, inject: [APP_CONFIG] },
  ],
  exports: [MallService, VouchersService, PaymentGateway],
})
export class MallModule implements OnModuleInit {
  constructor(
    private readonly settlement: RedemptionSettlement,
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
      run: (asOf) => this.settlement.expireUnpaid(asOf),
    });
    this.jobs.register({
      name: 'mall.payment_reconcile',
      everyMs: 60_000,
      run: (asOf) => this.settlement.reconcile(asOf),
    });
  }
}

function paymentGateway(config: AppConfig): PaymentGateway {
  const settings = config.wechat.pay;
  if (!settings) return new UnavailablePaymentGateway();
  const notifyUrl = () => {
    if (!settings.notifyUrl)
      throw new Error('WeChat Pay notify URL not known yet (server not listening)');
    return settings.notifyUrl;
  };
  return new WechatPayGateway(new WechatPayClient(settings, config.wechat.appId, notifyUrl));
}
