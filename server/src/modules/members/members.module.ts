import { Module } from '@nestjs/common';
import { EngagementModule } from '../engagement/engagement.module.js';
import { PointsModule } from '../points/points.module.js';
import { CardCodeService } from './card-code.service.js';
import { AdminMembersController, AuthController, MeController } from './members.controller.js';
import { MembersService } from './members.service.js';
import { TierService } from './tier.service.js';

@Module({
  imports: [EngagementModule, PointsModule],
  controllers: [AuthController, MeController, AdminMembersController],
  providers: [MembersService, TierService, CardCodeService],
  exports: [MembersService, TierService],
})
export class MembersModule {}
