import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OnDomainEvent } from '../../infra/events/event-bus.js';
import type { DomainEventMap } from '../../infra/events/event-map.js';
import { PersonalDataRegistry } from '../../infra/privacy/personal-data.js';
import { LeaderboardEntry, LeaderboardOptout } from './leaderboard.entity.js';

/** Leaderboard places and the opt-out in the member's export; a closed member leaves every board. */
@Injectable()
export class LeaderboardsPersonalData implements OnModuleInit {
  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.contribute({
      key: 'leaderboards',
      title: '排行榜名次',
      entities: [LeaderboardEntry],
      onClose: '删除（不再出现在任何排行榜上）',
    });
    this.registry.contribute({
      key: 'leaderboardOptout',
      title: '排行榜隐私设置',
      entities: [LeaderboardOptout],
      onClose: '删除',
    });
  }

  @OnDomainEvent('member.closed')
  async onClosed(event: DomainEventMap['member.closed']): Promise<void> {
    await this.dataSource.getRepository(LeaderboardEntry).delete({ memberId: event.memberId });
    await this.dataSource.getRepository(LeaderboardOptout).delete({ memberId: event.memberId });
  }
}
