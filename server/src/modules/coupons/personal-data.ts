import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OnDomainEvent } from '../../infra/events/event-bus.js';
import type { DomainEventMap } from '../../infra/events/event-map.js';
import { PersonalDataRegistry } from '../../infra/privacy/personal-data.js';
import { Coupon, CouponMemberCount } from './coupon.entity.js';
import { RiskRefusal } from './risk-refusal.entity.js';

/** Coupons and risk refusals in the member's export; the refusals' client IP erased on closing. */
@Injectable()
export class CouponsPersonalData implements OnModuleInit {
  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.contribute({
      key: 'coupons',
      title: '优惠券',
      entities: [Coupon],
      onClose: '保留券的发放与核销记录（门店对账需要），不再关联到任何人',
    });
    this.registry.contribute({
      key: 'riskRefusals',
      title: '风控拦截记录（含网络地址）',
      entities: [RiskRefusal],
      onClose: '保留拦截时间与结果；网络地址清除',
    });
    this.registry.markNotPersonal(
      CouponMemberCount,
      'a per-template count of the member’s coupons, derived from the coupon rows (exported as coupons)',
    );
  }

  @OnDomainEvent('member.closed')
  async onClosed(event: DomainEventMap['member.closed']): Promise<void> {
    await this.dataSource
      .getRepository(RiskRefusal)
      .update({ memberId: event.memberId }, { clientIp: null });
  }
}
