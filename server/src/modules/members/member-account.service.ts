import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MemberCard } from '@huoyue/shared';
import type { z } from 'zod';
import type { memberExport } from '@huoyue/shared';
import { findOneForUpdate } from '../../infra/database/locks.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { PersonalDataRegistry } from '../../infra/privacy/personal-data.js';
import { EngagementService } from '../engagement/index.js';
import { PointsService } from '../points/index.js';
import { activeMember } from './active-member.js';
import { MemberSessionStatus } from './member-session-status.js';
import { CardCodeService } from './card-code.service.js';
import { Member } from './entities/member.entity.js';
import { TierService } from './tier.service.js';

type MemberExport = z.output<typeof memberExport>;

/** SQLite hands back datetimes as UTC text without a zone; MySQL (timezone Z) as Date. */
const toUtcDate = (v: Date | string) =>
  v instanceof Date ? v : new Date(v.includes('T') ? v : `${v.replace(' ', 'T')}Z`);

/** The member's own side of the membership: the card, its scannable code, the data export, closing. */
@Injectable()
export class MemberAccountService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly engagement: EngagementService,
    private readonly points: PointsService,
    private readonly tiers: TierService,
    private readonly cardCodes: CardCodeService,
    private readonly sessions: MemberSessionStatus,
    private readonly personalData: PersonalDataRegistry,
  ) {}

  async card(memberId: number): Promise<MemberCard> {
    // The hottest read of the app: one indexed SELECT, no query building (see docs/benchmarks.md).
    const rows: {
      id: number;
      nickname: string | null;
      card_no: string | null;
      stage: MemberCard['stage'];
      status: string;
      tier_code: string | null;
      joined_at: Date | string | null;
    }[] = await this.dataSource.query(
      'SELECT id, nickname, card_no, stage, status, tier_code, joined_at FROM member WHERE id = ?',
      [memberId],
    );
    const row = rows[0];
    if (!row || row.status === 'closed' || row.status === 'merged')
      throw new DomainError('UNAUTHENTICATED', '登录状态无效，请重新登录');
    const [tier, balances] = await Promise.all([
      this.tiers.byCode(row.tier_code),
      this.points.balances(memberId),
    ]);
    return {
      id: row.id,
      nickname: row.nickname,
      cardNo: row.card_no,
      stage: row.stage,
      tier: tier ? { code: tier.code, name: tier.name } : null,
      points: balances.balance,
      growth: balances.growth,
      joinedAt: row.joined_at === null ? null : toUtcDate(row.joined_at).toISOString(),
    };
  }

  async toCard(member: Member): Promise<MemberCard> {
    const [tier, balances] = await Promise.all([
      this.tiers.byCode(member.tierCode),
      this.points.balances(member.id),
    ]);
    return {
      id: member.id,
      // A freshly created entity leaves unset columns undefined; the contract says null.
      nickname: member.nickname ?? null,
      cardNo: member.cardNo ?? null,
      stage: member.stage,
      tier: tier ? { code: tier.code, name: tier.name } : null,
      points: balances.balance,
      growth: balances.growth,
      joinedAt: member.joinedAt?.toISOString() ?? null,
    };
  }

  async cardCode(memberId: number) {
    const member = await activeMember(this.dataSource, memberId);
    if (member.status !== 'member' || !member.cardNo)
      throw new DomainError('NOT_A_MEMBER', '开通会员后才有会员码哦');
    const issued = this.cardCodes.issue(member.cardNo);
    return {
      code: issued.code,
      expiresAt: issued.expiresAt.toISOString(),
      refreshInSeconds: issued.refreshInSeconds,
    };
  }

  async exportData(memberId: number): Promise<MemberExport> {
    const member = await activeMember(this.dataSource, memberId);
    const [balances, events, sections] = await Promise.all([
      this.points.balances(memberId),
      this.engagement.all(memberId),
      this.personalData.exportAll(memberId),
    ]);
    return {
      exportedAt: new Date().toISOString(),
      member: {
        id: member.id,
        cardNo: member.cardNo,
        nickname: member.nickname,
        avatar: member.avatar,
        phone: member.phone,
        birthday: member.birthday,
        openid: member.openid,
        unionid: member.unionid,
        stage: member.stage,
        tierCode: member.tierCode,
        firstSeenAt: member.firstSeenAt.toISOString(),
        joinedAt: member.joinedAt?.toISOString() ?? null,
      },
      points: { balance: balances.balance, growth: balances.growth },
      events: events.map((e) => ({
        type: e.type,
        occurredAt: e.occurredAt.toISOString(),
        properties: e.properties,
      })),
      sections,
    };
  }

  /**
   * Closes the membership at once: personal fields erased, the openid unlinked (a later login starts a new
   * visitor), the log kept without personal details; balances stay as anonymous accounting records. Every other
   * module erases its own part on `member.closed` (delivered before this answers). Answers what each part keeps.
   */
  async close(
    memberId: number,
  ): Promise<{ closed: true; policy: { title: string; onClose: string }[] }> {
    await this.uow.run(async (tx) => {
      const member = await findOneForUpdate(tx.em, Member, { id: memberId });
      if (!member || member.status === 'closed' || member.status === 'merged')
        throw new DomainError('UNAUTHENTICATED', '登录状态无效，请重新登录');
      const now = new Date();
      await tx.em.update(
        Member,
        { id: memberId },
        {
          openid: null,
          unionid: null,
          nickname: null,
          avatar: null,
          phone: null,
          birthday: null,
          externalRef: null,
          cardNo: null,
          status: 'closed',
          closedAt: now,
        },
      );
      await this.engagement.anonymise(tx, memberId);
      await tx.publish('member.closed', { memberId, at: now.toISOString() });
    });
    // Every route refuses this member's tokens from now on (other processes within MEMBER_STATUS_TTL_MS).
    this.sessions.forget(memberId);
    return {
      closed: true,
      policy: this.personalData.closingPolicy().map(({ title, onClose }) => ({ title, onClose })),
    };
  }
}
