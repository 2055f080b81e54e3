import type { RouteOutput, routes } from '@huoyue/shared';
import { formatNumber, formatYuan } from './format.js';

export type MallItem = RouteOutput<typeof routes.mall.item>;
export type Redemption = RouteOutput<typeof routes.mall.redeem>;
export type MallFilter = 'all' | 'affordable' | 'memberDay' | 'myTier';

export const MALL_FILTERS: Array<{ value: MallFilter; label: string }> = [
  { value: 'all', label: '全部' },
  { value: 'affordable', label: '积分够换' },
  { value: 'memberDay', label: '会员日专享' },
  { value: 'myTier', label: '我的等级专享' },
];

export interface Shopper {
  balance: number;
  tierCode: string | null;
  /** Whether one of my member days is on now (member-day-only items are redeemable only then). */
  memberDayNow?: boolean;
}

/**
 * The mall's filters. 积分够换 means "I can redeem it now": enough points, in stock, my tier, and for a member-day
 * item only while my member day is on (on an ordinary day it is not listed there).
 */
export function filterItems(items: MallItem[], filter: MallFilter, me: Shopper): MallItem[] {
  switch (filter) {
    case 'affordable':
      return items.filter((i) => redeemBlocker(i, me, 1, me.memberDayNow ?? false) === null);
    case 'memberDay':
      return items.filter((i) => i.memberDayOnly);
    case 'myTier':
      return items.filter(
        (i) => i.tiers.length > 0 && me.tierCode !== null && i.tiers.includes(me.tierCode),
      );
    default:
      return items;
  }
}

/** "1,200 积分" or "600 积分 + ¥19.90". */
export function priceLabel(item: Pick<MallItem, 'pointsPrice' | 'cashPrice'>): string {
  const points = item.pointsPrice > 0 ? `${formatNumber(item.pointsPrice)} 积分` : '';
  const cash = item.cashPrice > 0 ? formatYuan(item.cashPrice) : '';
  return [points, cash].filter(Boolean).join(' + ');
}

/**
 * Whether the redeem button is live, and if not, why, in the member's words. The server checks all of this
 * again (and stock under a lock); this only spares a member a pointless tap.
 */
export function redeemBlocker(
  item: MallItem,
  me: Shopper,
  quantity: number,
  memberDayNow: boolean,
): string | null {
  if (!item.active) return '该商品已下架';
  if (item.stock <= 0) return '已兑完，下次早点来';
  if (item.stock < quantity) return `库存仅剩 ${formatNumber(item.stock)} 件`;
  if (item.tiers.length > 0 && (me.tierCode === null || !item.tiers.includes(me.tierCode)))
    return '您的会员等级暂不可兑换';
  if (item.memberDayOnly && !memberDayNow) return '仅限会员日兑换';
  if (item.pointsPrice * quantity > me.balance)
    return `积分不足，还差 ${formatNumber(item.pointsPrice * quantity - me.balance)} 积分`;
  return null;
}

export const REDEMPTION_STATUS_LABELS: Record<Redemption['status'], string> = {
  pending_payment: '待支付',
  pending_shipment: '待发货',
  shipped: '已发货',
  delivered: '已送达',
  completed: '已完成',
  cancelled: '已取消',
};

/** A cancelled points + cash redemption's cash, as the member reads it. */
export const CASH_REFUND_LABELS: Record<NonNullable<Redemption['cashRefundStatus']>, string> = {
  processing: '现金退款处理中',
  success: '现金已原路退回',
  abnormal: '现金退款遇到问题，客服会尽快联系您',
  closed: '现金退款已关闭，请联系客服',
};

export const ITEM_KIND_LABELS: Record<MallItem['kind'], string> = {
  coupon: '优惠券',
  physical: '实物',
  virtual: '虚拟权益',
};

/** A request id for one tap on "redeem": a retried request redeems once. */
export function newRequestId(now: number = Date.now(), random: () => number = Math.random): string {
  return `r${now.toString(36)}${Math.floor(random() * 36 ** 8)
    .toString(36)
    .padStart(8, '0')}`;
}
