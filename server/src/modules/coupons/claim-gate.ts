import type { MemberProfile } from '../members/member-directory.module.js';

/**
 * Member days decide who may see and claim their exclusive coupons (会员日专享券); the member-day module plugs in
 * here, so the coupons module does not depend on it.
 */
export interface ClaimGate {
  /** Why this member may not claim this template from the center now, or null. */
  refusal(
    memberId: number,
    templateId: number,
    at: Date,
    profile: MemberProfile,
  ): Promise<string | null>;
  /** Templates member days list as exclusives; of those, the ones not for this member and the ones on now. */
  exclusives(
    memberId: number,
  ): Promise<{ exclusive: Set<number>; notForMe: Set<number>; onNow: Set<number> }>;
}

/** Without member days nothing is anyone's exclusive. */
export const NO_CLAIM_GATE: ClaimGate = {
  refusal: async () => null,
  exclusives: async () => ({ exclusive: new Set(), notForMe: new Set(), onNow: new Set() }),
};
