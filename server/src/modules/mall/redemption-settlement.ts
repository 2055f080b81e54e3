import { Injectable, Logger } from '@nestjs/common';
import { DataSource, In, LessThanOrEqual, MoreThan } from 'typeorm';
import { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { MemberDirectory } from '../members/member-directory.module.js';
import { Fulfilment } from './fulfilment.js';
import { MallItem, MallRedemption } from './mall.entity.js';
import {
  isPaid,
  type PayNotification,
  type PayTrade,
  PaymentGateway,
  payUnavailable,
  redemptionIdOf,
  toTrade,
  tradeNoOf,
  WechatPayError,
} from './payment.gateway.js';
import { type RedemptionView, toRedemptionView } from './redemption-view.js';
import { RedemptionsService } from './redemptions.service.js';
import { VouchersService } from './vouchers.service.js';

/** A notification or query that contradicts the redemption (amount, merchant, app): never completes it. */
export class PaymentMismatch extends Error {}

/** How long a redemption waits for its notification before the reconciliation job asks WeChat Pay itself. */
export const RECONCILE_AFTER_MS = 60_000;

/**
 * The cash of points + cash redemptions: the WeChat Pay order placed after the redemption commits, completion once
 * paid (by a verified notification, the member's "I paid", or a query — whichever comes first; the others find it
 * done), and the payment window's end (query, then close, then restore). Cancelling and refunds are
 * RedemptionsService's.
 */
@Injectable()
export class RedemptionSettlement {
  private readonly logger = new Logger('Payments');

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly payments: PaymentGateway,
    private readonly fulfilment: Fulfilment,
    private readonly vouchers: VouchersService,
    private readonly members: MemberDirectory,
    private readonly redemptions: RedemptionsService,
  ) {}

  /** No merchant configured: a points + cash redemption is refused (503) before anything is held. */
  assertTakesCash(): void {
    if (!this.payments.available)
      throw new DomainError('SERVICE_UNAVAILABLE', '现金支付暂未开通，请选择纯积分兑换的商品');
  }

  /**
   * The order for a redemption just committed: its prepay saved and the signed parameters answered. A failure
   * leaves the redemption awaiting payment with no parameters (the app asks again with routes.mall.payment).
   */
  async place(
    redemption: MallRedemption,
    item: MallItem,
  ): Promise<{ paymentParams: Record<string, string> | null }> {
    try {
      return { paymentParams: await this.prepay(redemption, item.name) };
    } catch (err) {
      this.logger.warn(`prepay of ${tradeNoOf(redemption.id)} failed: ${String(err)}`);
      return { paymentParams: null };
    }
  }

  /** The member's redemption awaiting payment, with parameters to pay it (the same WeChat Pay order). */
  async paymentFor(memberId: number, id: number): Promise<RedemptionView> {
    const r = await this.dataSource.getRepository(MallRedemption).findOneBy({ id, memberId });
    if (!r) throw new DomainError('NOT_FOUND', '兑换记录不存在');
    const item = (await this.dataSource.getRepository(MallItem).findOneBy({ id: r.itemId }))!;
    if (r.status !== 'pending_payment') throw new DomainError('CONFLICT', '该兑换无需支付');
    if (r.payBefore && r.payBefore <= new Date())
      throw new DomainError('CONFLICT', '支付已超时，兑换将自动取消并退回积分');
    const paymentParams = await this.prepay(r, item.name).catch(payUnavailable);
    return { ...toRedemptionView(r, item), paymentParams };
  }

  private async prepay(r: MallRedemption, description: string): Promise<Record<string, string>> {
    const openid = (await this.members.profile(r.memberId))?.openid;
    if (!openid) throw new DomainError('BUSINESS_RULE', '请在微信中登录后再支付');
    const prepayId = await this.payments.prepay({
      tradeNo: tradeNoOf(r.id),
      description,
      amountFen: r.cashDue,
      openid,
      expiresAt: r.payBefore ?? new Date(Date.now() + 15 * 60_000),
    });
    await this.dataSource
      .getRepository(MallRedemption)
      .update({ id: r.id, status: 'pending_payment' }, { paymentRef: prepayId });
    return this.payments.paymentParams(prepayId);
  }

  /** After paying in WeChat: WeChat Pay is asked (the client's word is never taken) and the redemption completed. */
  async confirm(memberId: number, id: number): Promise<RedemptionView> {
    const r = await this.dataSource.getRepository(MallRedemption).findOneBy({ id, memberId });
    if (!r) throw new DomainError('NOT_FOUND', '兑换记录不存在');
    if (r.status === 'pending_payment') {
      const trade = await this.payments.query(tradeNoOf(id)).catch(payUnavailable);
      if (!isPaid(trade)) throw new DomainError('BUSINESS_RULE', '尚未收到付款，请完成支付后重试');
      await this.completePaid(trade!);
    }
    return this.view(id);
  }

  private async view(id: number): Promise<RedemptionView> {
    const r = (await this.dataSource.getRepository(MallRedemption).findOneBy({ id }))!;
    const item = (await this.dataSource.getRepository(MallItem).findOneBy({ id: r.itemId }))!;
    return toRedemptionView(r, item, (await this.vouchers.forRedemptions([id])).get(id));
  }

  /**
   * A paid trade: its redemption completed once (the conditional status change is the guard: duplicates, retries
   * and a notification racing the member's "I paid" find it done). Paid after it was cancelled: refunded. What
   * it delivers failing (a coupon run out): cancelled, restored and refunded.
   */
  async completePaid(trade: PayTrade): Promise<'completed' | 'already' | 'refunded' | 'failed'> {
    const id = redemptionIdOf(trade.outTradeNo);
    const r =
      id === null ? null : await this.dataSource.getRepository(MallRedemption).findOneBy({ id });
    if (!r) throw new PaymentMismatch(`no redemption for ${trade.outTradeNo}`);
    if (!this.payments.owns(trade) || trade.totalFen !== r.cashDue)
      throw new PaymentMismatch(
        `${trade.outTradeNo}: paid ${trade.totalFen} to ${trade.mchid}/${trade.appId}, due ${r.cashDue}`,
      );
    if (r.status === 'cancelled') {
      // Cancelled by staff while the member paid: the cash goes back (once, by its refund number).
      return (await this.redemptions.refundLatePayment(r)) ? 'refunded' : 'already';
    }
    if (r.status !== 'pending_payment') return 'already';
    try {
      return await this.uow.run(async (tx) => {
        const item = (await tx.em.findOneBy(MallItem, { id: r.itemId }))!;
        const moved = await tx.em.update(
          MallRedemption,
          { id: r.id, status: 'pending_payment' },
          { status: item.kind === 'physical' ? 'pending_shipment' : 'completed', payBefore: null },
        );
        if ((moved.affected ?? 0) !== 1) return 'already' as const;
        await this.fulfilment.fulfil(tx, { ...r, status: 'completed' }, item);
        return 'completed' as const;
      });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      this.logger.warn(`redemption ${r.id} paid but not fulfilled (${err.message}): refunded`);
      await this.redemptions.cancel(null, r.id, `发放失败：${err.message}`);
      return 'failed';
    }
  }

  /** A verified notification: a paid trade completes its redemption; a refund's outcome is recorded. */
  async notified(notification: PayNotification): Promise<void> {
    const resource = notification.resource;
    if (notification.eventType === 'TRANSACTION.SUCCESS') {
      const trade = toTrade(resource);
      if (isPaid(trade)) await this.completePaid(trade);
      return;
    }
    if (notification.eventType.startsWith('REFUND.')) {
      await this.redemptions.recordRefund(
        String(resource.out_refund_no ?? ''),
        String(resource.refund_status ?? ''),
      );
    }
  }

  /**
   * Redemptions past their payment window: WeChat Pay asked first (a payment at the last moment wins and
   * completes), then the trade closed (so it can no longer be paid), then stock, count and points restored.
   * A redemption whose trade cannot be asked about now is left for the next run.
   */
  async expireUnpaid(asOf: Date): Promise<number> {
    const due = await this.dataSource.getRepository(MallRedemption).find({
      where: { status: 'pending_payment', payBefore: LessThanOrEqual(asOf) },
      take: 500,
    });
    let cancelled = 0;
    for (const r of due) {
      try {
        if (await this.settleIfPaid(r)) continue;
        const closed = await this.payments.close(tradeNoOf(r.id));
        if (closed === 'paid' && (await this.settleIfPaid(r))) continue;
        if (await this.redemptions.cancelUnpaid(r, '超时未支付')) cancelled++;
      } catch (err) {
        this.skip(r, err);
      }
    }
    return cancelled;
  }

  /**
   * Redemptions still in their window with no completion a minute after they were made (a lost notification, a
   * crash between prepay and saving it): WeChat Pay asked, paid ones completed. Refunds in progress asked too.
   */
  async reconcile(asOf: Date): Promise<number> {
    const waiting = await this.dataSource.getRepository(MallRedemption).find({
      where: {
        status: 'pending_payment',
        payBefore: MoreThan(asOf),
        createdAt: LessThanOrEqual(new Date(asOf.getTime() - RECONCILE_AFTER_MS)),
      },
      take: 500,
    });
    let settled = 0;
    for (const r of waiting) {
      try {
        if (await this.settleIfPaid(r)) settled++;
      } catch (err) {
        this.skip(r, err);
      }
    }
    const refunding = await this.dataSource.getRepository(MallRedemption).find({
      where: { status: 'cancelled', cashRefundStatus: In(['processing']) },
      take: 500,
    });
    for (const r of refunding) {
      try {
        const refund = await this.payments.refundStatus(r.cashRefundNo!);
        if (refund) await this.redemptions.recordRefund(refund.outRefundNo, refund.status);
      } catch (err) {
        this.skip(r, err);
      }
    }
    return settled;
  }

  private async settleIfPaid(r: MallRedemption): Promise<boolean> {
    const trade = await this.payments.query(tradeNoOf(r.id));
    if (!isPaid(trade)) return false;
    await this.completePaid(trade!);
    return true;
  }

  private skip(r: MallRedemption, err: unknown): void {
    if (err instanceof WechatPayError || err instanceof PaymentMismatch)
      this.logger.warn(`payment of redemption ${r.id} left for the next run: ${err.message}`);
    else throw err;
  }
}
