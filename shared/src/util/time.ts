const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (YYYY-MM-DD) an instant falls on in the brand's time zone. */
export function brandDay(instant: Date, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f.format(instant);
}

/** Whole days from one YYYY-MM-DD to another (b - a), independent of any time zone. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in ms (Asia/Shanghai: +8 h). */
function zoneOffsetMs(instant: Date, timeZone: string): number {
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(instant).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour),
    Number(p.minute),
    Number(p.second),
  );
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant a brand-local day (YYYY-MM-DD) begins. */
export function startOfBrandDay(day: string, timeZone: string): Date {
  const guess = Date.parse(`${day}T00:00:00Z`);
  const first = guess - zoneOffsetMs(new Date(guess), timeZone);
  // Once more in case the offset differs at the true instant (a DST change near midnight).
  return new Date(guess - zoneOffsetMs(new Date(first), timeZone));
}

/** The same day-of-month N months later, clamped to the month's end (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastOfMonth = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  return new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(d, lastOfMonth)))
    .toISOString()
    .slice(0, 10);
}

/** Whether YYYY-MM-DD is a real calendar day (2025-02-29 and 1990-02-30 are not). */
export function isCalendarDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const t = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === day;
}

/** The zone's offset from UTC in minutes at an instant (+480 for Asia/Shanghai; changes with daylight saving). */
export function zoneOffsetMinutes(timeZone: string, at: Date): number {
  return Math.round(zoneOffsetMs(at, timeZone) / 60_000);
}

/**
 * How far ahead of the server's clock a reported instant may be (a till's or a laptop's clock running fast):
 * an order's `paidAt` (API and CSV import) and the `asOf` of a job that writes are refused beyond it.
 */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** True when `at` is later than now plus the allowed clock skew. */
export function beyondClockSkew(at: Date, now = Date.now()): boolean {
  return at.getTime() > now + CLOCK_SKEW_MS;
}
