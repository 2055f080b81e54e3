import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry } from '../../infra/privacy/personal-data.js';
import { EngagementEvent } from './engagement-event.entity.js';

/** The engagement log in the member's export; kept without its properties on closing. */
@Injectable()
export class EngagementPersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit(): void {
    this.registry.contribute({
      key: 'events',
      title: '活动记录',
      entities: [EngagementEvent],
      onClose: '保留事件类型与时间（统计需要）；事件的详细内容清除',
    });
  }
}
