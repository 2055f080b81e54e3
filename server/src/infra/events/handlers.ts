import { Injectable, Logger } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { DomainEventName } from './event-map.js';

const HANDLES = 'huoyue:domain-event-handles';

/**
 * Subscribes a method to a domain event. The handler is named `Class.method` (stable across deploys: delivery is
 * tracked per event and handler under that name). Errors propagate so the outbox retries this handler alone.
 */
export const OnDomainEvent =
  (name: DomainEventName): MethodDecorator =>
  (_target, _key, descriptor) => {
    const fn = descriptor.value as object;
    const names = (Reflect.getMetadata(HANDLES, fn) as string[] | undefined) ?? [];
    Reflect.defineMetadata(HANDLES, [...names, name], fn);
  };

export interface DomainEventHandler {
  /** `Class.method`: the key of its delivery rows. */
  readonly name: string;
  run(payload: unknown): Promise<void>;
}

/** The handlers of each domain event, found once among the application's providers. */
@Injectable()
export class DomainEventHandlers {
  private readonly logger = new Logger('DomainEventHandlers');
  private byEvent: Map<string, DomainEventHandler[]> | undefined;
  private byName = new Map<string, DomainEventHandler>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  of(event: string): DomainEventHandler[] {
    return this.discover().get(event) ?? [];
  }

  /** The handler of that name for that event, or undefined when a deploy removed it. */
  named(event: string, name: string): DomainEventHandler | undefined {
    this.discover();
    return this.byName.get(`${event} ${name}`);
  }

  private discover(): Map<string, DomainEventHandler[]> {
    if (this.byEvent) return this.byEvent;
    const byEvent = new Map<string, DomainEventHandler[]>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const proto = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(proto)) {
        const fn = (proto as Record<string, unknown>)[method];
        const events =
          typeof fn === 'function' ? (Reflect.getMetadata(HANDLES, fn) as string[]) : [];
        for (const event of events ?? []) {
          const name = `${instance.constructor.name}.${method}`;
          if (this.byName.has(`${event} ${name}`)) {
            this.logger.warn({ event, handler: name }, 'handler registered twice; running it once');
            continue;
          }
          const handler: DomainEventHandler = {
            name,
            run: async (payload) => {
              await (fn as (p: unknown) => unknown).call(instance, payload);
            },
          };
          this.byName.set(`${event} ${name}`, handler);
          byEvent.set(event, [...(byEvent.get(event) ?? []), handler]);
        }
      }
    }
    this.byEvent = byEvent;
    return byEvent;
  }
}
