const dateTimeFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * An instant as the brand reads it, for lists and CSV exports: `2026-12-06 10:00:00` in the brand's time zone
 * (never UTC, never a locale-dependent form a spreadsheet misreads).
 */
export function formatBrandDateTime(value: Date | string | null | undefined, timeZone: string) {
  if (value === null || value === undefined || value === '') return '';
  const instant = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(instant.getTime())) return '';
  let f = dateTimeFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    dateTimeFormatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}
