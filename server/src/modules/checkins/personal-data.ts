import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OnDomainEvent } from '../../infra/events/event-bus.js';
import type { DomainEventMap } from '../../infra/events/event-map.js';
import { PersonalDataRegistry } from '../../infra/privacy/personal-data.js';
import { Checkin, CheckinMember } from './checkin.entity.js';

/** Check-ins in the member's export (with the IP and device kept against farming); erased on closing. */
@Injectable()
export class CheckinsPersonalData implements OnModuleInit {
  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.contribute({
      key: 'checkins',
      title: '签到记录（含网络地址与设备）',
      entities: [Checkin],
      onClose: '保留签到日期与所得积分（积分账目需要）；网络地址与设备标识清除',
    });
    this.registry.contribute({
      key: 'checkinState',
      title: '签到状态（连续天数、补签卡）',
      entities: [CheckinMember],
      onClose: '保留（只有天数与张数，不含个人信息）',
    });
  }

  @OnDomainEvent('member.closed')
  async onClosed(event: DomainEventMap['member.closed']): Promise<void> {
    await this.dataSource
      .getRepository(Checkin)
      .update({ memberId: event.memberId }, { ip: null, deviceId: null });
  }
}
