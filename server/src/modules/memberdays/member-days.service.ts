import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, LessThanOrEqual, MoreThan, Not } from 'typeorm';
import { brandDay } from '@huoyue/shared';
import type { memberDayBody, memberDayView, occurrenceView } from '@huoyue/shared';
import type { z } from 'zod';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import type { Actor } from '../../infra/auth/token.service.js';
import { type Tx, UnitOfWork } from '../../infra/events/unit-of-work.js';
import { DomainError, notFound } from '../../infra/http/domain-error.js';
import { SwrCache } from '../../infra/settings/swr-cache.js';
import { CouponsService } from '../coupons/index.js';
import { MallService } from '../mall/index.js';
import { MemberDirectory, type MemberProfile } from '../members/member-directory.module.js';
import { AuditService } from '../staff/index.js';
import { MemberDay, MemberDayOccurrence } from './member-day.entities.js';
import { fallsOn, nextDays, windowOf } from './schedule.js';

type Body = z.output<typeof memberDayBody>;
type View = z.output<typeof memberDayView>;
type OccurrenceView = z.output<typeof occurrenceView>;

/** Occurrences are written this many days ahead, so "next" and the console's calendar read stored rows. */
const AHEAD_DAYS = 35;

/**
 * Member days (会员日): definitions, their occurrences (scheduled ahead; started and ended once by conditional
 * updates, with `member_day.started` / `ended`), and the benefits asked for by the points and check-in modules
 * through their bonus providers. Reports are MemberDayReports; exclusives MemberDayExclusives.
 */
@Injectable()
export class MemberDaysService {
  private readonly cache: SwrCache<MemberDay[]>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditService,
    private readonly members: MemberDirectory,
    private readonly coupons: CouponsService,
    private readonly mall: MallService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.cache = new SwrCache(
      () => this.dataSource.getRepository(MemberDay).find({ order: { id: 'ASC' } }),
      5_000,
    );
  }

  private get tz(): string {
    return this.config.brandTimezone;
  }

  /** The definitions, from the cache the bonus providers read on every order and check-in. */
  definitions(): Promise<MemberDay[]> {
    return this.cache.get();
  }

  async list(now = new Date()): Promise<View[]> {
    const ran = await this.ranIds(now);
    return (await this.cache.get()).map((d) => view(d, ran.has(d.id)));
  }

  /** Member days with an occurrence that started, ended or whose window opened already. */
  private async ranIds(now: Date, id?: number): Promise<Set<number>> {
    const repo = this.dataSource.getRepository(MemberDayOccurrence);
    const where = id === undefined ? {} : { memberDayId: id };
    const rows = await repo.find({
      select: { memberDayId: true },
      where: [
        { ...where, status: Not('scheduled') },
        { ...where, startsAt: LessThanOrEqual(now) },
      ],
    });
    return new Set(rows.map((r) => r.memberDayId));
  }

  /**
   * Creates or changes a member day (audited). In `outer` when given (changed together with other rules): the
   * cache and the schedule follow after that transaction commits.
   */
  async save(actor: Actor, input: Body, id?: number, outer?: Tx): Promise<View> {
    await this.checkExclusives(input);
    if (outer) {
      const saved = await this.saveIn(outer, actor, input, id);
      outer.afterCommit(() => void this.refreshAndSchedule().catch(() => undefined));
      return view(saved, true);
    }
    const saved = await this.uow.run((tx) => this.saveIn(tx, actor, input, id));
    await this.refreshAndSchedule();
    return view(saved, (await this.ranIds(new Date(), saved.id)).size > 0);
  }

  private async saveIn(tx: Tx, actor: Actor, input: Body, id?: number): Promise<MemberDay> {
    const before = id ? await tx.em.findOneBy(MemberDay, { id }) : null;
    if (id && !before) throw notFound('会员日');
    const row = await tx.em.save(
      MemberDay,
      // A new one is stamped to the millisecond (SQLite's column default keeps whole seconds): the rule simulator
      // gives its bonus only to orders processed after it existed.
      tx.em.create(MemberDay, { ...(before ?? { createdAt: new Date() }), ...input }),
    );
    // Occurrences not started yet follow the new definition; running and past ones stay as they were.
    await tx.em.delete(MemberDayOccurrence, { memberDayId: row.id, status: 'scheduled' });
    await this.audit.record(tx, actor, {
      action: id ? 'member_day.update' : 'member_day.create',
      entityType: 'member_day',
      entityId: row.id,
      before,
      after: input,
    });
    return row;
  }

  /** The exclusives must exist: a coupon template or mall item that is not there is refused with its name. */
  private async checkExclusives(input: Body): Promise<void> {
    const { couponTemplateIds, mallItemIds } = input.benefits;
    if (couponTemplateIds.length > 0) {
      const known = new Set((await this.coupons.templates()).map((t) => t.id));
      if (couponTemplateIds.some((t) => !known.has(t)))
        throw new DomainError('NOT_FOUND', '所选的专享优惠券不存在，请重新选择');
    }
    if (mallItemIds.length > 0) {
      const known = new Set((await this.mall.allItems()).map((i) => i.id));
      if (mallItemIds.some((i) => !known.has(i)))
        throw new DomainError('NOT_FOUND', '所选的专享商品不存在，请重新选择');
    }
  }

  /**
   * Switched off: no future occurrences, no benefits from now on (a running one ends now). Switched on: scheduled
   * again from today.
   */
  async setActive(actor: Actor, id: number, active: boolean): Promise<View> {
    const now = new Date();
    await this.uow.run(async (tx) => {
      const before = await tx.em.findOneBy(MemberDay, { id });
      if (!before) throw notFound('会员日');
      await tx.em.update(MemberDay, { id }, { active });
      if (!active) {
        await tx.em.delete(MemberDayOccurrence, { memberDayId: id, status: 'scheduled' });
        const running = await tx.em.findBy(MemberDayOccurrence, {
          memberDayId: id,
          status: 'started',
        });
        for (const o of running) await this.endNow(tx, o, now);
      }
      await this.audit.record(tx, actor, {
        action: active ? 'member_day.activate' : 'member_day.deactivate',
        entityType: 'member_day',
        entityId: id,
        before: { active: before.active },
        after: { active },
      });
    });
    await this.refreshAndSchedule();
    const row = (await this.cache.get()).find((d) => d.id === id)!;
    return view(row, (await this.ranIds(now, id)).size > 0);
  }

  /** A running occurrence of a member day switched off ends at once (once: a conditional update). */
  private async endNow(tx: Tx, o: MemberDayOccurrence, now: Date): Promise<void> {
    const won = await tx.em.update(
      MemberDayOccurrence,
      { id: o.id, status: 'started' },
      { status: 'ended', endsAt: now },
    );
    if ((won.affected ?? 0) !== 1) return;
    await tx.publish('member_day.ended', {
      memberDayId: o.memberDayId,
      occurrenceId: o.id,
      day: String(o.day).slice(0, 10),
      startsAt: o.startsAt.toISOString(),
      endsAt: now.toISOString(),
      at: now.toISOString(),
    });
  }

  /** Deletes a member day that never ran; one that ran has a history (reports, badges) and is switched off instead. */
  async remove(actor: Actor, id: number): Promise<void> {
    await this.uow.run(async (tx) => {
      const before = await tx.em.findOneBy(MemberDay, { id });
      if (!before) throw notFound('会员日');
      if ((await this.ranIds(new Date(), id)).size > 0)
        throw new DomainError(
          'CONFLICT',
          '该会员日已经举办过，保留记录以便查看报表，不能删除；可以停用它',
          { suggest: 'deactivate' },
        );
      await tx.em.delete(MemberDayOccurrence, { memberDayId: id });
      await tx.em.delete(MemberDay, { id });
      await this.audit.record(tx, actor, {
        action: 'member_day.delete',
        entityType: 'member_day',
        entityId: id,
        before,
        after: null,
      });
    });
    await this.refreshAndSchedule();
  }

  /** After a change: the cache now, and the occurrences ahead (the minute's tick starts them). */
  private async refreshAndSchedule(): Promise<void> {
    this.cache.set(await this.dataSource.getRepository(MemberDay).find({ order: { id: 'ASC' } }));
    await this.schedule(new Date());
  }

  async definition(id: number): Promise<MemberDay | null> {
    return (
      (await this.cache.get()).find((d) => d.id === id) ??
      this.dataSource.getRepository(MemberDay).findOneBy({ id })
    );
  }

  async preview(id: number, count: number): Promise<OccurrenceView[]> {
    const day = await this.dataSource.getRepository(MemberDay).findOneBy({ id });
    if (!day) throw notFound('会员日');
    return nextDays(day.schedule, brandDay(new Date(), this.tz), count).map((d) =>
      this.occurrenceView(day, d),
    );
  }

  async occurrences(
    id: number,
  ): Promise<(OccurrenceView & { id: number; status: MemberDayOccurrence['status'] })[]> {
    const day = await this.dataSource.getRepository(MemberDay).findOneBy({ id });
    if (!day) throw notFound('会员日');
    const rows = await this.dataSource
      .getRepository(MemberDayOccurrence)
      .find({ where: { memberDayId: id }, order: { day: 'ASC' } });
    return rows.map((o) => ({
      ...this.occurrenceView(day, String(o.day).slice(0, 10)),
      id: o.id,
      status: o.status,
    }));
  }

  /**
   * The scheduled job (every minute, any instance): writes occurrences ahead, starts those whose window opened and
   * ends those whose window closed. Each start and end is a conditional UPDATE that one instance wins, and only the
   * winner publishes the event.
   */
  async tick(now: Date): Promise<number> {
    await this.schedule(now);
    let changed = 0;
    const repo = this.dataSource.getRepository(MemberDayOccurrence);
    for (const [from, to, event] of [
      ['scheduled', 'started', 'member_day.started'],
      ['started', 'ended', 'member_day.ended'],
    ] as const) {
      const due = await repo.find({
        where:
          from === 'scheduled'
            ? { status: from, startsAt: LessThanOrEqual(now) }
            : { status: from, endsAt: LessThanOrEqual(now) },
      });
      for (const o of due) {
        // A window that closed before anyone started it goes straight to ended, announcing both.
        const target = from === 'scheduled' && o.endsAt <= now ? 'ended' : to;
        await this.uow.run(async (tx) => {
          const won = await tx.em.update(
            MemberDayOccurrence,
            { id: o.id, status: from },
            { status: target },
          );
          if ((won.affected ?? 0) !== 1) return;
          changed++;
          const payload = {
            memberDayId: o.memberDayId,
            occurrenceId: o.id,
            day: String(o.day).slice(0, 10),
            startsAt: o.startsAt.toISOString(),
            endsAt: o.endsAt.toISOString(),
            at: now.toISOString(),
          };
          await tx.publish(event, payload);
          if (target === 'ended' && event === 'member_day.started')
            await tx.publish('member_day.ended', payload);
        });
      }
    }
    return changed;
  }

  /** Writes the occurrences of the next AHEAD_DAYS days that are missing (unique per day: safe on every instance). */
  private async schedule(now: Date): Promise<void> {
    const today = brandDay(now, this.tz);
    for (const day of await this.cache.get()) {
      if (!day.active) continue;
      const rows = nextDays(day.schedule, today, AHEAD_DAYS, AHEAD_DAYS).map((d) => ({
        memberDayId: day.id,
        day: d,
        ...windowOf(d, day.startTime, day.endTime, this.tz),
        status: 'scheduled' as const,
      }));
      // In a unit of work: two saves at once can deadlock on the unique (member day, day) gap; it retries.
      if (rows.length)
        await this.uow.run((tx) =>
          tx.em
            .createQueryBuilder()
            .insert()
            .into(MemberDayOccurrence)
            .values(rows)
            .orIgnore()
            .execute(),
        );
    }
  }

  /** Whether a switched-on member day's window contains `at` (whoever its audience). */
  isOn(d: MemberDay, at: Date): boolean {
    const day = brandDay(at, this.tz);
    if (!d.active || !fallsOn(d.schedule, day)) return false;
    const w = windowOf(day, d.startTime, d.endTime, this.tz);
    return w.startsAt <= at && at < w.endsAt;
  }

  /** Member days whose window contains `at` and whose audience includes the member. */
  async activeFor(
    memberId: number,
    at: Date,
    profile?: MemberProfile | null,
  ): Promise<MemberDay[]> {
    const candidates = (await this.cache.get()).filter((d) => this.isOn(d, at));
    if (candidates.length === 0) return [];
    const needsProfile = candidates.some(
      (d) => d.audience.tiers.length > 0 || d.audience.stages.length > 0,
    );
    const p = needsProfile ? (profile ?? (await this.members.profile(memberId))) : null;
    return candidates.filter((d) => inAudience(d, p));
  }

  /** For the points module: the best member-day multiplier on an order paid at `paidAt` (only inside the window). */
  async orderBonus(
    memberId: number,
    paidAt: Date,
  ): Promise<{ name: string; multiplier: number } | null> {
    const active = (await this.activeFor(memberId, paidAt)).filter(
      (d) => d.benefits.pointsMultiplier > 1,
    );
    if (active.length === 0) return null;
    const best = active.reduce((a, b) =>
      b.benefits.pointsMultiplier > a.benefits.pointsMultiplier ? b : a,
    );
    return { name: `会员日·${best.name}`, multiplier: best.benefits.pointsMultiplier };
  }

  /** For the check-in module: bonus points for checking in during a member day (the best one). */
  async checkinBonus(
    memberId: number,
    now = new Date(),
  ): Promise<{ name: string; points: number } | null> {
    const active = (await this.activeFor(memberId, now)).filter(
      (d) => d.benefits.checkinBonusPoints > 0,
    );
    if (active.length === 0) return null;
    const best = active.reduce((a, b) =>
      b.benefits.checkinBonusPoints > a.benefits.checkinBonusPoints ? b : a,
    );
    return { name: `会员日·${best.name}`, points: best.benefits.checkinBonusPoints };
  }

  async current(memberId: number, now = new Date()): Promise<OccurrenceView | null> {
    const [day] = await this.activeFor(memberId, now);
    return day ? this.occurrenceView(day, brandDay(now, this.tz)) : null;
  }

  async next(memberId: number, now = new Date()): Promise<OccurrenceView | null> {
    const profile = await this.members.profile(memberId);
    const days = (await this.cache.get()).filter((d) => d.active && inAudience(d, profile));
    if (days.length === 0) return null;
    const upcoming = await this.dataSource.getRepository(MemberDayOccurrence).find({
      where: {
        memberDayId: In(days.map((d) => d.id)),
        status: 'scheduled',
        startsAt: MoreThan(now),
      },
      order: { startsAt: 'ASC' },
      take: 1,
    });
    const o = upcoming[0];
    return o
      ? this.occurrenceView(
          days.find((d) => d.id === o.memberDayId)!,
          String(o.day).slice(0, 10),
        )
      : null;
  }

  private occurrenceView(d: MemberDay, day: string): OccurrenceView {
    const w = windowOf(day, d.startTime, d.endTime, this.tz);
    return {
      memberDayId: d.id,
      name: d.name,
      day,
      startsAt: w.startsAt.toISOString(),
      endsAt: w.endsAt.toISOString(),
      benefits: d.benefits,
    };
  }
}

/** Whether the member is in the member day's audience (no tiers and no stages: every member). */
export function inAudience(d: MemberDay, profile: MemberProfile | null): boolean {
  if (d.audience.tiers.length === 0 && d.audience.stages.length === 0) return true;
  if (!profile || profile.status !== 'member') return false;
  if (d.audience.tiers.length > 0 && !d.audience.tiers.includes(profile.tierCode ?? ''))
    return false;
  if (d.audience.stages.length > 0 && !d.audience.stages.includes(profile.stage)) return false;
  return true;
}

function view(d: MemberDay, hasRun: boolean): View {
  return {
    id: d.id,
    name: d.name,
    schedule: d.schedule,
    startTime: d.startTime,
    endTime: d.endTime,
    audience: d.audience,
    benefits: d.benefits,
    active: d.active,
    hasRun,
  };
}
