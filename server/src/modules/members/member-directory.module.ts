import { Global, Injectable, Module } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { LifecycleStage } from '@huoyue/shared';
import { MemberDirectory } from '../points/member-directory.js';
import { Member } from './entities/member.entity.js';

/** The members module's answer to "can this id hold points?", for modules that must not read the member table. */
@Injectable()
export class MemberTableDirectory extends MemberDirectory {
  async canHoldPoints(em: EntityManager, memberId: number): Promise<boolean> {
    const member = await em.findOne(Member, { where: { id: memberId }, select: { id: true, status: true } });
    return member?.status === 'member';
  }

  async canEarn(em: EntityManager, memberId: number): Promise<boolean> {
    return (await this.earningStanding(em, memberId)) === 'ok';
  }

  async profile(em: EntityManager, memberId: number) {
    const [row] = (await em.query('SELECT status, tier_code, stage, earning_blocked, openid FROM member WHERE id = ?', [memberId])) as { status: string; tier_code: string | null; stage: LifecycleStage; earning_blocked: number | boolean; openid: string | null }[];
    return row ? { status: row.status, tierCode: row.tier_code, stage: row.stage, blocked: Boolean(Number(row.earning_blocked)), openid: row.openid } : null;
  }

  async earningStanding(em: EntityManager, memberId: number): Promise<'none' | 'blocked' | 'ok'> {
    const [row] = (await em.query('SELECT status, earning_blocked FROM member WHERE id = ?', [memberId])) as { status: string; earning_blocked: number | boolean }[];
    if (!row || row.status !== 'member') return 'none';
    return Number(row.earning_blocked) ? 'blocked' : 'ok';
  }
}

/** Global and dependency-free, so the points module can ask without importing the members module (which imports it). */
@Global()
@Module({ providers: [{ provide: MemberDirectory, useClass: MemberTableDirectory }], exports: [MemberDirectory] })
export class MemberDirectoryModule {}
