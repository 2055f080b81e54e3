import { addDays, type CheckinRules } from '@huoyue/shared';
import { DomainError } from '../../infra/http/domain-error.js';

/** The check-in rules: where they are stored, what a brand starts with, and which days a makeup may take. */

export const CHECKIN_RULES_KEY = 'checkins.rules';
export const DEFAULT_CHECKIN_RULES: CheckinRules = {
  cycleDays: 7,
  rewards: [5, 5, 5, 5, 5, 5, 50].map((points, i) => ({
    points,
    badgeCode: i === 6 ? 'streak-7' : null,
  })),
  breakResets: true,
  makeup: { enabled: true, costPoints: 20, maxPerMonth: 3 },
  antiFarming: { perIpPerHour: 200, membersPerDevicePerDay: 3 },
};

/** Only a missed day of the current cycle, before today, can be made up. */
export function assertMakeupDay(rules: CheckinRules, day: string, today: string): void {
  if (!rules.makeup.enabled) throw new DomainError('MAKEUP_NOT_ALLOWED', '补签功能未开放');
  if (day >= today || day < addDays(today, -(rules.cycleDays - 1))) {
    throw new DomainError(
      'MAKEUP_NOT_ALLOWED',
      `只能补签最近 ${rules.cycleDays - 1} 天内漏签的日期`,
    );
  }
}
