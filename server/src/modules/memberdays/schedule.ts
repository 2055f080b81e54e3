import {
  addDays,
  startOfBrandDay,
  zoneOffsetMinutes,
  type MemberDaySchedule,
} from '@huoyue/shared';

const daysInMonth = (year: number, month: number) =>
  new Date(Date.UTC(year, month, 0)).getUTCDate();

/** ISO weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: string): number {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Whether the schedule falls on this brand-local date. Monthly day N is the month's last day in shorter months. */
export function fallsOn(schedule: MemberDaySchedule, day: string): boolean {
  switch (schedule.kind) {
    case 'weekly':
      return isoWeekday(day) === schedule.weekday;
    case 'dates':
      return schedule.dates.includes(day);
    case 'monthly': {
      const [y, m, d] = day.split('-').map(Number) as [number, number, number];
      return d === Math.min(schedule.day, daysInMonth(y, m));
    }
  }
}

/** The occurrence dates from `from` on (inclusive), at most `count`, looking no further than `horizonDays`. */
export function nextDays(
  schedule: MemberDaySchedule,
  from: string,
  count: number,
  horizonDays = 800,
): string[] {
  const days: string[] = [];
  for (let i = 0, day = from; i < horizonDays && days.length < count; i++, day = addDays(day, 1))
    if (fallsOn(schedule, day)) days.push(day);
  return days;
}

/** The window [startsAt, endsAt) of an occurrence: brand-local times on its day, as instants (DST-correct). */
export function windowOf(
  day: string,
  startTime: string,
  endTime: string,
  timeZone: string,
): { startsAt: Date; endsAt: Date } {
  const at = (hhmm: string) => {
    const minutes = Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
    // Through the start of the day (or the next one for 24:00), then whole minutes into it.
    if (minutes === 1440) return startOfBrandDay(addDays(day, 1), timeZone);
    const midnight = startOfBrandDay(day, timeZone);
    const guess = new Date(midnight.getTime() + minutes * 60_000);
    // A DST change earlier that day shifts wall time by the offset difference; correct by the day's own offsets.
    return new Date(
      guess.getTime() -
        (zoneOffsetMinutes(timeZone, guess) - zoneOffsetMinutes(timeZone, midnight)) * 60_000,
    );
  };
  return { startsAt: at(startTime), endsAt: at(endTime) };
}
