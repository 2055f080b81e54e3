import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry } from '../../infra/privacy/personal-data.js';
import { DataSource } from 'typeorm';
import { Member } from './entities/member.entity.js';
import { TierHistory } from './entities/tier-history.entity.js';

/** The member row itself and the tier history in the export; the row's personal fields are erased on closing. */
@Injectable()
export class MembersPersonalData implements OnModuleInit {
  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.contribute({
      key: 'member',
      title: '个人信息',
      entities: [Member],
      read: async (memberId) => this.dataSource.getRepository(Member).findBy({ id: memberId }),
      onClose:
        '昵称、头像、手机号、生日、微信身份标识、卡号、外部编号清除；保留会员编号与状态（已注销），用于对账',
    });
    this.registry.contribute({
      key: 'tierHistory',
      title: '等级变化',
      entities: [TierHistory],
      onClose: '保留（只有等级与时间）',
    });
  }
}
