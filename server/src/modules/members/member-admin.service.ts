import { Injectable } from '@nestjs/common';
import { DataSource, In, LessThan, Like } from 'typeorm';
import { maskPhone } from '@huoyue/shared';
import type { z } from 'zod';
import type { memberDetail, memberSummary } from '@huoyue/shared';
import type { Actor } from '../../infra/auth/token.service.js';
import { AuditService } from '../staff/index.js';
import { DomainError, notFound } from '../../infra/http/domain-error.js';
import { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { EngagementService } from '../engagement/index.js';
import { ChurnService } from '../lifecycle/index.js';
import { PointsService } from '../points/index.js';
import { CardCodeService } from './card-code.service.js';
import { Member } from './entities/member.entity.js';
import { TierService } from './tier.service.js';

type MemberSummary = z.output<typeof memberSummary>;
type MemberDetail = z.output<typeof memberDetail>;

/** The staff side of members: search, the detail view, the scanned card code, the earning blacklist. */
@Injectable()
export class MemberAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly engagement: EngagementService,
    private readonly points: PointsService,
    private readonly tiers: TierService,
    private readonly cardCodes: CardCodeService,
    private readonly audit: AuditService,
    private readonly churn: ChurnService,
  ) {}

  async search(
    query: string | undefined,
    limit: number,
    cursor: string | undefined,
  ): Promise<{ items: MemberSummary[]; nextCursor: string | null }> {
    const repo = this.dataSource.getRepository(Member);
    const before = cursor && /^\d+$/.test(cursor) ? Number(cursor) : undefined;
    // Closed memberships stay in the list, marked 已注销 and with nothing personal left (nothing to search by).
    const base = {
      status: In(['member', 'visitor', 'closed']),
      ...(before ? { id: LessThan(before) } : {}),
    };
    const q = query?.trim();
    let where: object[] = [base];
    if (q) {
      const escaped = q.replace(/[\\%_]/g, (c) => `\\${c}`);
      where = [{ ...base, nickname: Like(`${escaped}%`) }];
      if (/^\d{12}$/.test(q)) where.push({ ...base, cardNo: q });
      if (/^1\d{10}$/.test(q)) where.push({ ...base, phone: q });
    }
    const rows = await repo.find({ where, order: { id: 'DESC' }, take: limit + 1 });
    const page = rows.slice(0, limit);
    const items = await Promise.all(page.map((m) => this.toSummary(m)));
    return { items, nextCursor: rows.length > limit ? String(page[page.length - 1]!.id) : null };
  }

  async detail(memberId: number): Promise<MemberDetail> {
    const member = await this.dataSource.getRepository(Member).findOneBy({ id: memberId });
    if (!member || member.status === 'merged') throw notFound('会员');
    const [summary, balances, events, lifecycle] = await Promise.all([
      this.toSummary(member),
      this.points.balances(member.id),
      this.engagement.recent(member.id, 20),
      this.churn.memberView(member.id),
    ]);
    return {
      ...summary,
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

  private async toSummary(m: Member): Promise<MemberSummary> {
    const tier = await this.tiers.byCode(m.tierCode);
    return {
      id: m.id,
      status: m.status,
      cardNo: m.cardNo,
      nickname: m.nickname,
      phoneMasked: maskPhone(m.phone),
      stage: m.stage,
      tier: tier ? { code: tier.code, name: tier.name } : null,
      joinedAt: m.joinedAt?.toISOString() ?? null,
    };
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
      await this.audit.record(tx.em, actor, {
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
