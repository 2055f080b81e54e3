import { randomInt } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager, type FindOptionsWhere, In } from 'typeorm';
import type { z } from 'zod';
import type { joinBody, memberRef, WelcomeGiftView } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { bulkInsert, placeholders, sqlInstant } from '../../infra/database/bulk.js';
import { isUniqueViolation } from '../../infra/database/errors.js';
import { findOneForUpdate } from '../../infra/database/locks.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { UnitOfWork, type Tx } from '../../infra/events/unit-of-work.js';
import { WechatGateway } from '../../infra/wechat/wechat.gateway.js';
import { WechatApiError } from '../../infra/wechat/wechat.errors.js';
import { EngagementService } from '../engagement/index.js';
import { LifecycleService } from '../lifecycle/index.js';
import { PointsService } from '../points/index.js';
import { MemberSessionStatus } from './member-session-status.js';
import { activeMember } from './active-member.js';
import { generateCardNo } from './card-code.service.js';
import { Member } from './entities/member.entity.js';
import { TierService } from './tier.service.js';
import { JoinSettingsService } from './join-settings.service.js';

type JoinInput = z.output<typeof joinBody>;
/** The joined member, and what the welcome gift brought (null: the brand gives none, or a merge). */
export type Joined = { member: Member; welcomeGift: WelcomeGiftView | null };
export type MemberRef = z.output<typeof memberRef>;
/** What an import knows about a customer besides the reference, by reference. */
type OfflineProfiles = Map<string, Partial<Pick<Member, 'nickname' | 'birthday' | 'phone'>>>;
export interface OfflineMemberInput {
  phone?: string | null;
  externalRef?: string | null;
  nickname?: string | null;
  birthday?: string | null;
  at: Date;
}

/** The member column a reference names, with its value. */
function refWhere(ref: MemberRef): FindOptionsWhere<Member> {
  if ('id' in ref) return { id: ref.id };
  if ('cardNo' in ref) return { cardNo: ref.cardNo };
  if ('phone' in ref) return { phone: ref.phone };
  return { openid: ref.openid };
}

/** A member reference in an import that is a mainland mobile number (else it is the brand's own customer id). */
export const PHONE_REF = /^1[3-9]\d{9}$/;

/**
 * Member identity: WeChat login, joining (and merging into a record known offline), offline members, and the
 * look-ups other modules make. The member's card and data rights are MemberAccountService; the staff side is
 * MemberAdminService.
 */
@Injectable()
export class MembersService {
  private readonly logger = new Logger('Members');

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly wechat: WechatGateway,
    private readonly engagement: EngagementService,
    private readonly points: PointsService,
    private readonly tiers: TierService,
    private readonly lifecycle: LifecycleService,
    private readonly joinSettings: JoinSettingsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: MemberSessionStatus,
  ) {}

  /** First sight creates a visitor (stage potential) keyed by openid; every login is an app-open in the log. */
  async loginWithWechat(code: string): Promise<Member> {
    const session = await this.wechatCall(() => this.wechat.code2Session(code), {
      40029: ['INVALID_LOGIN_CODE', '登录凭证无效或已过期，请重新进入小程序'],
      40163: ['INVALID_LOGIN_CODE', '登录凭证已被使用，请重新进入小程序'],
      40226: ['FORBIDDEN', '当前微信账号存在风险，暂时无法登录'],
    });
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.uow.run(async (tx) => {
          let member = await tx.em.findOneBy(Member, { openid: session.openid });
          const now = new Date();
          if (!member) {
            member = tx.em.create(Member, {
              openid: session.openid,
              unionid: session.unionid ?? null,
              stage: 'potential',
              status: 'visitor',
              source: 'wechat',
              firstSeenAt: now,
            });
            await tx.em.insert(Member, member);
            await tx.publish('member.registered', { memberId: member.id, at: now.toISOString() });
          } else if (session.unionid && member.unionid !== session.unionid) {
            await tx.em.update(Member, { id: member.id }, { unionid: session.unionid });
            member.unionid = session.unionid;
          }
          await this.engagement.record(tx, {
            memberId: member.id,
            type: 'app_open',
            occurredAt: now,
          });
          return member;
        });
      } catch (err) {
        // Two first logins of one person at once: the loser finds the winner's row on the next try.
        if (attempt === 0 && isUniqueViolation(err)) continue;
        throw err;
      }
    }
  }

  async join(memberId: number, input: JoinInput): Promise<Joined> {
    const current = await activeMember(this.dataSource, memberId);
    if (current.status === 'member') throw new DomainError('ALREADY_MEMBER', '您已经是会员了');
    const phone = input.phoneCode
      ? (
          await this.wechatCall(
            () => this.wechat.getPhoneNumber(input.phoneCode!, current.openid ?? undefined),
            {
              40029: ['INVALID_PHONE_CODE', '手机号授权已失效，请重新授权'],
            },
          )
        ).purePhoneNumber
      : undefined;

    const joined = await this.uow.run(async (tx) => {
      const visitor = await findOneForUpdate(tx.em, Member, { id: memberId });
      if (!visitor || visitor.status === 'closed' || visitor.status === 'merged')
        throw new DomainError('UNAUTHENTICATED', '登录状态无效，请重新登录');
      if (visitor.status === 'member') throw new DomainError('ALREADY_MEMBER', '您已经是会员了');
      const now = new Date();
      const owner = phone ? await tx.em.findOneBy(Member, { phone }) : null;
      if (owner && owner.id !== visitor.id) {
        if (owner.openid !== null || owner.status === 'closed' || owner.status === 'merged') {
          throw new DomainError('PHONE_TAKEN', '该手机号已绑定其他微信账号，如有疑问请联系门店');
        }
        // A customer the store already knew is not new: no welcome gift on a merge.
        return {
          member: await this.mergeIntoOffline(tx, visitor, owner, input, now),
          welcomeGift: null,
        };
      }
      const entry = await this.tiers.entryTier();
      const cardNo = await this.freeCardNo(tx.em);
      await tx.em.update(
        Member,
        { id: visitor.id },
        {
          status: 'member',
          cardNo,
          joinedAt: now,
          nickname: input.nickname ?? visitor.nickname,
          avatar: input.avatar ?? visitor.avatar,
          birthday: input.birthday ?? visitor.birthday,
          phone: phone ?? visitor.phone,
          tierCode: visitor.tierCode ?? entry?.code ?? null,
          tierSince: visitor.tierSince ?? now,
        },
      );
      // The points account exists from the start, so first earnings update a row instead of racing to create it.
      await this.points.ensureAccount(tx, visitor.id);
      await this.engagement.record(tx, { memberId: visitor.id, type: 'join', occurredAt: now });
      await tx.publish('member.joined', { memberId: visitor.id, cardNo, at: now.toISOString() });
      // The stage is the lifecycle module's decision; joining today with no purchase is `new`.
      await this.lifecycle.setStage(tx, visitor.id, visitor.stage, 'new', 'join');
      const welcomeGift = await this.joinSettings.giveWelcomeGift(tx, visitor.id);
      return { member: await tx.em.findOneByOrFail(Member, { id: visitor.id }), welcomeGift };
    });
    // A merge retires this record's tokens: the guard must read its status again.
    this.sessions.forget(memberId);
    return joined;
  }

  /**
   * The person was already known offline (import, POS) by this phone: the offline record survives, with its
   * history and balances, and takes over the WeChat identity; the visitor record is folded into it.
   */
  private async mergeIntoOffline(
    tx: Tx,
    visitor: Member,
    offline: Member,
    input: JoinInput,
    now: Date,
  ): Promise<Member> {
    const at = now.toISOString();
    await tx.em.update(
      Member,
      { id: visitor.id },
      { openid: null, unionid: null, status: 'merged', mergedIntoId: offline.id },
    );
    const entry = await this.tiers.entryTier();
    const cardNo = offline.cardNo ?? (await this.freeCardNo(tx.em));
    await tx.em.update(
      Member,
      { id: offline.id },
      {
        openid: visitor.openid,
        unionid: visitor.unionid ?? offline.unionid,
        status: 'member',
        source: 'wechat',
        cardNo,
        joinedAt: offline.joinedAt ?? now,
        nickname: input.nickname ?? offline.nickname ?? visitor.nickname,
        avatar: input.avatar ?? offline.avatar ?? visitor.avatar,
        birthday: input.birthday ?? offline.birthday,
        tierCode: offline.tierCode ?? entry?.code ?? null,
        firstSeenAt:
          offline.firstSeenAt < visitor.firstSeenAt ? offline.firstSeenAt : visitor.firstSeenAt,
      },
    );
    await this.engagement.reassign(tx, visitor.id, offline.id);
    await this.points.merge(tx, visitor.id, offline.id);
    await this.engagement.record(tx, {
      memberId: offline.id,
      type: 'join',
      occurredAt: now,
      properties: { mergedFrom: visitor.id },
    });
    await tx.publish('member.merged', { survivorId: offline.id, mergedId: visitor.id, at });
    await tx.publish('member.joined', { memberId: offline.id, cardNo, at });
    // An offline record that never joined becomes `new`; one with purchases is re-decided by the lifecycle refresh.
    if (offline.stage === 'potential')
      await this.lifecycle.setStage(tx, offline.id, 'potential', 'new', 'join');
    return tx.em.findOneByOrFail(Member, { id: offline.id });
  }

  /**
   * The member an order or an import refers to, by id, card number, phone or openid. A merged record answers for
   * the member it was merged into; a closed one for nobody.
   */
  async resolveRef(ref: MemberRef, tx?: Tx): Promise<Member | null> {
    const em = tx?.em ?? this.dataSource.manager;
    let member = await em.findOneBy(Member, refWhere(ref));
    for (let hops = 0; member?.status === 'merged' && member.mergedIntoId && hops < 3; hops++)
      member = await em.findOneBy(Member, { id: member.mergedIntoId });
    return member && member.status !== 'closed' && member.status !== 'merged' ? member : null;
  }

  /**
   * A customer known only offline (POS, old CRM): created on first sight as a member with a card number and no
   * WeChat identity. When they join in the mini-program with the same phone, the two records merge.
   */
  async findOrCreateOffline(
    tx: Tx,
    input: OfflineMemberInput,
  ): Promise<{ member: Member; created: boolean }> {
    const existing =
      (input.phone ? await this.resolveRef({ phone: input.phone }, tx) : null) ??
      (input.externalRef
        ? await tx.em.findOneBy(Member, { externalRef: input.externalRef })
        : null);
    if (existing) return { member: existing, created: false };
    const entry = await this.tiers.entryTier();
    const member = tx.em.create(Member, {
      openid: null,
      unionid: null,
      cardNo: await this.freeCardNo(tx.em),
      nickname: input.nickname ?? null,
      phone: input.phone ?? null,
      birthday: input.birthday ?? null,
      externalRef: input.externalRef ?? null,
      stage: 'new',
      status: 'member',
      source: 'offline',
      tierCode: entry?.code ?? null,
      tierSince: input.at,
      tierExpiresAt: null,
      tierNoticeFor: null,
      mergedIntoId: null,
      firstSeenAt: input.at,
      joinedAt: input.at,
      closedAt: null,
    });
    await tx.em.insert(Member, member);
    await tx.publish('member.joined', {
      memberId: member.id,
      cardNo: member.cardNo!,
      at: input.at.toISOString(),
    });
    return { member, created: true };
  }

  /**
   * Bulk form of findOrCreateOffline for imports: each reference (a mainland mobile number, or the brand's own
   * customer id) to a member id, creating offline members for those not known yet. Imported customers do not
   * emit `member.joined`: history is not news, and nobody should be greeted a hundred thousand times.
   */
  async resolveOrCreateOffline(
    tx: Tx,
    refs: string[],
    at: Date,
    profiles: OfflineProfiles = new Map(),
  ): Promise<Map<string, number>> {
    const em = tx.em;
    const unique = [...new Set(refs)];
    const found = new Map<string, number>();
    await this.findByRefs(em, unique, found);
    await this.findByProfilePhone(em, unique, profiles, found);
    const missing = unique.filter((r) => !found.has(r));
    if (missing.length === 0) return found;
    await this.insertOffline(em, missing, at, profiles);
    await this.findByRefs(em, unique, found);
    return found;
  }

  /** Adds to `found` the members the references name: phones by phone, the rest by the brand's customer id. */
  private async findByRefs(
    em: EntityManager,
    unique: string[],
    found: Map<string, number>,
  ): Promise<void> {
    const phones = unique.filter((r) => PHONE_REF.test(r));
    const externals = unique.filter((r) => !PHONE_REF.test(r));
    if (phones.length) {
      const rows: { id: number; phone: string }[] = await em.query(
        `SELECT id, phone FROM member WHERE phone IN (${placeholders(phones.length)})`,
        phones,
      );
      for (const r of rows) found.set(r.phone, Number(r.id));
    }
    if (externals.length) {
      const rows: { id: number; external_ref: string }[] = await em.query(
        `SELECT id, external_ref FROM member WHERE external_ref IN (${placeholders(externals.length)})`,
        externals,
      );
      for (const r of rows) found.set(r.external_ref, Number(r.id));
    }
  }

  /** A customer id whose phone is already a member's (they joined in WeChat first) is that member. */
  private async findByProfilePhone(
    em: EntityManager,
    unique: string[],
    profiles: OfflineProfiles,
    found: Map<string, number>,
  ): Promise<void> {
    const byPhone = unique
      .filter((r) => !found.has(r) && profiles.get(r)?.phone)
      .map((r) => [r, profiles.get(r)!.phone!] as const);
    if (byPhone.length) {
      const rows: { id: number; phone: string }[] = await em.query(
        `SELECT id, phone FROM member WHERE phone IN (${placeholders(byPhone.length)})`,
        byPhone.map(([, phone]) => phone),
      );
      const ids = new Map(rows.map((r) => [r.phone, Number(r.id)]));
      for (const [ref, phone] of byPhone) if (ids.has(phone)) found.set(ref, ids.get(phone)!);
    }
  }

  /** Offline members for the references nobody answers to yet, in one bulk insert. */
  private async insertOffline(
    em: EntityManager,
    missing: string[],
    at: Date,
    profiles: OfflineProfiles,
  ): Promise<void> {
    const kind = this.config.database.kind;
    const entry = (await this.tiers.entryTier())?.code ?? null;
    const when = sqlInstant(kind, at);
    const rows = missing.map((ref) => {
      const profile = profiles.get(ref) ?? {};
      const phone = PHONE_REF.test(ref) ? ref : (profile.phone ?? null);
      return [
        phone,
        PHONE_REF.test(ref) ? null : ref,
        generateCardNo(() => randomInt(0, 1_000_000) / 1_000_000),
        profile.nickname ?? null,
        profile.birthday ?? null,
        'new',
        'member',
        'offline',
        entry,
        when,
        when,
        when,
      ];
    });
    await bulkInsert(
      em,
      kind,
      'member',
      [
        'phone',
        'external_ref',
        'card_no',
        'nickname',
        'birthday',
        'stage',
        'status',
        'source',
        'tier_code',
        'tier_since',
        'first_seen_at',
        'joined_at',
      ],
      rows,
    );
  }

  /** Ids of the members in some tiers and stages (empty lists: any), for announcements to an audience. */
  async audience(tiers: string[], stages: string[]): Promise<number[]> {
    const where = ["status = 'member'"];
    if (tiers.length) where.push(`tier_code IN (${placeholders(tiers.length)})`);
    if (stages.length) where.push(`stage IN (${placeholders(stages.length)})`);
    const rows = (await this.dataSource.query(
      `SELECT id FROM member WHERE ${where.join(' AND ')} ORDER BY id`,
      [...tiers, ...stages],
    )) as { id: number }[];
    return rows.map((r) => Number(r.id));
  }

  /** Nicknames by id, for lists other modules show (leaderboards); closed members have none. */
  async nicknames(ids: number[]): Promise<Map<number, string | null>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource
      .getRepository(Member)
      .find({ where: { id: In(ids) }, select: { id: true, nickname: true } });
    return new Map(rows.map((r) => [r.id, r.nickname]));
  }

  // ---- helpers ----

  private async freeCardNo(em: EntityManager): Promise<string> {
    for (let i = 0; i < 10; i++) {
      const cardNo = generateCardNo(() => randomInt(0, 1_000_000) / 1_000_000);
      if (!(await em.existsBy(Member, { cardNo }))) return cardNo;
    }
    throw new DomainError('SERVICE_UNAVAILABLE', '暂时无法分配会员卡号，请稍后再试');
  }

  /** Maps WeChat's errcodes to our error codes; anything unexpected or transient is "WeChat unavailable". */
  private async wechatCall<T>(
    call: () => Promise<T>,
    known: Record<number, [DomainError['code'], string]>,
  ): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof WechatApiError) {
        const mapped = known[err.errcode];
        if (mapped) throw new DomainError(mapped[0], mapped[1]);
        this.logger.warn({ errcode: err.errcode, path: err.path }, 'WeChat call failed');
        throw new DomainError('WECHAT_UNAVAILABLE', '微信服务繁忙，请稍后再试');
      }
      throw err;
    }
  }
}
