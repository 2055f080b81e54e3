import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MemberDirectory, type MemberProfile } from '../members/member-directory.module.js';
import type { MemberDay } from './member-day.entities.js';
import { inAudience, MemberDaysService } from './member-days.service.js';

type Kind = 'mallItemIds' | 'couponTemplateIds';

/**
 * A member day's exclusives (专享): the mall items and coupon templates its benefits list. Such an item or coupon is
 * shown only to the audience of a member day that lists it, and can be redeemed or claimed only while one of those
 * member days is on for the member. A switched-off member day keeps its exclusives to itself (nobody gets them
 * until it is on again, or staff take them off its list). The mall and coupons modules ask through the gates they
 * expose, so neither depends on this module.
 */
@Injectable()
export class MemberDayExclusives {
  constructor(
    private readonly dataSource: DataSource,
    private readonly days: MemberDaysService,
    private readonly members: MemberDirectory,
  ) {}

  /** The member days (on or off) that list this item or coupon as an exclusive. */
  private async listing(kind: Kind, id: number): Promise<MemberDay[]> {
    return (await this.days.definitions()).filter((d) => d.benefits[kind].includes(id));
  }

  /** Whether any member day lists it (no database read: safe inside the caller's transaction). */
  async isListed(kind: Kind, id: number): Promise<boolean> {
    return (await this.listing(kind, id)).length > 0;
  }

  /** Why this member may not take this exclusive now, or null (also null for what no member day lists). */
  async refusal(
    kind: Kind,
    memberId: number,
    id: number,
    at: Date,
    profile?: MemberProfile | null,
  ): Promise<string | null> {
    const listing = await this.listing(kind, id);
    if (listing.length === 0) return null;
    const p = profile ?? (await this.members.profile(memberId));
    const mine = listing.filter((d) => inAudience(d, p));
    const what = kind === 'mallItemIds' ? '商品' : '优惠券';
    const verb = kind === 'mallItemIds' ? '兑换' : '领取';
    if (mine.length === 0) return `该${what}是「${listing[0]!.name}」的专享，仅限活动对象${verb}`;
    if (mine.some((d) => this.days.isOn(d, at))) return null;
    return `该${what}是「${mine[0]!.name}」的专享，请在会员日活动时间内${verb}`;
  }

  /**
   * Of all the exclusives, which exist (listed by a member day), which are not for this member (no member day
   * listing them has them in its audience: hidden from them), and which are theirs to take now.
   */
  async forMember(
    kind: Kind,
    memberId: number,
  ): Promise<{ exclusive: Set<number>; notForMe: Set<number>; onNow: Set<number> }> {
    const defs = (await this.days.definitions()).filter((d) => d.benefits[kind].length > 0);
    const exclusive = new Set(defs.flatMap((d) => d.benefits[kind]));
    if (exclusive.size === 0) return { exclusive, notForMe: new Set(), onNow: new Set() };
    const profile = await this.members.profile(memberId);
    const now = new Date();
    const forMe = new Set<number>();
    const onNow = new Set<number>();
    for (const d of defs) {
      if (!inAudience(d, profile)) continue;
      for (const id of d.benefits[kind]) forMe.add(id);
      if (this.days.isOn(d, now)) for (const id of d.benefits[kind]) onNow.add(id);
    }
    return {
      exclusive,
      notForMe: new Set([...exclusive].filter((id) => !forMe.has(id))),
      onNow,
    };
  }
}
