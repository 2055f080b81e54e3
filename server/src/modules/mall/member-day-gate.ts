import type { MemberProfile } from '../members/member-directory.module.js';

/**
 * Member days decide who may see and redeem their exclusives (专享商品); the member-day module plugs in here, so the
 * mall does not depend on it.
 */
export interface MemberDayGate {
  /** Why this member may not redeem this item now because of member days, or null. */
  refusal(
    memberId: number,
    item: { id: number; memberDayOnly: boolean },
    at: Date,
    profile: MemberProfile,
  ): Promise<string | null>;
  /** Items member days list as exclusives; of those, the ones not for this member and the ones on for them now. */
  exclusives(
    memberId: number,
  ): Promise<{ exclusive: Set<number>; notForMe: Set<number>; onNow: Set<number> }>;
}

/** Without member days: a member-day-only item is never redeemable, and nothing is anyone's exclusive. */
export const NO_MEMBER_DAYS: MemberDayGate = {
  refusal: async (_memberId, item) => (item.memberDayOnly ? '该商品仅在会员日开放兑换' : null),
  exclusives: async () => ({ exclusive: new Set(), notForMe: new Set(), onNow: new Set() }),
};
