import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OnDomainEvent } from '../../infra/events/event-bus.js';
import type { DomainEventMap } from '../../infra/events/event-map.js';
import { PersonalDataRegistry } from '../../infra/privacy/personal-data.js';
import { MallMemberCount, MallRedemption, MallVoucher } from './mall.entity.js';

/** Redemptions (with the shipping address) and vouchers in the member's export; the address erased on closing. */
@Injectable()
export class MallPersonalData implements OnModuleInit {
  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.contribute({
      key: 'redemptions',
      title: '积分商城兑换（含收货地址）',
      entities: [MallRedemption],
      onClose: '保留兑换的商品、数量、积分与金额（账目需要）；收货人姓名、电话、地址清除',
    });
    this.registry.contribute({
      key: 'vouchers',
      title: '兑换券',
      entities: [MallVoucher],
      onClose: '保留（核销记录，门店对账需要），不再关联到任何人',
    });
    this.registry.markNotPersonal(
      MallMemberCount,
      'a per-item count of the member’s redemptions, derived from the redemption rows (exported as redemptions)',
    );
  }

  @OnDomainEvent('member.closed')
  async onClosed(event: DomainEventMap['member.closed']): Promise<void> {
    await this.dataSource
      .getRepository(MallRedemption)
      .update({ memberId: event.memberId }, { address: null });
  }
}
