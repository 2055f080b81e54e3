import { Inject, Injectable } from '@nestjs/common';
import type { z } from 'zod';
import {
  addDays,
  brandDay,
  type badgeAward,
  type CheckinRules,
  checkinRules,
} from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { bulkInsert, placeholders, sqlInstant } from '../../infra/database/bulk.js';
import { isUniqueViolation } from '../../infra/database/errors.js';
import { GroupCommit, type Settled } from '../../infra/database/group-commit.js';
import { type Tx, UnitOfWork } from '../../infra/events/unit-of-work.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { SharedCounter } from '../../infra/limits/shared-counter.js';
import { SettingsService } from '../../infra/settings/settings.service.js';
import { BadgePreview } from '../badges/index.js';
import { EngagementService } from '../engagement/index.js';
import { MemberDirectory } from '../members/member-directory.module.js';
import { PointsService } from '../points/index.js';
import { Checkin } from './checkin.entity.js';
import { takeDeviceSlot } from './checkin-limits.js';
import { CHECKIN_RULES_KEY, DEFAULT_CHECKIN_RULES } from './checkin-rules.js';

type BadgeAward = z.output<typeof badgeAward>;

/** A campaign that adds check-in points on some days (member days plug in here). */
export type CheckinBonusProvider = (input: {
  memberId: number;
  day: string;
}) => Promise<{ name: string; points: number } | null>;

export interface CheckinOutcome {
  checkin: Checkin;
  /** The badges this check-in earns (awarded by the badges consumer after the answer; shown in the answer). */
  badges: BadgeAward[];
}

export interface CheckinRequest {
  memberId: number;
  client: { ip: string | null; deviceId: string | null };
  now: Date;
}

/** A check-in admitted in a group: its place in the group and its brand-local day. */
interface Admitted extends CheckinRequest {
  index: number;
  day: string;
}

/** A check-in decided in a group, before its rows are written. */
interface Planned extends Admitted {
  streak: number;
  cycleDay: number;
  points: number;
  badgeCode: string | null;
}

const triggerRef = (memberId: number, day: string) => `checkin:${memberId}:${day}`;

/**
 * The daily check-in, the busiest write of a member day's morning. Check-ins that arrive together are written
 * together (GroupCommit): one transaction per group holds the group's own writes only — check-in rows, their ledger
 * credits, the engagement log, the outbox — with multi-row statements; badges, tiers, member days and campaigns
 * follow from `checkin.created` after the answer. Each member's refusals (not a member, blocked, already checked
 * in, a full device) are that member's answer alone; a group that fails as a whole is written one by one.
 */
@Injectable()
export class DailyCheckins {
  private readonly bonusProviders: CheckinBonusProvider[] = [];
  private readonly groups = new GroupCommit<CheckinRequest, CheckinOutcome>(
    (items) => this.writeGroup(items),
    (item) => this.writeAlone(item),
    { maxBatch: 200, inFlight: 2 },
  );

  constructor(
    private readonly uow: UnitOfWork,
    private readonly settings: SettingsService,
    private readonly points: PointsService,
    private readonly members: MemberDirectory,
    private readonly engagement: EngagementService,
    private readonly badgePreview: BadgePreview,
    private readonly counter: SharedCounter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  addBonusProvider(provider: CheckinBonusProvider): void {
    this.bonusProviders.push(provider);
  }

  /** Today's check-in. 409 ALREADY_CHECKED_IN the second time the same brand-local day, whatever the concurrency. */
  async checkIn(request: CheckinRequest): Promise<CheckinOutcome> {
    await this.assertNotFarming(await this.rules(), request);
    return this.groups.submit(request);
  }

  private rules(): Promise<CheckinRules> {
    return this.settings.get(CHECKIN_RULES_KEY, checkinRules, DEFAULT_CHECKIN_RULES);
  }

  /**
   * Scripts that check in thousands of accounts share IPs and devices: both are limited, and every refusal says
   * why. The IP window is an hourly window of the shared counter, one increment per check-in, held across
   * instances (a COUNT over the log grew with every check-in from a busy IP, docs/benchmarks.md); the device limit
   * is a counter row taken with the check-in (takeDeviceSlot).
   */
  private async assertNotFarming(
    rules: CheckinRules,
    { client, now }: CheckinRequest,
  ): Promise<void> {
    if (!client.ip) return;
    const key = `checkin-ip:${client.ip}`;
    const limit = rules.antiFarming.perIpPerHour;
    if ((await this.counter.take(key, 3_600_000, limit, 1, now.getTime())) === 0)
      throw new DomainError('RATE_LIMITED', '签到人数过多，请稍后再试');
  }

  /** A group in one transaction: refusals answered per member, the accepted ones written with multi-row statements. */
  private async writeGroup(items: CheckinRequest[]): Promise<Settled<CheckinOutcome>[]> {
    const rules = await this.rules();
    return this.uow.run(async (tx) => {
      const outcomes: Settled<CheckinOutcome>[] = [];
      const refuse = (i: number, error: DomainError) => (outcomes[i] = { ok: false, error });
      const candidates = await this.admit(tx, items, refuse);
      const admitted: Admitted[] = [];
      for (const c of candidates) {
        try {
          await takeDeviceSlot(
            tx.em,
            rules.antiFarming.membersPerDevicePerDay,
            c.memberId,
            c.client.deviceId,
            c.day,
          );
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          refuse(c.index, err);
          continue;
        }
        admitted.push(c);
      }
      const positioned = await this.plan(tx, rules, admitted);
      const written = await this.write(tx, positioned);
      written.forEach((outcome, i) => (outcomes[positioned[i]!.index] = outcome));
      return outcomes;
    });
  }

  /** The members who may check in today: members, not blocked, not checked in yet (the first of a duplicate). */
  private async admit(
    tx: Tx,
    items: CheckinRequest[],
    refuse: (i: number, error: DomainError) => void,
  ): Promise<Admitted[]> {
    const tz = this.config.brandTimezone;
    const withDay = items.map((item, index) => ({ ...item, index, day: brandDay(item.now, tz) }));
    const memberIds = [...new Set(items.map((i) => i.memberId))];
    const standings = await this.members.earningStandings(memberIds, tx);
    const days = [...new Set(withDay.map((i) => i.day))];
    const done = (await tx.em.query(
      `SELECT member_id, day FROM checkin
       WHERE member_id IN (${placeholders(memberIds.length)}) AND day IN (${placeholders(days.length)})`,
      [...memberIds, ...days],
    )) as { member_id: number | string; day: string | Date }[];
    const taken = new Set(done.map((r) => `${Number(r.member_id)}:${dayText(r.day)}`));
    return withDay.filter((item) => {
      const standing = standings.get(item.memberId);
      const key = `${item.memberId}:${item.day}`;
      if (standing === 'none')
        refuse(item.index, new DomainError('NOT_A_MEMBER', '开通会员后才能签到'));
      else if (standing === 'blocked')
        refuse(
          item.index,
          new DomainError('MEMBER_BLOCKED', '该账号暂时无法参与签到，如有疑问请联系客服'),
        );
      else if (taken.has(key))
        refuse(item.index, new DomainError('ALREADY_CHECKED_IN', '今天已经签到过了，明天再来吧'));
      else {
        taken.add(key); // a second request of the same member in this group is refused like a later one
        return true;
      }
      return false;
    });
  }

  /** Streak, cycle day and points of each check-in, from each member's last check-in before its day. */
  private async plan(tx: Tx, rules: CheckinRules, items: Admitted[]): Promise<Planned[]> {
    const last = new Map<string, { day: string; streak: number; cycleDay: number }>();
    for (const day of new Set(items.map((i) => i.day))) {
      const ids = items.filter((i) => i.day === day).map((i) => i.memberId);
      const rows = (await tx.em.query(
        `SELECT c.member_id, c.day, c.streak, c.cycle_day FROM checkin c
         WHERE c.member_id IN (${placeholders(ids.length)})
           AND c.day = (SELECT MAX(p.day) FROM checkin p WHERE p.member_id = c.member_id AND p.day < ?)`,
        [...ids, day],
      )) as { member_id: number | string; day: string | Date; streak: number; cycle_day: number }[];
      for (const r of rows)
        last.set(`${Number(r.member_id)}:${day}`, {
          day: dayText(r.day),
          streak: Number(r.streak),
          cycleDay: Number(r.cycle_day),
        });
    }
    const planned: Planned[] = [];
    for (const item of items) {
      const prev = last.get(`${item.memberId}:${item.day}`);
      const { streak, cycleDay } = nextPosition(rules, item.day, prev);
      const reward = rules.rewards[cycleDay - 1]!;
      const bonus = (
        await Promise.all(
          this.bonusProviders.map((p) => p({ memberId: item.memberId, day: item.day })),
        )
      ).reduce((s, b) => s + (b?.points ?? 0), 0);
      planned.push({
        ...item,
        streak,
        cycleDay,
        points: reward.points + bonus,
        badgeCode: reward.badgeCode,
      });
    }
    return planned;
  }

  /** The rows of the accepted check-ins: check-ins, credits, the engagement log, the events; and the answers. */
  private async write(tx: Tx, planned: Planned[]): Promise<Settled<CheckinOutcome>[]> {
    if (planned.length === 0) return [];
    const kind = this.config.database.kind;
    // The unique (member, day) still decides against other instances: a collision fails the group (then one by one).
    await bulkInsert(
      tx.em,
      kind,
      'checkin',
      [
        'member_id',
        'day',
        'checked_at',
        'kind',
        'streak',
        'cycle_day',
        'points',
        'ip',
        'device_id',
        'created_at',
      ],
      planned.map((c) => [
        c.memberId,
        c.day,
        sqlInstant(kind, c.now),
        'daily',
        c.streak,
        c.cycleDay,
        c.points,
        c.client.ip,
        c.client.deviceId,
        sqlInstant(kind, c.now),
      ]),
    );
    await this.points.creditMany(
      tx,
      planned
        .filter((c) => c.points > 0)
        .map((c) => ({
          memberId: c.memberId,
          type: 'reward' as const,
          points: c.points,
          key: triggerRef(c.memberId, c.day),
          sourceType: 'checkin',
          sourceRef: c.day,
          reason: `签到第 ${c.cycleDay} 天`,
          at: c.now,
          fresh: true,
          eligible: true, // admitted above: members who may earn
        })),
    );
    await this.engagement.recordMany(
      tx,
      planned.map((c) => ({
        memberId: c.memberId,
        type: 'checkin',
        occurredAt: c.now,
        sourceRef: triggerRef(c.memberId, c.day),
        properties: { streak: c.streak, cycleDay: c.cycleDay },
      })),
    );
    await tx.publishMany('checkin.created', planned.map(checkinEvent));
    const badges = await this.badgePreview.forCheckins(
      tx,
      planned.map((c) => ({
        memberId: c.memberId,
        streak: c.streak,
        badgeCode: c.badgeCode,
        at: c.now,
      })),
    );
    return planned.map((c, i) => ({
      ok: true,
      value: { checkin: checkinRow(c), badges: badges[i]! },
    }));
  }

  /** One check-in in its own transaction: the way back when its group failed as a whole. */
  private async writeAlone(item: CheckinRequest): Promise<CheckinOutcome> {
    try {
      const [outcome] = await this.writeGroup([item]);
      if (!outcome!.ok) throw outcome!.error;
      return outcome!.value;
    } catch (err) {
      if (isUniqueViolation(err))
        throw new DomainError('ALREADY_CHECKED_IN', '今天已经签到过了，明天再来吧');
      throw err;
    }
  }
}

/** Streak and cycle day of a check-in on `day`, after the member's last check-in before it. */
function nextPosition(
  rules: CheckinRules,
  day: string,
  prev: { day: string; streak: number; cycleDay: number } | undefined,
): { streak: number; cycleDay: number } {
  if (prev && prev.day === addDays(day, -1))
    return { streak: prev.streak + 1, cycleDay: (prev.cycleDay % rules.cycleDays) + 1 };
  if (rules.breakResets || !prev) return { streak: 1, cycleDay: 1 };
  return { streak: 1, cycleDay: (prev.cycleDay % rules.cycleDays) + 1 };
}

function checkinEvent(c: Planned) {
  return {
    memberId: c.memberId,
    day: c.day,
    kind: 'daily' as const,
    streak: c.streak,
    cycleDay: c.cycleDay,
    points: c.points,
    badgeCode: c.badgeCode,
    triggerRef: triggerRef(c.memberId, c.day),
    at: c.now.toISOString(),
  };
}

function checkinRow(c: Planned): Checkin {
  return Object.assign(new Checkin(), {
    memberId: c.memberId,
    day: c.day,
    checkedAt: c.now,
    kind: 'daily',
    streak: c.streak,
    cycleDay: c.cycleDay,
    points: c.points,
    ip: c.client.ip,
    deviceId: c.client.deviceId,
  });
}

/** A DATE column as YYYY-MM-DD (mysql2 may hand back a Date or text, SQLite text). */
function dayText(value: string | Date): string {
  return typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);
}
