import { Module } from '@nestjs/common';
import { EngagementModule } from '../engagement/engagement.module.js';
import { PointsModule } from '../points/points.module.js';
import { HttpSmsGateway, SmsGateway } from './channels.js';
import { MessageDispatcher } from './dispatcher.js';
import { MessageMetrics } from './message-metrics.js';
import { MessageOutcomes } from './message-outcomes.js';
import { MessagingController } from './messaging.controller.js';
import { MessagingService } from './messaging.service.js';
import { SendDecision } from './send-decision.js';
import { MessagingPersonalData } from './personal-data.js';
import { SubscribeCredits } from './subscribe-credits.js';

/**
 * Message templates, consent, the message outbox and its dispatcher (subscribe messages, OA template messages,
 * SMS).
 */
@Module({
  imports: [EngagementModule, PointsModule],
  controllers: [MessagingController],
  providers: [
    MessagingPersonalData,
    MessagingService,
    MessageDispatcher,
    MessageMetrics,
    SendDecision,
    MessageOutcomes,
    SubscribeCredits,
    { provide: SmsGateway, useClass: HttpSmsGateway },
  ],
  exports: [MessagingService, MessageDispatcher],
})
export class MessagingModule {}
