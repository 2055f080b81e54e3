import { Module, type OnModuleInit } from '@nestjs/common';
import { JobScheduler } from '../../infra/jobs/job-scheduler.js';
import { CouponsModule } from '../coupons/coupons.module.js';
import { EngagementModule } from '../engagement/engagement.module.js';
import { PointsModule } from '../points/points.module.js';
import { MallController } from './mall.controller.js';
import { MallService } from './mall.service.js';
import { FakePaymentGateway, PaymentGateway } from './payment.gateway.js';

/** The points mall: items, redemptions (points or points + cash), fulfilment, cancellation. */
@Module({
  imports: [PointsModule, CouponsModule, EngagementModule],
  controllers: [MallController],
  providers: [MallService, FakePaymentGateway, { provide: PaymentGateway, useExisting: FakePaymentGateway }],
  exports: [MallService, FakePaymentGateway],
})
export class MallModule implements OnModuleInit {
  constructor(
    private readonly mall: MallService,
    private readonly jobs: JobScheduler,
  ) {}

  onModuleInit(): void {
    this.jobs.register({ name: 'mall.payment_timeout', everyMs: 60_000, run: (asOf) => this.mall.expireUnpaid(asOf) });
  }
}
