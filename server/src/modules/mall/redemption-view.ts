import type { z } from 'zod';
import type { redemptionView } from '@huoyue/shared';
import type { MallItem, MallRedemption } from './mall.entity.js';
import type { VoucherView } from './vouchers.service.js';

export type RedemptionView = z.output<typeof redemptionView>;

/** A redemption as the member and staff see it. */
export function toRedemptionView(
  r: MallRedemption,
  item: MallItem | null,
  vouchers: VoucherView[] = [],
): RedemptionView {
  return {
    redemptionId: r.id,
    itemId: r.itemId,
    itemName: item?.name ?? '已删除的商品',
    itemKind: item?.kind ?? 'physical',
    vouchers,
    quantity: r.quantity,
    pointsSpent: r.pointsSpent,
    cashDue: r.cashDue,
    status: r.status,
    payBefore: r.payBefore?.toISOString() ?? null,
    paymentParams: null,
    trackingNo: r.trackingNo,
    cashRefundedAt: r.cashRefundedAt?.toISOString() ?? null,
    cashRefundStatus: r.cashRefundStatus ?? null,
    createdAt: (r.createdAt ?? new Date()).toISOString(),
  };
}
