import { discountLabel, type RouteOutput, type routes } from '@huoyue/shared';
import { formatYuan } from './format.js';

export type Coupon = RouteOutput<typeof routes.coupons.detail>;
export type Claimable = RouteOutput<typeof routes.coupons.center>['items'][number];
export type WalletTab = 'available' | 'used' | 'expired';

export const WALLET_TABS: Array<{ value: WalletTab; label: string }> = [
  { value: 'available', label: '可使用' },
  { value: 'used', label: '已使用' },
  { value: 'expired', label: '已过期' },
];

type Face = Pick<Coupon, 'kind' | 'value' | 'threshold' | 'cap' | 'giftName'>;

/** The big figure on the coupon: "¥20", "8.5折", "赠品", "包邮". */
export function couponFace(c: Face): string {
  switch (c.kind) {
    case 'cash':
      return formatYuan(c.value);
    case 'percent':
      return discountLabel(c.value);
    case 'gift':
      return '赠品';
    case 'shipping':
      return '包邮';
  }
}

/** The small print: "满 ¥100 可用", "最多减 ¥30", "赠 帆布袋". */
export function couponCondition(c: Face): string {
  const parts: string[] = [];
  if (c.kind === 'gift' && c.giftName) parts.push(`赠 ${c.giftName}`);
  parts.push(c.threshold > 0 ? `满 ${formatYuan(c.threshold)} 可用` : '无门槛');
  if (c.kind === 'percent' && c.cap !== null) parts.push(`最多减 ${formatYuan(c.cap)}`);
  return parts.join(' · ');
}

export function validityLabel(c: Claimable): string {
  return c.validity.kind === 'days'
    ? `领取后 ${c.validity.days} 天内有效`
    : `${c.validity.from.slice(0, 10)} 至 ${c.validity.to.slice(0, 10)}`;
}

/** Claim button text for the claim center. */
export function claimLabel(c: Claimable): string {
  if (c.canClaim) return c.claimedByMe > 0 ? '再领一张' : '立即领取';
  if (c.remaining === 0) return '已领完';
  if (c.claimedByMe >= c.perMemberLimit) return '已领取';
  return '暂不可领';
}

/** Expiring within three days deserves a warning on the wallet. */
export function expiresSoon(c: Coupon, now: Date = new Date()): boolean {
  return c.status === 'available' && new Date(c.validTo).getTime() - now.getTime() < 3 * 86_400_000;
}
