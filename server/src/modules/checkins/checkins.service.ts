import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import {
  addDays,
  addMonths,
  brandDay,
  type CheckinRules,
  checkinRules,
  type checkinMonth,
} from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { isUniqueViolation } from '../../infra/database/errors.js';
import { type Tx, UnitOfWork } from '../../infra/events/unit-of-work.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { SettingsService } from '../../infra/settings/settings.service.js';
import { MemberDirectory } from '../members/member-directory.module.js';
import { PointsService } from '../points/index.js';
import { AuditService } from '../staff/index.js';
import { BadgePreview } from '../badges/index.js';
import { EngagementService } from '../engagement/index.js';
import { Checkin, CheckinMember } from './checkin.entity.js';
import { assertMakeupDay, CHECKIN_RULES_KEY, DEFAULT_CHECKIN_RULES } from './checkin-rules.js';
import { type CheckinBonusProvider, type CheckinOutcome, DailyCheckins } from './daily-checkin.js';
import { ensureProfile, position, renumberAfter } from './checkin-rows.js';
import { makeupsUsed, pruneLimitCounters, takeMakeupSlot } from './checkin-limits.js';

type CheckinMonth = z.output<typeof checkinMonth>;

export type { CheckinBonusProvider, CheckinOutcome };

/**
 * Daily check-ins with streaks and a reward ladder, makeup check-ins, the reminder wish, and the limits that stop
 * farming scripts. Rewards go through the points ledger with the check-in as idempotency key.
 */
@Injectable()
export class CheckinsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly settings: SettingsService,
    private readonly points: PointsService,
    private readonly members: MemberDirectory,
    private readonly engagement: EngagementService,
    private readonly audit: AuditService,
    private readonly badgePreview: BadgePreview,
    private readonly daily: DailyCheckins,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  rules(tx?: Tx): Promise<CheckinRules> {
    return this.settings.get(CHECKIN_RULES_KEY, checkinRules, DEFAULT_CHECKIN_RULES, tx);
  }

  /** Changes the check-in rules (audited); in `outer` when given (changed together with other rules). */
  async setRules(
    actor: StaffPrincipal,
    value: z.input<typeof checkinRules>,
    outer?: Tx,
  ): Promise<CheckinRules> {
    const work = async (tx: Tx) => {
      const before = await this.rules(tx);
      const after = await this.settings.set(tx, CHECKIN_RULES_KEY, checkinRules, value);
      await this.audit.record(tx, actor, {
        action: 'checkins.rules.update',
        entityType: 'setting',
        entityId: CHECKIN_RULES_KEY,
        before,
        after,
      });
      return after;
    };
    return outer ? work(outer) : this.uow.run(work);
  }

  /** Deletes the limit counters of periods that are over (job `checkins.prune_limits`). */
  pruneLimits(asOf: Date): Promise<number> {
    return pruneLimitCounters(this.dataSource.manager, brandDay(asOf, this.config.brandTimezone));
  }

  addBonusProvider(provider: CheckinBonusProvider): void {
    this.daily.addBonusProvider(provider);
  }

  static triggerRef(memberId: number, day: string): string {
    return `checkin:${memberId}:${day}`;
  }

  /** Today's check-in (written in a group with the others arriving at the same time, see DailyCheckins). */
  checkIn(
    memberId: number,
    client: { ip: string | null; deviceId: string | null },
    now = new Date(),
  ): Promise<CheckinOutcome> {
    return this.daily.checkIn({ memberId, client, now });
  }

  /**
   * Checks in a missed day of the current cycle, paid with a makeup card or points, and restores the streak as
   * if the day had been checked: the days after it are renumbered. It pays no reward of its own.
   */
  async makeup(memberId: number, day: string, now = new Date()): Promise<CheckinOutcome> {
    const rules = await this.rules();
    const today = brandDay(now, this.config.brandTimezone);
    assertMakeupDay(rules, day, today);
    try {
      return await this.uow.run(async (tx) => {
        await this.assertMayMakeUp(tx, rules, memberId, day, today);
        const { streak, cycleDay } = await position(tx.em, rules, memberId, day);
        const checkin = tx.em.create(Checkin, {
          memberId,
          day,
          checkedAt: now,
          kind: 'makeup',
          streak,
          cycleDay,
          points: 0,
          ip: null,
          deviceId: null,
        });
        await tx.em.insert(Checkin, checkin);
        await this.payForMakeup(tx, rules, memberId, day);
        await renumberAfter(tx.em, rules, checkin);
        const ref = CheckinsService.triggerRef(memberId, day);
        await this.engagement.record(tx, {
          memberId,
          type: 'checkin',
          occurredAt: now,
          sourceRef: ref,
          properties: { makeup: true },
        });
        const latest = await tx.em.findOne(Checkin, {
          where: { memberId },
          order: { day: 'DESC' },
        });
        await tx.publish('checkin.created', {
          memberId,
          day,
          kind: 'makeup',
          streak: latest?.streak ?? streak,
          cycleDay,
          points: 0,
          badgeCode: null,
          triggerRef: ref,
          at: now.toISOString(),
        });
        const restored = latest?.streak ?? streak;
        const badges = await this.badgePreview.forCheckin(tx, {
          memberId,
          streak: restored,
          badgeCode: null,
          at: now,
        });
        // The answer shows the streak as it stands now, restored.
        return { checkin: { ...checkin, streak: restored }, badges };
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new DomainError('ALREADY_CHECKED_IN', '这一天已经签到过了');
      throw err;
    }
  }

  async month(
    memberId: number,
    month: string | undefined,
    now = new Date(),
  ): Promise<CheckinMonth> {
    const rules = await this.rules();
    const tz = this.config.brandTimezone;
    const today = brandDay(now, tz);
    const m = month ?? today.slice(0, 7);
    const first = `${m}-01`;
    const rows = await this.dataSource
      .getRepository(Checkin)
      .createQueryBuilder('c')
      .where('c.member_id = :memberId AND c.day >= :first AND c.day < :next', {
        memberId,
        first,
        next: addMonths(first, 1),
      })
      .orderBy('c.day')
      .getMany();
    const recent = await this.dataSource
      .getRepository(Checkin)
      .find({ where: { memberId }, order: { day: 'DESC' }, take: rules.cycleDays + 1 });
    const todayRow = recent.find((r) => r.day === today);
    const yesterdayRow = recent.find((r) => r.day === addDays(today, -1));
    const streak = todayRow?.streak ?? yesterdayRow?.streak ?? 0;
    const next = todayRow
      ? (todayRow.cycleDay % rules.cycleDays) + 1
      : (await position(this.dataSource.manager, rules, memberId, today)).cycleDay;
    const profile = await this.dataSource.getRepository(CheckinMember).findOneBy({ memberId });
    const used = await makeupsUsed(
      this.dataSource.manager,
      memberId,
      today,
      this.config.brandTimezone,
    );
    const remaining = rules.makeup.enabled ? Math.max(0, rules.makeup.maxPerMonth - used) : 0;
    const checked = new Set(recent.map((r) => r.day));
    // Days before joining are not the member's to make up.
    const joinedDay = (await this.joinedDay(memberId)) ?? today;
    const allowedDates =
      remaining > 0
        ? Array.from({ length: rules.cycleDays - 1 }, (_, i) => addDays(today, -(i + 1))).filter(
            (d) => !checked.has(d) && d >= joinedDay,
          )
        : [];
    return {
      month: m,
      days: rows.map((r) => ({ date: r.day, kind: r.kind, points: r.points })),
      today,
      checkedToday: Boolean(todayRow),
      streak,
      nextReward: {
        cycleDay: next,
        points: rules.rewards[next - 1]!.points,
        badgeCode: rules.rewards[next - 1]!.badgeCode,
      },
      ladder: { cycleDays: rules.cycleDays, rewards: rules.rewards },
      makeup: {
        enabled: rules.makeup.enabled,
        costPoints: rules.makeup.costPoints,
        cards: profile?.makeupCards ?? 0,
        remainingThisMonth: remaining,
        allowedDates: allowedDates.sort(),
      },
      reminder: profile?.reminder ?? false,
    };
  }

  /**
   * Members whose streak of at least `minStreak` days broke on the day before `day` (checked in two days
   * before, not since).
   */
  async streaksBrokenBefore(
    day: string,
    minStreak: number,
  ): Promise<{ memberId: number; streak: number }[]> {
    const rows = (await this.dataSource.query(
      'SELECT c.member_id, c.streak FROM checkin c WHERE c.day = ? AND c.streak >= ? ' +
        'AND NOT EXISTS (SELECT 1 FROM checkin x WHERE x.member_id = c.member_id AND x.day >= ?)',
      [addDays(day, -2), minStreak, addDays(day, -1)],
    )) as { member_id: number; streak: number }[];
    return rows.map((r) => ({ memberId: Number(r.member_id), streak: Number(r.streak) }));
  }

  async setReminder(memberId: number, enabled: boolean): Promise<boolean> {
    await ensureProfile(this.dataSource.manager, memberId);
    await this.dataSource.getRepository(CheckinMember).update({ memberId }, { reminder: enabled });
    return enabled;
  }

  async grantCards(
    actor: StaffPrincipal,
    memberId: number,
    count: number,
    reason: string,
  ): Promise<number> {
    return this.uow.run(async (tx) => {
      if (!(await this.members.canHoldPoints(memberId, tx)))
        throw new DomainError('NOT_FOUND', '会员不存在或已注销');
      await ensureProfile(tx.em, memberId);
      await tx.em.increment(CheckinMember, { memberId }, 'makeupCards', count);
      const cards = (await tx.em.findOneByOrFail(CheckinMember, { memberId })).makeupCards;
      await this.audit.record(tx, actor, {
        action: 'checkins.makeup_cards.grant',
        entityType: 'member',
        entityId: memberId,
        after: { count, reason, cards },
      });
      return cards;
    });
  }

  /** The longest streak each member reached in a month, best first (the leaderboard's source). */
  async bestStreaks(month: string, limit: number): Promise<{ memberId: number; score: number }[]> {
    const rows: { member_id: number; score: number }[] = await this.dataSource.query(
      'SELECT member_id, MAX(streak) AS score FROM checkin WHERE day >= ? AND day < ? ' +
        `GROUP BY member_id ORDER BY score DESC, member_id ASC LIMIT ${Math.floor(limit)}`,
      // The next month's first day as the bound: '2026-11-31' is not a date, and MySQL compares it as NULL.
      [`${month}-01`, addMonths(`${month}-01`, 1)],
    );
    return rows.map((r) => ({ memberId: Number(r.member_id), score: Number(r.score) }));
  }

  async memberBestStreak(memberId: number, month: string): Promise<number> {
    const [row] = (await this.dataSource.query(
      'SELECT MAX(streak) AS score FROM checkin WHERE member_id = ? AND day >= ? AND day < ?',
      [memberId, `${month}-01`, addMonths(`${month}-01`, 1)],
    )) as { score: number | null }[];
    return Number(row?.score ?? 0);
  }

  // ---- internals ----

  /** A member may make up a day when earning, within the month's allowance, and not checked in that day. */
  private async assertMayMakeUp(
    tx: Tx,
    rules: CheckinRules,
    memberId: number,
    day: string,
    today: string,
  ): Promise<void> {
    await this.assertMayEarn(tx, memberId);
    const joinedDay = await this.joinedDay(memberId, tx);
    if (joinedDay !== null && day < joinedDay)
      throw new DomainError('MAKEUP_NOT_ALLOWED', `${day} 您还没有成为会员，不能补签入会前的日子`);
    // The month's slot, taken before the makeup is written.
    const taken = await takeMakeupSlot(
      tx.em,
      rules.makeup.maxPerMonth,
      memberId,
      today,
      this.config.brandTimezone,
    );
    if (!taken)
      throw new DomainError(
        'MAKEUP_NOT_ALLOWED',
        `本月补签次数已用完（每月 ${rules.makeup.maxPerMonth} 次）`,
      );
    if (await tx.em.existsBy(Checkin, { memberId, day }))
      throw new DomainError('ALREADY_CHECKED_IN', '这一天已经签到过了');
  }

  /** A makeup card pays for the day when the member holds one; otherwise the rules' points. */
  private async payForMakeup(
    tx: Tx,
    rules: CheckinRules,
    memberId: number,
    day: string,
  ): Promise<void> {
    await ensureProfile(tx.em, memberId);
    const card = await tx.em
      .createQueryBuilder()
      .update(CheckinMember)
      .set({ makeupCards: () => 'makeup_cards - 1' })
      .where('member_id = :memberId AND makeup_cards >= 1', { memberId })
      .execute();
    if ((card.affected ?? 0) !== 1 && rules.makeup.costPoints > 0) {
      await this.points.debit(tx, {
        memberId,
        type: 'spend',
        points: rules.makeup.costPoints,
        key: `makeup:${memberId}:${day}`,
        sourceType: 'checkin',
        sourceRef: day,
        reason: `补签 ${day}`,
      });
    }
  }

  /** The brand-local day the member joined (null: not a member). */
  private async joinedDay(memberId: number, tx?: Tx): Promise<string | null> {
    const joinedAt = (await this.members.profile(memberId, tx))?.joinedAt ?? null;
    return joinedAt ? brandDay(joinedAt, this.config.brandTimezone) : null;
  }

  private async assertMayEarn(tx: Tx, memberId: number): Promise<void> {
    const standing = await this.members.earningStanding(memberId, tx);
    if (standing === 'none') throw new DomainError('NOT_A_MEMBER', '开通会员后才能签到');
    if (standing === 'blocked')
      throw new DomainError('MEMBER_BLOCKED', '该账号暂时无法参与签到，如有疑问请联系客服');
  }
}
