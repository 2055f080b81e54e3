import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { maskPhone, type memberDetail, type StaffRole } from '@huoyue/shared';
import type { Actor } from '../../infra/auth/token.service.js';
import { AuditService } from '../staff/index.js';
import { DomainError, notFound } from '../../infra/http/domain-error.js';
import { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { EngagementService } from '../engagement/index.js';
import { ChurnService } from '../lifecycle/index.js';
import { PointsService } from '../points/index.js';
import { CardCodeService } from './card-code.service.js';
import { Member } from './entities/member.entity.js';
import { MemberListService } from './member-list.service.js';

type MemberDetail = z.output<typeof memberDetail>;

/** The staff side of members: the detail view, the scanned card code, the earning blacklist. */
@Injectable()
export class MemberAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly engagement: EngagementService,
    private readonly points: PointsService,
    private readonly cardCodes: CardCodeService,
    private readonly audit: AuditService,
    private readonly churn: ChurnService,
    private readonly list: MemberListService,
  ) {}

  /**
   * One member as this staff role may read it: a clerk (the lowest role) sees the phone masked and no birthday
   * (docs/security.md, "Who may read what").
   */
  async detailFor(role: StaffRole, memberId: number): Promise<MemberDetail> {
    return leastRead(role, await this.detail(memberId));
  }

  async byCardCodeFor(role: StaffRole, code: string): Promise<MemberDetail> {
    return leastRead(role, await this.byCardCode(code));
  }

  async detail(memberId: number): Promise<MemberDetail> {
    const member = await this.dataSource.getRepository(Member).findOneBy({ id: memberId });
    if (!member || member.status === 'merged') throw notFound('会员');
    const [[summary], balances, events, lifecycle] = await Promise.all([
      this.list.summaries([member]),
      this.points.balances(member.id),
      this.engagement.recent(member.id, 20),
      this.churn.memberView(member.id),
    ]);
    return {
      ...summary!,
      phone: member.phone,
      birthday: member.birthday,
      points: balances.balance,
      growth: balances.growth,
      firstSeenAt: member.firstSeenAt.toISOString(),
      source: member.source,
      recentEvents: events.map((e) => ({
        type: e.type,
        occurredAt: e.occurredAt.toISOString(),
        properties: e.properties,
      })),
      ...lifecycle,
    };
  }

  async byCardCode(code: string): Promise<MemberDetail> {
    const cardNo = this.cardCodes.verify(code);
    if (!cardNo)
      throw new DomainError('CARD_CODE_INVALID', '会员码无效或已过期，请让顾客刷新后重新出示');
    const member = await this.dataSource
      .getRepository(Member)
      .findOneBy({ cardNo, status: 'member' });
    if (!member)
      throw new DomainError('CARD_CODE_INVALID', '会员码无效或已过期，请让顾客刷新后重新出示');
    return this.detail(member.id);
  }

  /** Puts a member on the blacklist (no earning on any path) or takes them off; audited. */
  async setEarningBlock(
    actor: Actor,
    memberId: number,
    blocked: boolean,
    reason: string,
  ): Promise<boolean> {
    return this.uow.run(async (tx) => {
      const member = await tx.em.findOneBy(Member, { id: memberId });
      if (!member || member.status === 'closed' || member.status === 'merged')
        throw new DomainError('NOT_FOUND', '会员不存在或已注销');
      await tx.em.update(Member, { id: memberId }, { earningBlocked: blocked });
      await this.audit.record(tx, actor, {
        action: blocked ? 'member.earning_block' : 'member.earning_unblock',
        entityType: 'member',
        entityId: memberId,
        before: { blocked: member.earningBlocked },
        after: { blocked, reason },
      });
      return blocked;
    });
  }
}

/** What a clerk may read of a member's details: the masked phone (138****1234), no birthday. */
function leastRead(role: StaffRole, detail: MemberDetail): MemberDetail {
  if (role !== 'clerk') return detail;
  return { ...detail, phone: maskPhone(detail.phone), birthday: null };
}
