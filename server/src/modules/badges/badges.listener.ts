import { Injectable } from '@nestjs/common';
import { OnDomainEvent, OnDomainEvents } from '../../infra/events/event-bus.js';
import type { DomainEventMap } from '../../infra/events/event-map.js';
import { TierService } from '../members/index.js';
import { BadgeBatch } from './badge-batch.js';
import { checkinChange } from './badge-metrics.js';
import { BadgesService } from './badges.service.js';

/** Turns what happened elsewhere into badge facts. Each handler names the event key that makes it apply once. */
@Injectable()
export class BadgesListener {
  constructor(
    private readonly badges: BadgesService,
    private readonly tiers: TierService,
    private readonly batch: BadgeBatch,
  ) {}

  /** A batch of check-ins (a morning's rush) in one transaction, as BadgeBatch does for orders. */
  @OnDomainEvents('checkin.created')
  onCheckin(events: DomainEventMap['checkin.created'][]) {
    return this.batch.apply(
      events.map((e) => ({
        eventKey: `checkin:${e.memberId}:${e.day}`,
        memberId: e.memberId,
        change: checkinChange(e.streak),
        triggerRef: e.triggerRef,
        at: new Date(e.at),
        direct: e.badgeCode,
      })),
    );
  }

  /** A batch of orders in one transaction (BadgeBatch: the same facts and awards as one at a time). */
  @OnDomainEvents('order.paid')
  onOrder(events: DomainEventMap['order.paid'][]) {
    return this.batch.apply(
      events.map((e) => ({
        eventKey: `order:${e.orderNo}`,
        memberId: e.memberId,
        change: { purchases: 1, spend: e.amount },
        triggerRef: `order:${e.orderNo}`,
        at: new Date(Math.min(Date.parse(e.paidAt), Date.now())),
      })),
    );
  }

  /** A batch of redemptions (a rush on the mall) in one transaction. */
  @OnDomainEvents('mall.redeemed')
  onRedeemed(events: DomainEventMap['mall.redeemed'][]) {
    return this.batch.apply(
      events.map((e) => ({
        eventKey: `mall:${e.redemptionId}`,
        memberId: e.memberId,
        change: { redemptions: 1 },
        triggerRef: `mall:${e.redemptionId}`,
        at: new Date(Math.min(Date.parse(e.at), Date.now())),
      })),
    );
  }

  @OnDomainEvent('coupon.used')
  onCouponUsed(e: DomainEventMap['coupon.used']) {
    return this.badges.apply(
      `coupon-used:${e.couponId}:${e.at}`,
      e.memberId,
      { couponsUsed: 1 },
      `coupon:${e.couponId}`,
    );
  }

  /** Once per member, member day and date, however many orders and check-ins it took. */
  @OnDomainEvent('member_day.participated')
  onMemberDay(e: DomainEventMap['member_day.participated']) {
    return this.badges.apply(
      `memberday:${e.memberId}:${e.memberDayId}:${e.day}`,
      e.memberId,
      { memberDays: 1 },
      `memberday:${e.memberDayId}:${e.day}`,
    );
  }

  @OnDomainEvent('member.joined')
  onJoined(e: DomainEventMap['member.joined']) {
    return this.badges.apply(
      `joined:${e.memberId}`,
      e.memberId,
      { joinedAt: new Date(e.at) },
      `joined:${e.memberId}`,
    );
  }

  @OnDomainEvent('member.tier_changed')
  async onTier(e: DomainEventMap['member.tier_changed']) {
    const rank = (await this.tiers.byCode(e.to))?.rank ?? 0;
    return this.badges.apply(
      `tier:${e.memberId}:${e.to}:${e.at}`,
      e.memberId,
      { tierRank: { max: rank } },
      `tier:${e.memberId}:${e.to}`,
    );
  }
}
