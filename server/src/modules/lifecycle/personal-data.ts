import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry } from '../../infra/privacy/personal-data.js';
import {
  LifecycleHistoryAgg,
  LifecycleScratch,
  LifecycleTransition,
  MemberLifecycle,
} from './lifecycle.entities.js';

/** The member's lifecycle profile and its history in the export; working tables marked not personal. */
@Injectable()
export class LifecyclePersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit(): void {
    this.registry.contribute({
      key: 'lifecycle',
      title: '会员阶段与消费画像',
      entities: [MemberLifecycle],
      onClose: '保留汇总数字（不含个人信息），不再关联到任何人',
    });
    this.registry.contribute({
      key: 'lifecycleHistory',
      title: '会员阶段变化',
      entities: [LifecycleTransition],
      onClose: '保留（阶段统计需要，不含个人信息）',
    });
    this.registry.markNotPersonal(
      LifecycleScratch,
      'working table of the nightly recompute, emptied and refilled each run; its results are member_lifecycle',
    );
    this.registry.markNotPersonal(
      LifecycleHistoryAgg,
      'working table of the lifecycle replay (aggregates per member), rebuilt on demand from orders',
    );
  }
}
