import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { placeholders } from '../../infra/database/bulk.js';
import { OnDomainEvents } from '../../infra/events/event-bus.js';
import type { DomainEventMap } from '../../infra/events/event-map.js';

/**
 * 归属门店: a member belongs to the store of their first purchase in a store. Set once by a conditional update
 * (only while empty), so a redelivered event or a later order elsewhere changes nothing.
 */
@Injectable()
export class HomeStoreListener {
  constructor(private readonly dataSource: DataSource) {}

  /** A batch of orders: each member's first store in the batch, for those without one yet, in one UPDATE. */
  @OnDomainEvents('order.paid')
  async onOrderPaid(events: DomainEventMap['order.paid'][]): Promise<void> {
    const first = new Map<number, string>();
    for (const e of events)
      if (e.storeCode && !first.has(e.memberId)) first.set(e.memberId, e.storeCode);
    if (first.size === 0) return;
    const ids = [...first.keys()];
    await this.dataSource.query(
      `UPDATE member SET home_store_code = CASE id ${ids.map(() => 'WHEN ? THEN ?').join(' ')} END
       WHERE id IN (${placeholders(ids.length)}) AND home_store_code IS NULL`,
      [...[...first].flat(), ...ids],
    );
  }
}
