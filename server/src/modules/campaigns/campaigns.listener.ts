import { Inject, Injectable } from '@nestjs/common';
import { brandDay, type AutomationTrigger } from '@huoyue/shared';
import { MemberDaysService } from '../memberdays/index.js';
import { MembersService } from '../members/index.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import {
  OnDomainEvent,
  OnDomainEvents,
  type DomainEventMap,
} from '../../infra/events/event-bus.js';
import { CampaignsService } from './campaigns.service.js';

/** Turns domain events into automation enrolments, and purchases and check-ins into conversions. */
@Injectable()
export class CampaignsListener {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly memberDays: MemberDaysService,
    private readonly members: MembersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Only today's decisions trigger journeys: a backfill or what-if recompute as of another day must not message
   * anyone.
   */
  private current(day: string): boolean {
    return day === brandDay(new Date(), this.config.brandTimezone);
  }

  @OnDomainEvent('member.stage_changed')
  async stageChanged(e: DomainEventMap['member.stage_changed']): Promise<void> {
    if (this.current(e.day))
      await this.campaigns.trigger(
        'stage_changed',
        e.memberId,
        {},
        (t) => t.type === 'stage_changed' && t.to === e.to,
      );
  }

  @OnDomainEvent('member.at_risk')
  async atRisk(e: DomainEventMap['member.at_risk']): Promise<void> {
    if (this.current(e.day)) await this.campaigns.trigger('at_risk', e.memberId);
  }

  @OnDomainEvent('points.expiring')
  async pointsExpiring(e: DomainEventMap['points.expiring']): Promise<void> {
    // Automations with their own "N days before" are served by the daily scan instead.
    await this.campaigns.trigger(
      'points_expiring',
      e.memberId,
      { expiringPoints: e.points, expiringOn: e.expiresOn },
      (t) => t.type === 'points_expiring' && t.days === null,
    );
  }

  @OnDomainEvent('coupon.expiring')
  async couponExpiring(e: DomainEventMap['coupon.expiring']): Promise<void> {
    await this.campaigns.trigger(
      'coupon_expiring',
      e.memberId,
      { couponValidTo: e.validTo.slice(0, 10) },
      (t) => t.type === 'coupon_expiring' && t.days === null,
    );
  }

  /** A member day opened: its audience enters the automations on that trigger (each member once per dedupe window). */
  @OnDomainEvent('member_day.started')
  async memberDayStarted(e: DomainEventMap['member_day.started']): Promise<void> {
    const day = await this.memberDays.definition(e.memberDayId);
    if (!day) return;
    const match = (t: AutomationTrigger) =>
      t.type === 'member_day_started' &&
      (t.memberDayId === null || t.memberDayId === e.memberDayId);
    if (!(await this.campaigns.hasActive('member_day_started', match))) return;
    for (const memberId of await this.members.audience(day.audience.tiers, day.audience.stages)) {
      await this.campaigns.trigger(
        'member_day_started',
        memberId,
        { memberDayName: day.name },
        match,
      );
    }
  }

  /** A batch of purchases: one read of their members' open enrolments. */
  @OnDomainEvents('order.paid')
  async paid(events: DomainEventMap['order.paid'][]): Promise<void> {
    await this.campaigns.convertMany(
      'purchase',
      events.map((e) => ({ memberId: e.memberId, at: new Date(e.paidAt) })),
    );
  }

  /** A morning's check-ins converted together: one read of their members' open enrolments per batch. */
  @OnDomainEvents('checkin.created')
  async checkedIn(events: DomainEventMap['checkin.created'][]): Promise<void> {
    await this.campaigns.convertMany(
      'checkin',
      events.map((e) => ({ memberId: e.memberId, at: new Date(e.at) })),
    );
  }
}
