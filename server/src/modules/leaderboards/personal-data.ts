import { Injectable, type OnModuleInit } from '@nestjs/common';
import { OnDomainEvent } from '../../infra/events/event-bus.js';
import type { DomainEventMap } from '../../infra/events/event-map.js';
import { PersonalDataRegistry } from '../../infra/privacy/personal-data.js';
import { LeaderboardEntry, LeaderboardOptout } from './leaderboard.entity.js';
import { LeaderboardsService } from './leaderboards.service.js';

/**
 * Leaderboard places and the opt-out in the member's export. A closed member leaves every board for good: the
 * places are deleted and an opt-out written, so the next refresh does not put the account back.
 */
@Injectable()
export class LeaderboardsPersonalData implements OnModuleInit {
  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly leaderboards: LeaderboardsService,
  ) {}

  onModuleInit(): void {
    this.registry.contribute({
      key: 'leaderboards',
      title: '排行榜名次',
      entities: [LeaderboardEntry],
      onClose: '删除，且不再出现在任何排行榜上',
    });
    this.registry.contribute({
      key: 'leaderboardOptout',
      title: '排行榜隐私设置',
      entities: [LeaderboardOptout],
      onClose: '记为不上榜（只有会员编号），保证不再上榜',
    });
  }

  @OnDomainEvent('member.closed')
  async onClosed(event: DomainEventMap['member.closed']): Promise<void> {
    // The same as the member turning leaderboards off: opt-out written, places deleted, cache dropped.
    await this.leaderboards.setPrivacy(event.memberId, false);
  }
}
