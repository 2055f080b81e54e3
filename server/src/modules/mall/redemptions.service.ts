import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull } from 'typeorm';
import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { type Tx, UnitOfWork } from '../../infra/events/unit-of-work.js';
import { giveSlot } from '../../infra/database/limit-counter.js';
import { SoldOutMarks } from '../../infra/stock/sold-out-marks.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { CouponsService } from '../coupons/index.js';
import { PointsService } from '../points/index.js';
import { AuditService, StoresService, storeNames } from '../staff/index.js';
import { type CashRefundStatus, MallItem, MallMemberCount, MallRedemption } from './mall.entity.js';
import { PaymentGateway, payUnavailable, refundNoOf, tradeNoOf } from './payment.gateway.js';
import { type RedemptionView, toRedemptionView } from './redemption-view.js';
import { VouchersService } from './vouchers.service.js';

/** What a redemption records of its cash refund. */
type CashRefund = Pick<
  MallRedemption,
  'cashRefundNo' | 'cashRefundedAt' | 'cashDue' | 'cashRefundStatus'
>;

/**
 * Redemptions once made: the member's and the staff's lists, shipping and delivery, and cancellation (by staff, or
 * for want of payment), which gives back the stock, the member's count and the points.
 */
@Injectable()
export class RedemptionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly points: PointsService,
    private readonly audit: AuditService,
    private readonly payments: PaymentGateway,
    private readonly vouchers: VouchersService,
    private readonly stores: StoresService,
    private readonly coupons: CouponsService,
    private readonly soldOut: SoldOutMarks,
  ) {}

  /** All members' redemptions, by status (staff fulfilment). */
  async list(
    status: MallRedemption['status'] | undefined,
    limit: number,
    cursor?: string,
  ): Promise<{
    items: (RedemptionView & { memberId: number; address: MallRedemption['address'] })[];
    nextCursor: string | null;
  }> {
    const qb = this.dataSource.getRepository(MallRedemption).createQueryBuilder('r');
    if (status) qb.where('r.status = :status', { status });
    if (cursor) qb.andWhere('r.id < :before', { before: Number(cursor) || 0 });
    const rows = await qb
      .orderBy('r.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    const items = await this.dataSource
      .getRepository(MallItem)
      .findBy({ id: In([...new Set(rows.map((r) => r.itemId))].concat(0)) });
    const page = rows.slice(0, limit);
    const vouchers = await this.vouchers.forRedemptions(page.map((r) => r.id));
    return {
      items: page.map((r) => ({
        ...toRedemptionView(r, items.find((i) => i.id === r.itemId) ?? null, vouchers.get(r.id)),
        memberId: r.memberId,
        address: r.address,
      })),
      nextCursor: rows.length > limit ? String(page[page.length - 1]!.id) : null,
    };
  }

  async mine(
    memberId: number,
    limit: number,
    cursor?: string,
  ): Promise<{ items: RedemptionView[]; nextCursor: string | null }> {
    const qb = this.dataSource
      .getRepository(MallRedemption)
      .createQueryBuilder('r')
      .where('r.member_id = :memberId', { memberId });
    if (cursor) qb.andWhere('r.id < :before', { before: Number(cursor) || 0 });
    const rows = await qb
      .orderBy('r.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    const items = await this.dataSource
      .getRepository(MallItem)
      .findBy({ id: In([...new Set(rows.map((r) => r.itemId))].concat(0)) });
    const page = rows.slice(0, limit);
    const vouchers = await this.vouchers.forRedemptions(page.map((r) => r.id));
    return {
      items: page.map((r) =>
        toRedemptionView(r, items.find((i) => i.id === r.itemId) ?? null, vouchers.get(r.id)),
      ),
      nextCursor: rows.length > limit ? String(page[page.length - 1]!.id) : null,
    };
  }

  /** One of the member's own redemptions (someone else's is "not found"). */
  async mineOne(memberId: number, id: number): Promise<RedemptionView> {
    const r = await this.dataSource.getRepository(MallRedemption).findOneBy({ id, memberId });
    if (!r) throw new DomainError('NOT_FOUND', '兑换记录不存在');
    const item = await this.dataSource.getRepository(MallItem).findOneBy({ id: r.itemId });
    return toRedemptionView(r, item, (await this.vouchers.forRedemptions([id])).get(id));
  }

  async ship(actor: StaffPrincipal, id: number, trackingNo: string): Promise<RedemptionView> {
    return this.uow.run(async (tx) => {
      const moved = await tx.em.update(
        MallRedemption,
        { id, status: 'pending_shipment' },
        { status: 'shipped', trackingNo },
      );
      const redemption = await tx.em.findOneBy(MallRedemption, { id });
      if (!redemption) throw new DomainError('NOT_FOUND', '兑换记录不存在');
      if ((moved.affected ?? 0) !== 1)
        throw new DomainError('CONFLICT', '只有待发货的兑换可以发货');
      await this.audit.record(tx, actor, {
        action: 'mall_redemption.ship',
        entityType: 'mall_redemption',
        entityId: id,
        after: { trackingNo },
      });
      await tx.publish('mall.shipped', {
        memberId: redemption.memberId,
        redemptionId: id,
        trackingNo,
        at: new Date().toISOString(),
      });
      return toRedemptionView(
        redemption,
        (await tx.em.findOneBy(MallItem, { id: redemption.itemId }))!,
      );
    });
  }

  async deliver(actor: StaffPrincipal, id: number): Promise<RedemptionView> {
    return this.uow.run(async (tx) => {
      const moved = await tx.em.update(
        MallRedemption,
        { id, status: 'shipped' },
        { status: 'delivered' },
      );
      const redemption = await tx.em.findOneBy(MallRedemption, { id });
      if (!redemption) throw new DomainError('NOT_FOUND', '兑换记录不存在');
      if ((moved.affected ?? 0) !== 1)
        throw new DomainError('CONFLICT', '只有已发货的兑换可以确认送达');
      await this.audit.record(tx, actor, {
        action: 'mall_redemption.deliver',
        entityType: 'mall_redemption',
        entityId: id,
      });
      return toRedemptionView(
        redemption,
        (await tx.em.findOneBy(MallItem, { id: redemption.itemId }))!,
      );
    });
  }

  /**
   * Staff cancel (not yet shipped) or refund (goods returned after shipping or delivery): stock, the member's count
   * and the points come back; the coupons a coupon item issued are revoked (refused with 409 when one was already
   * used); the cash of a paid points + cash redemption is refunded through the payment gateway, once.
   */
  async cancel(actor: StaffPrincipal | null, id: number, reason: string): Promise<RedemptionView> {
    const names = await storeNames(this.stores);
    const view = await this.uow.run(async (tx) => {
      const redemption = await tx.em.findOneBy(MallRedemption, { id });
      if (!redemption) throw new DomainError('NOT_FOUND', '兑换记录不存在');
      const moved = await tx.em
        .createQueryBuilder()
        .update(MallRedemption)
        .set({ status: 'cancelled' })
        .where("id = :id AND status <> 'cancelled'", { id })
        .execute();
      if ((moved.affected ?? 0) !== 1) throw new DomainError('CONFLICT', '该兑换已取消');
      const item = await tx.em.findOneBy(MallItem, { id: redemption.itemId });
      const revoked =
        item?.kind === 'coupon'
          ? await this.coupons.revokeIssued(
              tx,
              Array.from({ length: redemption.quantity }, (_, i) => `mall:${id}:${i}`),
            )
          : 0;
      await this.vouchers.voidFor(tx, id, names);
      await this.restore(tx, redemption, reason);
      // Last, once everything else holds: the gateway's refund is idempotent on its number, so a commit that
      // fails after it is safe to retry.
      const refunded = await this.refundCash(tx, redemption, reason);
      if (actor)
        await this.audit.record(tx, actor, {
          action: 'mall_redemption.cancel',
          entityType: 'mall_redemption',
          entityId: id,
          after: { reason, couponsRevoked: revoked, cashRefunded: refunded?.cashDue ?? 0 },
        });
      return toRedemptionView({ ...redemption, ...refunded, status: 'cancelled' }, item);
    });
    this.soldOut.clear(view.itemId); // the stock given back is on sale again
    return view;
  }

  /**
   * The cash of a paid points + cash redemption back through WeChat Pay, recorded so it happens once (its refund
   * number is the redemption's; the gateway answers a repeat with the same refund). One still awaiting payment has
   * its trade closed first, so it can no longer be paid; closing answers 'paid' if the member just paid.
   */
  private async refundCash(tx: Tx, r: MallRedemption, reason: string): Promise<CashRefund | null> {
    if (r.cashDue <= 0 || r.cashRefundNo) return null;
    if (r.status === 'pending_payment') {
      const closed = await this.payments.close(tradeNoOf(r.id)).catch(payUnavailable);
      if (closed !== 'paid') return null;
    }
    return this.refundOnce(tx, r, `兑换取消：${reason}`);
  }

  private async refundOnce(tx: Tx, r: MallRedemption, reason: string): Promise<CashRefund | null> {
    const cashRefundNo = refundNoOf(r.id);
    const cashRefundedAt = new Date();
    const marked = await tx.em.update(
      MallRedemption,
      { id: r.id, cashRefundNo: IsNull() },
      { cashRefundNo, cashRefundedAt, cashRefundStatus: 'processing' },
    );
    if ((marked.affected ?? 0) !== 1) return null;
    // Last in the transaction: a commit that fails after it is safe to retry (same refund number, same refund).
    const refund = await this.payments
      .refund({
        tradeNo: tradeNoOf(r.id),
        refundNo: cashRefundNo,
        amountFen: r.cashDue,
        totalFen: r.cashDue,
        reason: reason.slice(0, 80),
      })
      .catch(payUnavailable);
    const cashRefundStatus = refundStatusOf(refund.status) ?? 'processing';
    if (cashRefundStatus !== 'processing')
      await tx.em.update(MallRedemption, { id: r.id }, { cashRefundStatus });
    return { cashRefundNo, cashRefundedAt, cashDue: r.cashDue, cashRefundStatus };
  }

  /** Paid after it was cancelled (staff cancelled while the member paid): the cash goes back, once. */
  async refundLatePayment(r: MallRedemption): Promise<boolean> {
    const done = await this.uow.run((tx) => this.refundOnce(tx, r, '兑换已取消，款项原路退回'));
    return done !== null;
  }

  /** A refund's outcome (notification or query): recorded on its redemption; a final state is never undone. */
  async recordRefund(refundNo: string, status: string): Promise<void> {
    const cashRefundStatus = refundStatusOf(status);
    if (!cashRefundStatus || cashRefundStatus === 'processing') return;
    await this.dataSource
      .getRepository(MallRedemption)
      .update({ cashRefundNo: refundNo, cashRefundStatus: 'processing' }, { cashRefundStatus });
  }

  /** An unpaid redemption whose trade is closed (or was never placed): cancelled and everything restored, once. */
  async cancelUnpaid(r: MallRedemption, reason: string): Promise<boolean> {
    const cancelled = await this.uow.run(async (tx) => {
      const moved = await tx.em.update(
        MallRedemption,
        { id: r.id, status: 'pending_payment' },
        { status: 'cancelled' },
      );
      if ((moved.affected ?? 0) !== 1) return false;
      await this.restore(tx, r, reason);
      return true;
    });
    if (cancelled) this.soldOut.clear(r.itemId);
    return cancelled;
  }

  private async restore(tx: Tx, r: MallRedemption, reason: string): Promise<void> {
    await tx.em.query('UPDATE mall_item SET stock = stock + ? WHERE id = ?', [
      r.quantity,
      r.itemId,
    ]);
    await giveSlot(
      tx.em,
      { entity: MallMemberCount, keys: { memberId: r.memberId, itemId: r.itemId }, column: 'n' },
      r.quantity,
    );
    if (r.pointsSpent > 0) {
      await this.points.credit(tx, {
        memberId: r.memberId,
        type: 'refund',
        points: r.pointsSpent,
        key: `mall-refund:${r.id}`,
        sourceType: 'mall',
        sourceRef: String(r.id),
        reason: `兑换取消：${reason}`,
      });
    }
    await tx.publish('mall.cancelled', {
      memberId: r.memberId,
      redemptionId: r.id,
      pointsReturned: r.pointsSpent,
      reason,
      at: new Date().toISOString(),
    });
  }
}

function refundStatusOf(status: string): CashRefundStatus | null {
  const known: Record<string, CashRefundStatus> = {
    PROCESSING: 'processing',
    SUCCESS: 'success',
    ABNORMAL: 'abnormal',
    CLOSED: 'closed',
  };
  return known[status] ?? null;
}
