import { Global, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { EventBus } from './event-bus.js';
import { UnitOfWork } from './unit-of-work.js';

@Global()
@Module({
  imports: [EventEmitterModule.forRoot({ wildcard: false, ignoreErrors: false })],
  providers: [EventBus, UnitOfWork],
  exports: [EventBus, UnitOfWork],
})
export class EventsModule {}
