import { brandDay, startOfBrandDay } from '@huoyue/shared';

/**
 * Expiry instants are exclusive ends: points with `expires_at` 2028-01-01T00:00+08:00 are usable through
 * 2027-12-31 and expire the moment the new year begins in the brand's zone.
 */
export const zonedMidnightUtc = startOfBrandDay;

/** Points earned any day of year Y last until the end of Y+1 (brand-local). */
export function endOfNextYear(at: Date, timeZone: string): Date {
  const year = Number(brandDay(at, timeZone).slice(0, 4));
  return startOfBrandDay(`${year + 2}-01-01`, timeZone);
}

/** The last brand-local day on which points that expire at `expiresAt` can still be used. */
export function lastDay(expiresAt: Date, timeZone: string): string {
  return brandDay(new Date(expiresAt.getTime() - 1), timeZone);
}
