import type { LedgerType, LifecycleStage } from '@huoyue/shared';

/**
 * Every domain event, by name, with its payload. Publishers and subscribers are type-checked against it.
 * Payloads are plain JSON: they are stored in the outbox before anyone reads them.
 */
export interface DomainEventMap {
  /** A WeChat user was seen for the first time (a visitor, stage potential). */
  'member.registered': { memberId: number; at: string };
  /** A visitor joined the programme and got a card number. */
  'member.joined': { memberId: number; cardNo: string; at: string };
  /** An offline member (imported, POS) and a WeChat member turned out to be one person. */
  'member.merged': { survivorId: number; mergedId: number; at: string };
  /** A member closed the membership; personal data is gone, only anonymous accounting remains. */
  'member.closed': { memberId: number; at: string };
  /**
   * Decided by the lifecycle module: a purchase, a join or merge, or the nightly recompute (`day` is the
   * as-of date).
   */
  'member.stage_changed': {
    memberId: number;
    from: LifecycleStage;
    to: LifecycleStage;
    day: string;
    cause: string;
    at: string;
  };
  /** An active or silent member reached the day P(alive) falls below the brand's threshold without a new purchase. */
  'member.at_risk': { memberId: number; stage: LifecycleStage; day: string; at: string };
  /** A member's tier moved (upgrade as soon as growth allows; retained or dropped at the end of a tier period). */
  'member.tier_changed': {
    memberId: number;
    from: string | null;
    to: string;
    reason: 'upgrade' | 'downgrade' | 'import' | 'staff';
    at: string;
  };
  /** The tier period ends within the notice days and the member has not yet earned enough growth to keep it. */
  'member.tier_at_risk': {
    memberId: number;
    tierCode: string;
    expiresAt: string;
    growthNeeded: number;
    at: string;
  };
  /** Any ledger entry: points and growth are signed changes, balance and growthTotal the values after it. */
  'points.changed': {
    memberId: number;
    type: LedgerType;
    points: number;
    growth: number;
    balance: number;
    growthTotal: number;
    at: string;
  };
  /** Points that expire on `expiresOn` (the last usable brand-local day): once per lot, noticeDays before. */
  'points.expiring': { memberId: number; points: number; expiresOn: string; at: string };
  'points.expired': { memberId: number; points: number; at: string };
  /** A paid order was recorded (POS, e-commerce, staff, import with points credited). */
  'order.paid': {
    memberId: number;
    orderNo: string;
    amount: number;
    paidAt: string;
    storeCode: string | null;
  };
  /**
   * A check-in (daily or makeup); badgeCode is the ladder's badge for that cycle day, triggerRef keys what it
   * earned.
   */
  'checkin.created': {
    memberId: number;
    day: string;
    kind: 'daily' | 'makeup';
    streak: number;
    cycleDay: number;
    points: number;
    badgeCode: string | null;
    triggerRef: string;
    at: string;
  };
  /** A badge level was awarded (once per member, badge and level). */
  'badge.awarded': {
    memberId: number;
    badgeCode: string;
    level: number;
    rewardPoints: number;
    triggerRef: string;
    at: string;
  };
  'coupon.claimed': {
    memberId: number;
    couponId: number;
    templateId: number;
    channel: string;
    validTo: string;
    at: string;
  };
  /** Used in store (storeCode) or with an order (orderNo). */
  'coupon.used': {
    memberId: number;
    couponId: number;
    templateId: number;
    storeCode: string | null;
    orderNo: string | null;
    at: string;
  };
  'coupon.use_undone': { memberId: number; couponId: number; at: string };
  /** Three days before a coupon ends, once per coupon. */
  'coupon.expiring': {
    memberId: number;
    couponId: number;
    templateId: number;
    validTo: string;
    at: string;
  };
  /** A mall redemption completed (paid, when there was cash to pay); coupons it bought are issued. */
  'mall.redeemed': {
    memberId: number;
    redemptionId: number;
    itemId: number;
    quantity: number;
    pointsSpent: number;
    at: string;
  };
  'mall.shipped': { memberId: number; redemptionId: number; trackingNo: string; at: string };
  /** Cancelled by staff or by the payment timeout: stock and points are back. */
  'mall.cancelled': {
    memberId: number;
    redemptionId: number;
    pointsReturned: number;
    reason: string;
    at: string;
  };
  /** A batch of an order import was written (imports publish no order.paid unless they credit points). */
  'orders.imported': { importId: number; memberIds: number[]; at: string };
  /** WeChat (or the SMS provider) accepted a message. */
  'message.sent': {
    memberId: number;
    messageId: number;
    automationId: number | null;
    channel: string;
    at: string;
  };
  /** A message will not go out: a permanent error, no channel left, or retries exhausted (reason says which). */
  'message.failed': {
    memberId: number;
    messageId: number;
    automationId: number | null;
    reason: string;
    at: string;
  };
  /** The member opened the mini-program from a message (its tracking token). */
  'message.opened': {
    memberId: number;
    messageId: number;
    automationId: number | null;
    at: string;
  };
  /** A member day's window opened / closed (once per occurrence, whatever the number of instances). */
  'member_day.started': {
    memberDayId: number;
    occurrenceId: number;
    day: string;
    startsAt: string;
    endsAt: string;
    at: string;
  };
  /** A member bought or checked in during one of their member days (once per member, member day and date). */
  'member_day.participated': { memberId: number; memberDayId: number; day: string; at: string };
  'member_day.ended': {
    memberDayId: number;
    occurrenceId: number;
    day: string;
    startsAt: string;
    endsAt: string;
    at: string;
  };
  'order.refunded': {
    memberId: number;
    orderNo: string;
    refundNo: string;
    amount: number;
    at: string;
  };
}

export type DomainEventName = keyof DomainEventMap;
