import type { DataSource } from 'typeorm';
import { DomainError } from '../../infra/http/domain-error.js';
import { Member } from './entities/member.entity.js';

/** The member behind a token; a closed or merged record no longer answers to its old tokens. */
export async function activeMember(dataSource: DataSource, memberId: number): Promise<Member> {
  const member = await dataSource.getRepository(Member).findOneBy({ id: memberId });
  if (!member || member.status === 'closed' || member.status === 'merged')
    throw new DomainError('UNAUTHENTICATED', '登录状态无效，请重新登录');
  return member;
}
