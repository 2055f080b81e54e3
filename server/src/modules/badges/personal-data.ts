import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry } from '../../infra/privacy/personal-data.js';
import { MemberBadge, MemberStat } from './badge.entity.js';

/** Badges and the facts they are awarded on, in the member's export; kept on closing (no personal fields). */
@Injectable()
export class BadgesPersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit(): void {
    this.registry.contribute({
      key: 'badges',
      title: '勋章',
      entities: [MemberBadge],
      onClose: '保留（只有勋章与获得时间）',
    });
    this.registry.contribute({
      key: 'badgeFacts',
      title: '勋章进度（累计次数等）',
      entities: [MemberStat],
      onClose: '保留（只有计数）',
    });
  }
}
