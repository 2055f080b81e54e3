import {
  addDays,
  addMonths,
  brandDay,
  daysBetween,
  startOfBrandDay,
  type CheckinRules,
  type PointsRules,
  type SimulationProposal,
} from '@huoyue/shared';
import { DomainError } from '../../../infra/http/domain-error.js';
import { fallsOn, windowOf } from '../../memberdays/index.js';

/** What the replay needs of the member days (the member days module's definitions). */
export interface MemberDayDef {
  id: number;
  name: string;
  schedule: Parameters<typeof fallsOn>[0];
  startTime: string;
  endTime: string;
  audience: { tiers: string[]; stages: string[] };
  benefits: { pointsMultiplier: number };
  active: boolean;
  createdAt: Date;
}

/** Today's rules, as the replay and the "current rules" proposal need them. */
export interface TodayRules {
  points: PointsRules;
  checkins: CheckinRules;
  tiers: { code: string; name: string; growthThreshold: number; pointsMultiplier: number }[];
  memberDays: MemberDayDef[];
}

/** Today's rules as a proposal: the simulator form's starting point. */
export function currentProposal(today: TodayRules): SimulationProposal {
  return {
    pointsPerYuan: today.points.pointsPerYuan,
    perOrderCap: today.points.perOrderCap,
    tierMultipliers: Object.fromEntries(today.tiers.map((t) => [t.code, t.pointsMultiplier])),
    memberDayMultipliers: Object.fromEntries(
      today.memberDays.map((d) => [String(d.id), d.benefits.pointsMultiplier]),
    ),
    checkinLadder: {
      cycleDays: today.checkins.cycleDays,
      rewards: today.checkins.rewards.map((r) => ({ points: r.points, badgeCode: r.badgeCode })),
    },
    expiry: today.points.expiry,
    tierLadder: null,
  };
}

/** The proposal with today's rules where the request left a field (or a tier, a member day) out. */
export function resolveProposal(
  today: TodayRules,
  partial: Partial<SimulationProposal>,
): SimulationProposal {
  const base = currentProposal(today);
  const tierCodes = new Set(today.tiers.map((t) => t.code));
  for (const code of Object.keys(partial.tierMultipliers ?? {}))
    if (!tierCodes.has(code)) throw new DomainError('VALIDATION_FAILED', `等级 ${code} 不存在`);
  for (const id of Object.keys(partial.memberDayMultipliers ?? {}))
    if (!(id in base.memberDayMultipliers))
      throw new DomainError('VALIDATION_FAILED', '所选的会员日不存在，请刷新后重试');
  const ladder = partial.tierLadder ?? null;
  if (ladder) checkLadder(today, ladder);
  return {
    ...base,
    ...partial,
    tierMultipliers: { ...base.tierMultipliers, ...partial.tierMultipliers },
    memberDayMultipliers: { ...base.memberDayMultipliers, ...partial.memberDayMultipliers },
    tierLadder: ladder,
  };
}

function checkLadder(
  today: TodayRules,
  ladder: NonNullable<SimulationProposal['tierLadder']>,
): void {
  const codes = today.tiers.map((t) => t.code);
  if (ladder.length !== codes.length || ladder.some((t, i) => t.code !== codes[i]))
    throw new DomainError('VALIDATION_FAILED', '等级阶梯须按现有等级从低到高逐一填写门槛');
  if (ladder[0]!.growthThreshold !== 0)
    throw new DomainError('VALIDATION_FAILED', '入门等级的成长值门槛必须为 0');
  if (ladder.some((t, i) => i > 0 && t.growthThreshold <= ladder[i - 1]!.growthThreshold))
    throw new DomainError('VALIDATION_FAILED', '成长值门槛必须逐级升高');
}

/** The longest window a run may replay. */
const MAX_WINDOW_DAYS = 3 * 366;

/** The window: default the last 12 months up to yesterday; never in the future, at most 3 years. */
export function resolveWindow(
  window: { from: string; to: string } | undefined,
  now: Date,
  tz: string,
): { from: string; to: string } {
  const today = brandDay(now, tz);
  const w = window ?? { from: addMonths(today, -12), to: addDays(today, -1) };
  if (w.to > today) throw new DomainError('VALIDATION_FAILED', '模拟区间不能晚于今天');
  if (daysBetween(w.from, w.to) > MAX_WINDOW_DAYS)
    throw new DomainError('VALIDATION_FAILED', '模拟区间最长 3 年');
  if (w.from > w.to) throw new DomainError('VALIDATION_FAILED', '开始日期不能晚于结束日期');
  return w;
}

/** The instants and months of a window: [start, end) and the first instant of each brand-local month in it. */
export interface WindowPlan {
  start: Date;
  end: Date;
  /** The window's last day (brand-local, included). */
  lastDay: string;
  months: { label: string; firstDay: string; start: Date }[];
}

export function planWindow(window: { from: string; to: string }, tz: string): WindowPlan {
  const months: WindowPlan['months'] = [];
  for (let day = window.from; day <= window.to;) {
    months.push({ label: day.slice(0, 7), firstDay: day, start: startOfBrandDay(day, tz) });
    day = addMonths(`${day.slice(0, 7)}-01`, 1);
  }
  return {
    start: startOfBrandDay(window.from, tz),
    end: startOfBrandDay(addDays(window.to, 1), tz),
    lastDay: window.to,
    months,
  };
}

/**
 * Points earned at or after this instant are still unexpired at the end of the window under this expiry rule
 * (null: all of them). Earned on day d with "N days": they expire at the start of d + N + 1.
 */
export function aliveSince(
  expiry: PointsRules['expiry'],
  window: { to: string },
  tz: string,
): Date | null {
  if (expiry.kind === 'never') return null;
  const endDay = addDays(window.to, 1);
  if (expiry.kind === 'days') return startOfBrandDay(addDays(endDay, -expiry.days), tz);
  // End of next year: earned in year Y they last until the start of Y + 2.
  return startOfBrandDay(`${Number(endDay.slice(0, 4)) - 1}-01-01`, tz);
}

export interface WindowRow {
  memberDayId: number;
  startsAt: Date;
  endsAt: Date;
  tierCode: string | null;
  stage: string | null;
  definedAt: Date;
  actualMultiplier: number;
  simulatedMultiplier: number;
}

/**
 * The member-day windows inside the run's window, one row per audience tier × stage (null: any), with today's
 * multiplier and the proposal's, and when the member day was created (orders processed before had no bonus).
 * Only switched-on member days with a multiplier above 1 either way: the others give no order bonus (as
 * MemberDaysService.orderBonus).
 */
export function memberDayWindows(
  days: MemberDayDef[],
  proposal: SimulationProposal,
  window: { from: string; to: string },
  tz: string,
): WindowRow[] {
  const rows: WindowRow[] = [];
  for (const d of days) {
    const simulated = proposal.memberDayMultipliers[String(d.id)] ?? d.benefits.pointsMultiplier;
    if (!d.active || (d.benefits.pointsMultiplier <= 1 && simulated <= 1)) continue;
    const tiers = d.audience.tiers.length ? d.audience.tiers : [null];
    const stages = d.audience.stages.length ? d.audience.stages : [null];
    for (let day = window.from; day <= window.to; day = addDays(day, 1)) {
      if (!fallsOn(d.schedule, day)) continue;
      const w = windowOf(day, d.startTime, d.endTime, tz);
      for (const tierCode of tiers)
        for (const stage of stages)
          rows.push({
            memberDayId: d.id,
            ...w,
            tierCode,
            stage,
            definedAt: d.createdAt,
            actualMultiplier: d.benefits.pointsMultiplier,
            simulatedMultiplier: simulated,
          });
    }
  }
  return rows;
}
