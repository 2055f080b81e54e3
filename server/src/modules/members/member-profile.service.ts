import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { maskPhone, type memberProfile, type profileBody } from '@huoyue/shared';
import { findOneForUpdate } from '../../infra/database/locks.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { activeMember } from './active-member.js';
import { Member } from './entities/member.entity.js';

type MemberProfileView = z.output<typeof memberProfile>;

/** 我的资料: what the member sees and changes of themselves. */
@Injectable()
export class MemberProfileService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
  ) {}

  async profile(memberId: number): Promise<MemberProfileView> {
    return this.view(await activeMember(this.dataSource, memberId));
  }

  /**
   * Avatar and nickname change freely; the birthday is set once (as most brands do: the birthday gift would
   * otherwise be a monthly one), after that only a store can correct it.
   */
  async update(memberId: number, input: z.output<typeof profileBody>): Promise<MemberProfileView> {
    return this.uow.run(async (tx) => {
      const member = await findOneForUpdate(tx.em, Member, { id: memberId });
      if (!member || member.status === 'closed' || member.status === 'merged')
        throw new DomainError('UNAUTHENTICATED', '登录状态无效，请重新登录');
      if (
        input.birthday !== undefined &&
        member.birthday !== null &&
        input.birthday !== member.birthday
      )
        throw new DomainError('CONFLICT', '生日设置后不能自行修改，如需更正请联系门店', {
          field: 'birthday',
        });
      const changes: Partial<Member> = {};
      if (input.avatar !== undefined) changes.avatar = input.avatar;
      if (input.nickname !== undefined) changes.nickname = input.nickname;
      if (input.birthday !== undefined) changes.birthday = input.birthday;
      if (Object.keys(changes).length > 0) await tx.em.update(Member, { id: memberId }, changes);
      return this.view(await tx.em.findOneByOrFail(Member, { id: memberId }));
    });
  }

  private view(m: Member): MemberProfileView {
    return {
      avatar: m.avatar,
      nickname: m.nickname,
      birthday: m.birthday,
      birthdayLocked: m.birthday !== null,
      phoneMasked: m.phone ? maskPhone(m.phone) : null,
      cardNo: m.cardNo,
      joinedAt: m.joinedAt?.toISOString() ?? null,
    };
  }
}
