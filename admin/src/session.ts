import { createContext, useContext } from 'react';
import { formatBrandDateTime, type RouteOutput, type routes } from '@huoyue/shared';

/** The signed-in staff account (role, store, the brand's time zone), loaded once by the shell. */
export type StaffSession = RouteOutput<typeof routes.staff.me>;

export const StaffSessionContext = createContext<StaffSession | null>(null);

export function useStaffSession(): StaffSession {
  const session = useContext(StaffSessionContext);
  if (!session) throw new Error('useStaffSession outside the signed-in shell');
  return session;
}

/** Times as the brand reads them (2026-12-06 10:00:00), whatever the computer's own time zone. */
export function useBrandTime(): (value: string | Date | null | undefined) => string {
  const { brandTimeZone } = useStaffSession();
  return (value) => formatBrandDateTime(value, brandTimeZone) || '—';
}
