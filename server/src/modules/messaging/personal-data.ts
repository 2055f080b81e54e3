import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OnDomainEvent } from '../../infra/events/event-bus.js';
import type { DomainEventMap } from '../../infra/events/event-map.js';
import { PersonalDataRegistry } from '../../infra/privacy/personal-data.js';
import { Message, MessagePreference, SubscriptionQuota } from './messaging.entities.js';

/**
 * Consents (subscription quotas, preferences) and messages in the member's export. On closing the consents are
 * withdrawn (rows deleted), messages not yet sent are suppressed and the values of every message erased.
 */
@Injectable()
export class MessagingPersonalData implements OnModuleInit {
  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.contribute({
      key: 'subscriptions',
      title: '订阅消息授权',
      entities: [SubscriptionQuota],
      onClose: '删除（授权随注销撤回）',
    });
    this.registry.contribute({
      key: 'messagePreferences',
      title: '消息偏好',
      entities: [MessagePreference],
      onClose: '删除',
    });
    this.registry.contribute({
      key: 'messages',
      title: '收到的消息',
      entities: [Message],
      onClose: '保留发送状态（送达统计需要）；消息内容清除，未发出的不再发送',
    });
  }

  @OnDomainEvent('member.closed')
  async onClosed(event: DomainEventMap['member.closed']): Promise<void> {
    const memberId = event.memberId;
    await this.dataSource.getRepository(SubscriptionQuota).delete({ memberId });
    await this.dataSource.getRepository(MessagePreference).delete({ memberId });
    await this.dataSource
      .getRepository(Message)
      .update({ memberId, status: 'queued' }, { status: 'suppressed', reason: 'member_closed' });
    await this.dataSource
      .getRepository(Message)
      .update({ memberId }, { variables: null, data: null });
  }
}
