import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry } from '../../infra/privacy/personal-data.js';
import { MemberDayParticipation } from './member-day.entities.js';

/** Member days the member took part in, in the member's export; kept on closing (no personal fields). */
@Injectable()
export class MemberDaysPersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit(): void {
    this.registry.contribute({
      key: 'memberDays',
      title: '参与的会员日',
      entities: [MemberDayParticipation],
      onClose: '保留（会员日效果统计需要，不含个人信息）',
    });
  }
}
