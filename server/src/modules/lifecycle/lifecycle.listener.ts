import { Injectable } from '@nestjs/common';
import {
  OnDomainEvent,
  OnDomainEvents,
  type DomainEventMap,
} from '../../infra/events/event-bus.js';
import { LifecycleRefresh } from './lifecycle-refresh.service.js';

/** Keeps per-member aggregates and stages current as purchases, refunds, imports and merges happen. */
@Injectable()
export class LifecycleListener {
  constructor(private readonly lifecycle: LifecycleRefresh) {}

  /** A batch of purchases: one refresh of their members (recomputed from the orders, so in any order the same). */
  @OnDomainEvents('order.paid')
  async paid(events: DomainEventMap['order.paid'][]): Promise<void> {
    await this.lifecycle.refresh(
      events.map((e) => e.memberId),
      'purchase',
    );
  }

  @OnDomainEvent('order.refunded')
  async refunded(e: DomainEventMap['order.refunded']): Promise<void> {
    await this.lifecycle.refresh([e.memberId], 'refund');
  }

  @OnDomainEvent('orders.imported')
  async imported(e: DomainEventMap['orders.imported']): Promise<void> {
    await this.lifecycle.refresh(e.memberIds, 'import');
  }

  @OnDomainEvent('member.merged')
  async merged(e: DomainEventMap['member.merged']): Promise<void> {
    await this.lifecycle.refresh([e.survivorId], 'merge');
  }
}
