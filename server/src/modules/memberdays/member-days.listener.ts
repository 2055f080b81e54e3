import { Inject, Injectable } from '@nestjs/common';
import { brandDay } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { bulkInsert, sqlInstant } from '../../infra/database/bulk.js';
import {
  OnDomainEvent,
  OnDomainEvents,
  type DomainEventMap,
} from '../../infra/events/event-bus.js';
import { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { MemberDaysService } from './member-days.service.js';

/**
 * Purchases, check-ins, redemptions and coupon claims inside one of the member's member days count as taking part:
 * recorded once per member day, date and member (the occurrence report counts them), and announced once with
 * `member_day.participated` (badges count member days this way).
 */
@Injectable()
export class MemberDaysListener {
  constructor(
    private readonly days: MemberDaysService,
    private readonly uow: UnitOfWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A batch of purchases: the member days each one falls in, recorded in one transaction (usually none at all). */
  @OnDomainEvents('order.paid')
  async paid(events: DomainEventMap['order.paid'][]): Promise<void> {
    const taking: Participation[] = [];
    for (const e of events) {
      const at = new Date(e.paidAt);
      for (const d of await this.days.activeFor(e.memberId, at))
        taking.push({ memberId: e.memberId, memberDayId: d.id, at, via: 'purchase' });
    }
    await this.record(taking);
  }

  /** Daily check-ins of a batch: the member days in force come from memory; one transaction when any is. */
  @OnDomainEvents('checkin.created')
  async checkedIn(events: DomainEventMap['checkin.created'][]): Promise<void> {
    const taking: Participation[] = [];
    for (const e of events.filter((x) => x.kind === 'daily')) {
      const at = new Date(e.at);
      for (const d of await this.days.activeFor(e.memberId, at))
        taking.push({ memberId: e.memberId, memberDayId: d.id, at, via: 'checkin' });
    }
    await this.record(taking);
  }

  @OnDomainEvents('mall.redeemed')
  async redeemed(events: DomainEventMap['mall.redeemed'][]): Promise<void> {
    const taking: Participation[] = [];
    for (const e of events) {
      const at = new Date(e.at);
      for (const d of await this.days.activeFor(e.memberId, at))
        taking.push({ memberId: e.memberId, memberDayId: d.id, at, via: 'redemption' });
    }
    await this.record(taking);
  }

  @OnDomainEvent('coupon.claimed')
  async claimed(e: DomainEventMap['coupon.claimed']): Promise<void> {
    if (e.channel === 'center') await this.participated(e.memberId, new Date(e.at), 'coupon_claim');
  }

  private async participated(memberId: number, at: Date, via: string): Promise<void> {
    const active = await this.days.activeFor(memberId, at);
    await this.record(active.map((d) => ({ memberId, memberDayId: d.id, at, via })));
  }

  /**
   * Records participations, the first per (member day, date, member) only, each announced once. The slots already
   * taken are read first and the rest inserted plainly: a concurrent delivery of the same slot fails this
   * transaction on the unique key (and the batch falls back to one by one), so nothing is announced twice.
   */
  private async record(taking: Participation[]): Promise<void> {
    if (taking.length === 0) return;
    const kind = this.config.database.kind;
    const tz = this.config.brandTimezone;
    const slots = new Map<string, Participation & { day: string }>();
    for (const p of taking) {
      const day = brandDay(p.at, tz);
      const key = `${p.memberDayId} ${day} ${p.memberId}`;
      if (!slots.has(key)) slots.set(key, { ...p, day });
    }
    await this.uow.run(async (tx) => {
      const all = [...slots.values()];
      const taken = (await tx.em.query(
        `SELECT member_day_id, day, member_id FROM member_day_participation
         WHERE ${all.map(() => '(member_day_id = ? AND day = ? AND member_id = ?)').join(' OR ')}`,
        all.flatMap((p) => [p.memberDayId, p.day, p.memberId]),
      )) as { member_day_id: number; day: string | Date; member_id: number }[];
      const known = new Set(
        taken.map((t) => `${t.member_day_id} ${dateText(t.day)} ${t.member_id}`),
      );
      const fresh = all.filter((p) => !known.has(`${p.memberDayId} ${p.day} ${p.memberId}`));
      await bulkInsert(
        tx.em,
        kind,
        'member_day_participation',
        ['member_day_id', 'day', 'member_id', 'via', 'first_at'],
        fresh.map((p) => [p.memberDayId, p.day, p.memberId, p.via, sqlInstant(kind, p.at)]),
      );
      for (const p of fresh)
        await tx.publish('member_day.participated', {
          memberId: p.memberId,
          memberDayId: p.memberDayId,
          day: p.day,
          at: p.at.toISOString(),
        });
    });
  }
}

interface Participation {
  memberId: number;
  memberDayId: number;
  at: Date;
  via: string;
}

/** A DATE column as read back: a string on SQLite and mysql2 with dateStrings, else a Date at UTC midnight. */
const dateText = (d: string | Date): string =>
  typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10);
