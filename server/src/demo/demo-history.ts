import { addDays, startOfBrandDay } from '@huoyue/shared';
import type { JobScheduler } from '../infra/jobs/job-scheduler.js';
import type { BadgesService } from '../modules/badges/index.js';
import type { LifecycleReplay } from '../modules/lifecycle/index.js';
import type { PointsService } from '../modules/points/index.js';

interface Services {
  jobs: JobScheduler;
  badges: BadgesService;
  points: PointsService;
  replay: LifecycleReplay;
}

/** Days from `first` to `last` (inclusive): weekly until `dailyFrom`, then every day. */
export function replayDays(first: string, last: string, dailyFrom: string): string[] {
  const days: string[] = [];
  for (let d = first; d < dailyFrom && d < last; d = addDays(d, 7)) days.push(d);
  for (let d = dailyFrom > first ? dailyFrom : first; d <= last; d = addDays(d, 1)) days.push(d);
  return days;
}

/**
 * The demo history as it would have happened, once the orders are in (their points are dated at the orders):
 * points expire on their dates (the expiry job run as of each expiry date that has passed), membership
 * anniversaries are awarded as the daily job would have, and stages are decided
 * day by day (daily for the last 60 days the dashboard shows, weekly before), so the dashboard on `npm start` tells
 * a believable story instead of two years happening today.
 */
export async function replayDemoHistory(
  services: Services,
  paidAt: Date[],
  today: string,
  timeZone: string,
): Promise<void> {
  const now = Date.now();
  const rules = await services.points.rules();
  const expiries = new Set<number>();
  for (const at of paidAt) {
    const expiry = services.points.expiryFor(rules, at)?.getTime();
    if (expiry !== undefined && expiry <= now) expiries.add(expiry);
  }
  for (const expiry of [...expiries].sort((a, b) => a - b))
    await services.jobs.runNow('points.expire', new Date(expiry));
  // The demo brand's people joined up to two years ago (demo-seed.ts).
  const days = replayDays(addDays(today, -730), today, addDays(today, -60));
  // Membership anniversaries as the daily job would have awarded them (to within a week: weekly runs keep the first
  // start quick).
  for (const day of replayDays(addDays(today, -730), today, today)) {
    const endOfDay = startOfBrandDay(addDays(day, 1), timeZone).getTime();
    await services.badges.anniversaries(new Date(Math.min(endOfDay, now)));
  }
  await services.replay.replay(days);
}
