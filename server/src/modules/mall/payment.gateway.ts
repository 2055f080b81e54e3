import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError } from '../../infra/http/domain-error.js';

export interface PaymentRequest {
  /** Our reference (the redemption), sent to the provider as out_trade_no. */
  reference: string;
  amountFen: number;
  description: string;
}

/**
 * Cash for points + cash items. Production: WeChat Pay JSAPI (a maintained package such as `wechatpay-node-v3`):
 * `create` places the order and answers the parameters `wx.requestPayment` needs, `status` queries the order, so
 * the server never trusts the client's word that it paid. Dev and tests: the fake below.
 */
/** A refund of a paid order, in full or part; `refundNo` (out_refund_no) makes a repeated call refund once. */
export interface RefundRequest {
  paymentRef: string;
  refundNo: string;
  amountFen: number;
  reason: string;
}

export abstract class PaymentGateway {
  abstract create(
    request: PaymentRequest,
  ): Promise<{ paymentRef: string; params: Record<string, string> }>;
  abstract status(paymentRef: string): Promise<'paid' | 'unpaid'>;
  /** WeChat Pay: `/v3/refund/domestic/refunds`, idempotent on out_refund_no. */
  abstract refund(request: RefundRequest): Promise<{ refundRef: string }>;
}

/** Pays everything at once; `failNext` lets a test leave a payment unpaid. */
@Injectable()
export class FakePaymentGateway extends PaymentGateway {
  private readonly unpaid = new Set<string>();
  private leaveUnpaid = 0;

  async create(request: PaymentRequest) {
    const paymentRef = `FAKEPAY-${randomUUID()}`;
    if (this.leaveUnpaid > 0) {
      this.leaveUnpaid--;
      this.unpaid.add(paymentRef);
    }
    return {
      paymentRef,
      params: {
        timeStamp: String(Math.floor(Date.now() / 1000)),
        nonceStr: randomUUID().slice(0, 16),
        package: `prepay_id=${paymentRef}`,
        signType: 'RSA',
        paySign: 'fake',
        totalFee: String(request.amountFen),
      },
    };
  }

  async status(paymentRef: string): Promise<'paid' | 'unpaid'> {
    return this.unpaid.has(paymentRef) ? 'unpaid' : 'paid';
  }

  /** The next `n` payments stay unpaid (tests of the payment timeout). */
  failNext(n: number): void {
    this.leaveUnpaid += n;
  }

  /** Refunds accepted, by refund number: a second call with the same number refunds nothing more. */
  readonly refunds = new Map<string, RefundRequest & { refundRef: string }>();

  async refund(request: RefundRequest): Promise<{ refundRef: string }> {
    const known = this.refunds.get(request.refundNo);
    if (known) return { refundRef: known.refundRef };
    if (this.unpaid.has(request.paymentRef))
      throw new DomainError('BUSINESS_RULE', '该订单尚未支付，无法退款');
    const refundRef = `FAKEREFUND-${randomUUID()}`;
    this.refunds.set(request.refundNo, { ...request, refundRef });
    return { refundRef };
  }

  /** What was refunded against one payment (tests). */
  refundedFor(paymentRef: string): number {
    let total = 0;
    for (const r of this.refunds.values()) if (r.paymentRef === paymentRef) total += r.amountFen;
    return total;
  }
}

/**
 * With real WeChat credentials and no payment provider configured, points + cash items cannot be sold: refusing
 * (503, everything rolled back) is right, the fake would "pay" every order.
 */
export class UnavailablePaymentGateway extends PaymentGateway {
  async create(): Promise<{ paymentRef: string; params: Record<string, string> }> {
    throw new DomainError('SERVICE_UNAVAILABLE', '现金支付暂未开通，请选择纯积分兑换的商品');
  }

  async status(): Promise<'paid' | 'unpaid'> {
    return 'unpaid';
  }

  async refund(): Promise<{ refundRef: string }> {
    throw new DomainError('SERVICE_UNAVAILABLE', '现金支付暂未开通，无法退款');
  }
}
