import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry } from '../../infra/privacy/personal-data.js';
import { AutomationEnrollment } from './campaign.entities.js';

/** Automated campaigns the member was enrolled in, in the member's export; kept on closing (campaign figures). */
@Injectable()
export class CampaignsPersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit(): void {
    this.registry.contribute({
      key: 'campaigns',
      title: '参与的自动化营销',
      entities: [AutomationEnrollment],
      onClose: '保留（活动效果统计需要，不含个人信息）',
    });
  }
}
