import type { LifecycleStage } from '@huoyue/shared';

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
  'member.stage_changed': { memberId: number; from: LifecycleStage; to: LifecycleStage; at: string };
}

export type DomainEventName = keyof DomainEventMap;
