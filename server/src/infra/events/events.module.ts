import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { EventBus } from './event-bus.js';
import { DomainEventHandlers } from './handlers.js';
import { UnitOfWork } from './unit-of-work.js';

@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [DomainEventHandlers, EventBus, UnitOfWork],
  exports: [EventBus, UnitOfWork],
})
export class EventsModule {}
