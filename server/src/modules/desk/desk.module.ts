import { Module } from '@nestjs/common';
import { CouponsModule } from '../coupons/coupons.module.js';
import { MallModule } from '../mall/mall.module.js';
import { MembersModule } from '../members/members.module.js';
import { DeskController } from './desk.controller.js';
import { DeskService } from './desk.service.js';

/** The clerk desk's look-up across coupons, vouchers and members. No tables of its own. */
@Module({
  imports: [CouponsModule, MallModule, MembersModule],
  controllers: [DeskController],
  providers: [DeskService],
})
export class DeskModule {}
