import { addMonths, type RouteOutput, type routes } from '@huoyue/shared';
import { formatNumber } from './format.js';

type CheckinMonth = RouteOutput<typeof routes.engagement.checkinMonth>;

export interface CalendarCell {
  date: string;
  day: number;
  /** How the day was checked in, if it was. */
  mark: 'daily' | 'makeup' | null;
  today: boolean;
  /** A missed day a makeup check-in may still fill. */
  canMakeup: boolean;
  future: boolean;
}

/** The month as weeks starting on Monday; null fills the days before the 1st and after the last. */
export function monthGrid(month: CheckinMonth): Array<Array<CalendarCell | null>> {
  const [y, m] = month.month.split('-').map(Number) as [number, number];
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const firstWeekday = (new Date(Date.UTC(y, m - 1, 1)).getUTCDay() + 6) % 7; // Monday = 0
  const marks = new Map(month.days.map((d) => [d.date, d.kind]));
  const makeup = new Set(month.makeup.enabled ? month.makeup.allowedDates : []);
  const cells: Array<CalendarCell | null> = Array.from({ length: firstWeekday }, () => null);
  for (let day = 1; day <= daysInMonth; day++) {
    const date = `${month.month}-${String(day).padStart(2, '0')}`;
    cells.push({
      date,
      day,
      mark: marks.get(date) ?? null,
      today: date === month.today,
      canMakeup: makeup.has(date) && !marks.has(date),
      future: date > month.today,
    });
  }
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks: Array<Array<CalendarCell | null>> = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

export interface LadderStep {
  cycleDay: number;
  points: number;
  badgeCode: string | null;
  state: 'done' | 'next' | 'later';
}

/** The reward ladder with the steps already taken this cycle and the next one highlighted. */
export function ladderSteps(month: CheckinMonth): LadderStep[] {
  const next = month.nextReward.cycleDay;
  return month.ladder.rewards.map((r, i) => ({
    cycleDay: i + 1,
    points: r.points,
    badgeCode: r.badgeCode,
    state: stepState(i + 1, next),
  }));
}

function stepState(cycleDay: number, next: number): LadderStep['state'] {
  if (cycleDay < next) return 'done';
  return cycleDay === next ? 'next' : 'later';
}

/** "YYYY-MM" shifted by `delta` months. */
export function shiftMonth(month: string, delta: number): string {
  return addMonths(`${month}-01`, delta).slice(0, 7);
}

/** What the makeup of one day costs, in words. */
export function makeupCostLabel(month: CheckinMonth): string {
  if (month.makeup.cards > 0) return `使用 1 张补签卡（剩余 ${month.makeup.cards} 张）`;
  return `消耗 ${formatNumber(month.makeup.costPoints)} 积分`;
}
