import type { Tx } from '../../infra/events/unit-of-work.js';
import type { LifecycleStage } from '@huoyue/shared';

/** What a staff export shows of a member beside its figures. */
export interface MemberContact {
  cardNo: string | null;
  nickname: string | null;
  phone: string | null;
}

export interface MemberProfile {
  status: string;
  tierCode: string | null;
  stage: LifecycleStage;
  /** On the blacklist: earns nothing on any path. */
  blocked: boolean;
  openid: string | null;
  /** Contact details, for the messaging module. */
  unionid: string | null;
  phone: string | null;
  nickname: string | null;
  cardNo: string | null;
  /** When they joined (null: a visitor); days before it cannot be made up in check-ins. */
  joinedAt: Date | null;
}

/**
 * What other modules need to know about a member without reading the member table: one read of the profile, and
 * the questions every earning path asks, derived from it. Provided globally by MemberDirectoryModule, so the
 * modules the members module imports (points) can ask too.
 */
export abstract class MemberDirectory {
  /** The member's profile, read in `tx` when given (a caller deciding inside its transaction). */
  abstract profile(memberId: number, tx?: Tx): Promise<MemberProfile | null>;
  /** Many members' profiles in one read (a group of commands deciding together); absent ids are not members. */
  abstract profiles(memberIds: number[], tx?: Tx): Promise<Map<number, MemberProfile>>;

  /** Card number, nickname and phone of each of these members (exports). */
  abstract contacts(memberIds: number[]): Promise<Map<number, MemberContact>>;

  /** Members (not visitors) whose birthday falls on one of these MM-DD days. */
  abstract withBirthdayOn(monthDays: string[]): Promise<number[]>;

  /**
   * The member whose rotating card code this is (a member showing their card at the desk), or null when the code
   * is forged, expired or not a current member's.
   */
  abstract byCardCode(code: string): Promise<number | null>;

  /** earningStanding of many members at once (a group of check-ins); members not found are 'none'. */
  abstract earningStandings(
    memberIds: number[],
    tx?: Tx,
  ): Promise<Map<number, 'none' | 'blocked' | 'ok'>>;

  /** Not a member, a member on the blacklist, or a member who may earn. */
  async earningStanding(memberId: number, tx?: Tx): Promise<'none' | 'blocked' | 'ok'> {
    const profile = await this.profile(memberId, tx);
    if (!profile || profile.status !== 'member') return 'none';
    return profile.blocked ? 'blocked' : 'ok';
  }

  /** A member (blacklisted or not) can hold points; visitors, closed and merged records cannot. */
  async canHoldPoints(memberId: number, tx?: Tx): Promise<boolean> {
    return (await this.earningStanding(memberId, tx)) !== 'none';
  }

  /** False for members staff put on the blacklist: every earning path asks this. */
  async canEarn(memberId: number, tx?: Tx): Promise<boolean> {
    return (await this.earningStanding(memberId, tx)) === 'ok';
  }
}
