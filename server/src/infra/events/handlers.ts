import { Injectable, Logger } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { DomainEventName } from './event-map.js';

const HANDLES = 'huoyue:domain-event-handles';
const HANDLES_MANY = 'huoyue:domain-event-handles-many';

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

/**
 * Subscribes a method to a domain event, taking its events a batch at a time (an array of payloads, in the order
 * they were committed), so it can work set-based: one statement per batch where possible. The result must be the
 * same as one call per event in that order, and idempotent per event: when a batch fails, its events are run again
 * one by one (each as a batch of one), so one bad event does not hold the others back.
 */
export const OnDomainEvents =
  (name: DomainEventName): MethodDecorator =>
  (_target, _key, descriptor) => {
    const fn = descriptor.value as object;
    const names = (Reflect.getMetadata(HANDLES_MANY, fn) as string[] | undefined) ?? [];
    Reflect.defineMetadata(HANDLES_MANY, [...names, name], fn);
  };

export interface DomainEventHandler {
  /** `Class.method`: the key of its delivery rows. */
  readonly name: string;
  /** Takes many events in one call (`@OnDomainEvents`); otherwise `run` is called once per event. */
  readonly batch: boolean;
  /** Handles these events: one call for a batch handler; a single handler is given exactly one. */
  run(payloads: unknown[]): Promise<void>;
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
        if (typeof fn !== 'function') continue;
        const call = fn as (p: unknown) => unknown;
        const subscriptions = [
          ...((Reflect.getMetadata(HANDLES, fn) as string[] | undefined) ?? []).map((event) => ({
            event,
            batch: false,
          })),
          ...((Reflect.getMetadata(HANDLES_MANY, fn) as string[] | undefined) ?? []).map(
            (event) => ({ event, batch: true }),
          ),
        ];
        for (const { event, batch } of subscriptions) {
          const name = `${instance.constructor.name}.${method}`;
          if (this.byName.has(`${event} ${name}`)) {
            this.logger.warn({ event, handler: name }, 'handler registered twice; running it once');
            continue;
          }
          const handler: DomainEventHandler = {
            name,
            batch,
            run: async (payloads) => {
              if (batch) await call.call(instance, payloads);
              else for (const p of payloads) await call.call(instance, p);
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
