import { Module } from '@nestjs/common';
import { CouponsModule } from '../coupons/coupons.module.js';
import { EngagementModule } from '../engagement/engagement.module.js';
import { MembersModule } from '../members/members.module.js';
import { PointsModule } from '../points/points.module.js';
import { OrdersController } from './orders.controller.js';
import { OrdersService } from './orders.service.js';
import { OrderGroups } from './order-groups.js';
import { OrdersPersonalData } from './personal-data.js';

/** Paid orders and refunds from POS, e-commerce, staff and imports; it books their points through PointsService. */
@Module({
  imports: [EngagementModule, MembersModule, PointsModule, CouponsModule],
  controllers: [OrdersController],
  providers: [OrdersPersonalData, OrdersService, OrderGroups],
  exports: [OrdersService],
})
export class OrdersModule {}
