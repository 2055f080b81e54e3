import type { RouteOutput, routes } from '@huoyue/shared';
import { formatNumber } from './format.js';

type Tier = RouteOutput<typeof routes.points.tiers>['ladder'][number];

/** A tier's benefits as short lines, most valuable first. */
export function benefitLines(tier: Tier): string[] {
  const b = tier.benefits;
  const lines: string[] = [];
  if (b.pointsMultiplier > 1) lines.push(`消费积分 ${b.pointsMultiplier} 倍`);
  if (b.birthdayCoupon) lines.push(`生日礼券：${b.birthdayCoupon}`);
  if (b.freeShipping) lines.push('兑换商品包邮');
  if (b.exclusiveItems) lines.push('专享兑换商品');
  lines.push(...b.perks);
  if (tier.validityMonths > 0 && tier.retentionGrowth > 0)
    lines.push(
      `有效期 ${tier.validityMonths} 个月，期内获得 ${formatNumber(tier.retentionGrowth)} 成长值可保级`,
    );
  if (lines.length === 0) lines.push('基础积分与签到礼遇');
  return lines;
}
