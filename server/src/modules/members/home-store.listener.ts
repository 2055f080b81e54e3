import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { OnDomainEvent } from '../../infra/events/event-bus.js';
import type { DomainEventMap } from '../../infra/events/event-map.js';
import { Member } from './entities/member.entity.js';

/**
 * 归属门店: a member belongs to the store of their first purchase in a store. Set once by a conditional update
 * (only while empty), so a redelivered event or a later order elsewhere changes nothing.
 */
@Injectable()
export class HomeStoreListener {
  constructor(private readonly dataSource: DataSource) {}

  @OnDomainEvent('order.paid')
  async onOrderPaid(event: DomainEventMap['order.paid']): Promise<void> {
    if (!event.storeCode) return;
    await this.dataSource
      .getRepository(Member)
      .update({ id: event.memberId, homeStoreCode: IsNull() }, { homeStoreCode: event.storeCode });
  }
}
