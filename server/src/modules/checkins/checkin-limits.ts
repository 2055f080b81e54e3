import type { EntityManager } from 'typeorm';
import { addDays, startOfBrandDay } from '@huoyue/shared';
import { slotsTaken, takeSlot } from '../../infra/database/limit-counter.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { Checkin, CheckinLimit } from './checkin.entity.js';

/**
 * The check-in limits, kept by counter rows of `checkin_limit` (infra/database/limit-counter.ts), each slot taken in
 * the transaction that writes the check-in it allows. A counter created after check-ins were already written under
 * the old counting (the day of the upgrade) starts from their count.
 */

const makeupCounter = (memberId: number, today: string) =>
  ({
    entity: CheckinLimit,
    keys: { scope: 'makeup', subject: String(memberId), period: today.slice(0, 7) },
  }) as const;

/** Makeups done this brand-local month, counted from the rows. */
function makeupRows(
  em: EntityManager,
  memberId: number,
  today: string,
  tz: string,
): Promise<number> {
  const since = startOfBrandDay(`${today.slice(0, 7)}-01`, tz);
  return em
    .getRepository(Checkin)
    .createQueryBuilder('c')
    .where("c.member_id = :memberId AND c.kind = 'makeup' AND c.checked_at >= :since", {
      memberId,
      since,
    })
    .getCount();
}

/** One of the member's makeups this month; false when the month's are used up. */
export function takeMakeupSlot(
  em: EntityManager,
  maxPerMonth: number,
  memberId: number,
  today: string,
  tz: string,
): Promise<boolean> {
  return takeSlot(em, makeupCounter(memberId, today), {
    limit: maxPerMonth,
    seed: () => makeupRows(em, memberId, today, tz),
  });
}

/** Makeups the member used this month (for the month view). */
export async function makeupsUsed(
  em: EntityManager,
  memberId: number,
  today: string,
  tz: string,
): Promise<number> {
  return (
    (await slotsTaken(em, makeupCounter(memberId, today))) ??
    (await makeupRows(em, memberId, today, tz))
  );
}

/**
 * One of the device's places for today, taken after the check-in row (a member who already checked in today is
 * told so first, not refused as a farmer): 403 RISK_REJECTED when the device is full.
 */
export async function takeDeviceSlot(
  em: EntityManager,
  membersPerDevicePerDay: number,
  memberId: number,
  deviceId: string | null,
  today: string,
): Promise<void> {
  if (!deviceId) return;
  const seed = async () => {
    const [row] = (await em.query(
      'SELECT COUNT(DISTINCT member_id) AS n FROM checkin WHERE device_id = ? AND day = ? AND member_id <> ?',
      [deviceId, today, memberId],
    )) as { n: number | string }[];
    return Number(row?.n ?? 0);
  };
  const counter = {
    entity: CheckinLimit,
    keys: { scope: 'device', subject: deviceId, period: today },
  } as const;
  if (!(await takeSlot(em, counter, { limit: membersPerDevicePerDay, seed })))
    throw new DomainError('RISK_REJECTED', '该设备今日签到账号过多，已暂停签到');
}

/**
 * Counters of past periods are done with: device days older than a week and makeup months before this one are
 * deleted (job `checkins.prune_limits`). Answers the rows deleted.
 */
export async function pruneLimitCounters(em: EntityManager, today: string): Promise<number> {
  const device = await em
    .createQueryBuilder()
    .delete()
    .from(CheckinLimit)
    .where("scope = 'device' AND period < :before", { before: addDays(today, -7) })
    .execute();
  const makeup = await em
    .createQueryBuilder()
    .delete()
    .from(CheckinLimit)
    .where("scope = 'makeup' AND period < :month", { month: today.slice(0, 7) })
    .execute();
  return (device.affected ?? 0) + (makeup.affected ?? 0);
}
