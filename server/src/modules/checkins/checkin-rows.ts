import { type EntityManager, LessThan } from 'typeorm';
import { addDays, type CheckinRules } from '@huoyue/shared';
import { Checkin, CheckinMember } from './checkin.entity.js';

/** Row-level steps of check-ins shared by the daily check-in, the makeup and the month view. */

/** Streak and cycle day a check-in on `day` takes, from the day before it (and, without a reset, the last one). */
export async function position(
  em: EntityManager,
  rules: CheckinRules,
  memberId: number,
  day: string,
): Promise<{ streak: number; cycleDay: number }> {
  const prev = await em.findOneBy(Checkin, { memberId, day: addDays(day, -1) });
  if (prev) return { streak: prev.streak + 1, cycleDay: (prev.cycleDay % rules.cycleDays) + 1 };
  if (rules.breakResets) return { streak: 1, cycleDay: 1 };
  const last = await em.findOne(Checkin, {
    where: { memberId, day: LessThan(day) },
    order: { day: 'DESC' },
  });
  return { streak: 1, cycleDay: last ? (last.cycleDay % rules.cycleDays) + 1 : 1 };
}

/** After a makeup day, the consecutive days that follow it continue its streak and cycle. */
export async function renumberAfter(
  em: EntityManager,
  rules: CheckinRules,
  from: Checkin,
): Promise<void> {
  let prev = from;
  for (let day = addDays(from.day, 1); ; day = addDays(day, 1)) {
    const row = await em.findOneBy(Checkin, { memberId: from.memberId, day });
    if (!row) return;
    const streak = prev.streak + 1;
    const cycleDay = (prev.cycleDay % rules.cycleDays) + 1;
    await em.update(Checkin, { id: row.id }, { streak, cycleDay });
    prev = { ...row, streak, cycleDay };
  }
}

export async function ensureProfile(em: EntityManager, memberId: number): Promise<void> {
  await em
    .createQueryBuilder()
    .insert()
    .into(CheckinMember)
    .values({ memberId, reminder: false, makeupCards: 0 })
    .orIgnore()
    .execute();
}
