import { Module } from '@nestjs/common';
import { EngagementService } from './engagement.service.js';
import { EngagementPersonalData } from './personal-data.js';

@Module({ providers: [EngagementPersonalData, EngagementService], exports: [EngagementService] })
export class EngagementModule {}
