import { Injectable } from '@nestjs/common';
import type { Tx } from '../../infra/events/unit-of-work.js';
import { CouponsService } from '../coupons/index.js';
import type { MallItem, MallRedemption } from './mall.entity.js';
import { type VoucherView, VouchersService } from './vouchers.service.js';

/**
 * What a completed redemption delivers: coupons now, vouchers for virtual items; goods wait for shipping. Points
 * only at once, points + cash once paid (RedemptionSettlement).
 */
@Injectable()
export class Fulfilment {
  constructor(
    private readonly vouchers: VouchersService,
    private readonly coupons: CouponsService,
  ) {}

  async fulfil(tx: Tx, r: MallRedemption, item: MallItem): Promise<VoucherView[]> {
    const vouchers =
      item.kind === 'virtual' ? await this.vouchers.issue(tx, r, item, new Date()) : [];
    if (item.kind === 'coupon' && item.couponTemplateId) {
      for (let i = 0; i < r.quantity; i++)
        await this.coupons.issue(
          tx,
          r.memberId,
          item.couponTemplateId,
          'mall',
          `mall:${r.id}:${i}`,
        );
    }
    await tx.publish('mall.redeemed', {
      memberId: r.memberId,
      redemptionId: r.id,
      itemId: item.id,
      quantity: r.quantity,
      pointsSpent: r.pointsSpent,
      at: new Date().toISOString(),
    });
    return vouchers;
  }
}
