import type { EntityManager } from 'typeorm';
import type { LifecycleStage } from '@huoyue/shared';

/**
 * What the points module needs to know about members without reading their table: whether an id is a member
 * who can hold points. The members module provides it.
 */
export abstract class MemberDirectory {
  abstract canHoldPoints(em: EntityManager, memberId: number): Promise<boolean>;
  /** False for members staff put on the blacklist: every earning path asks this. */
  abstract canEarn(em: EntityManager, memberId: number): Promise<boolean>;
  /** Both questions in one read: not a member, a member on the blacklist, or a member who may earn. */
  abstract earningStanding(em: EntityManager, memberId: number): Promise<'none' | 'blocked' | 'ok'>;
  /** What eligibility rules look at (coupons, mall): status, tier, stage, blacklist. */
  abstract profile(em: EntityManager, memberId: number): Promise<{ status: string; tierCode: string | null; stage: LifecycleStage; blocked: boolean; openid: string | null } | null>;
}
