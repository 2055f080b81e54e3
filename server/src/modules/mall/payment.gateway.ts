import { DomainError } from '../../infra/http/domain-error.js';
import { type PayNotification, PayNotificationError } from '../../infra/wechat/pay/notification.js';
import {
  type PayRefund,
  type PayTrade,
  toTrade,
  type WechatPayClient,
  WechatPayError,
} from '../../infra/wechat/pay/wechat-pay-client.js';

export type { PayNotification, PayRefund, PayTrade };
export { PayNotificationError, toTrade, WechatPayError };

/**
 * The WeChat Pay order of a redemption: derived from its id, so it can always be asked about again (out_trade_no
 * takes 6-32 characters: the id is padded to 8 digits).
 */
export const tradeNoOf = (redemptionId: number) => `MALL${String(redemptionId).padStart(8, '0')}`;
export const refundNoOf = (redemptionId: number) => `MALLREFUND-${redemptionId}`;
/** The redemption an out_trade_no names, or null when it is not one of ours. */
export const redemptionIdOf = (tradeNo: string): number | null => {
  const m = /^MALL(\d{8,12})$/.exec(tradeNo);
  return m ? Number(m[1]) : null;
};

/** A trade that has been paid (a refund later keeps it paid as far as the redemption is concerned). */
export const isPaid = (trade: PayTrade | null) =>
  trade !== null && (trade.tradeState === 'SUCCESS' || trade.tradeState === 'REFUND');

/**
 * Cash for points + cash items. WeChat Pay (APIv3, JSAPI) in production and beside the fake WeChat alike; the
 * server never takes the client's word that it paid: a payment counts when a verified notification or WeChat Pay's
 * own answer to a query says so.
 */
export abstract class PaymentGateway {
  /** Whether cash can be taken at all (a merchant is configured). */
  abstract readonly available: boolean;
  /** JSAPI prepay (its id); the same trade number again answers the same prepay while unpaid. */
  abstract prepay(order: {
    tradeNo: string;
    description: string;
    amountFen: number;
    openid: string;
    expiresAt: Date;
  }): Promise<string>;
  /** The parameters `wx.requestPayment` takes, signed by the server. */
  abstract paymentParams(prepayId: string): Record<string, string>;
  abstract query(tradeNo: string): Promise<PayTrade | null>;
  /** Closes an unpaid trade; 'paid' when it was paid in the meantime. */
  abstract close(tradeNo: string): Promise<'closed' | 'paid' | 'missing'>;
  /** Refund, idempotent on its number. */
  abstract refund(request: {
    tradeNo: string;
    refundNo: string;
    amountFen: number;
    totalFen: number;
    reason: string;
  }): Promise<PayRefund>;
  abstract refundStatus(refundNo: string): Promise<PayRefund | null>;
  /** A notification, verified and decrypted; PayNotificationError otherwise. */
  abstract open(
    headers: Record<string, string | string[] | undefined>,
    rawBody: Buffer,
  ): PayNotification;
  /** Whether a trade is this merchant's and this mini-program's. */
  abstract owns(trade: PayTrade): boolean;
}

export class WechatPayGateway extends PaymentGateway {
  readonly available = true;

  constructor(private readonly client: WechatPayClient) {
    super();
  }

  prepay(order: Parameters<PaymentGateway['prepay']>[0]): Promise<string> {
    return this.client.prepay({
      outTradeNo: order.tradeNo,
      description: order.description,
      totalFen: order.amountFen,
      openid: order.openid,
      expiresAt: order.expiresAt,
    });
  }

  paymentParams(prepayId: string): Record<string, string> {
    return this.client.paymentParams(prepayId);
  }

  query(tradeNo: string): Promise<PayTrade | null> {
    return this.client.query(tradeNo);
  }

  close(tradeNo: string): Promise<'closed' | 'paid' | 'missing'> {
    return this.client.close(tradeNo);
  }

  refund(request: Parameters<PaymentGateway['refund']>[0]): Promise<PayRefund> {
    return this.client.refund({
      outTradeNo: request.tradeNo,
      outRefundNo: request.refundNo,
      refundFen: request.amountFen,
      totalFen: request.totalFen,
      reason: request.reason,
    });
  }

  refundStatus(refundNo: string): Promise<PayRefund | null> {
    return this.client.refundStatus(refundNo);
  }

  open(headers: Record<string, string | string[] | undefined>, rawBody: Buffer): PayNotification {
    return this.client.open(headers, rawBody);
  }

  owns(trade: PayTrade): boolean {
    return trade.appId === this.client.appId && trade.mchid === this.client.mchid;
  }
}

/**
 * With real WeChat credentials and no merchant configured, points + cash items cannot be sold: refusing (503,
 * everything rolled back) is right. Nothing can have been paid, so queries find nothing.
 */
export class UnavailablePaymentGateway extends PaymentGateway {
  readonly available = false;

  private refuse(): never {
    throw new DomainError('SERVICE_UNAVAILABLE', '现金支付暂未开通，请选择纯积分兑换的商品');
  }

  async prepay(): Promise<string> {
    this.refuse();
  }

  paymentParams(): Record<string, string> {
    this.refuse();
  }

  async query(): Promise<PayTrade | null> {
    return null;
  }

  async close(): Promise<'missing'> {
    return 'missing';
  }

  async refund(): Promise<PayRefund> {
    this.refuse();
  }

  async refundStatus(): Promise<PayRefund | null> {
    return null;
  }

  open(): PayNotification {
    throw new PayNotificationError('unknown_key');
  }

  owns(): boolean {
    return false;
  }
}

/** A gateway call that got no trustworthy answer: the member is asked to try again; the jobs ask again later. */
export function payUnavailable(err: unknown): never {
  if (err instanceof WechatPayError && err.kind === 'unavailable')
    throw new DomainError('SERVICE_UNAVAILABLE', '微信支付暂时无法连接，请稍后重试');
  if (err instanceof WechatPayError)
    throw new DomainError('BUSINESS_RULE', `微信支付：${err.message}`);
  throw err;
}
