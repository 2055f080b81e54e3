import { randomBytes } from 'node:crypto';
import { Decorator, Formatter, Rsa } from 'wechatpay-axios-plugin';
import type { WechatPaySettings } from '../../../config/wechat-pay-config.js';
import { type PayNotification, openPayNotification } from './notification.js';

/** A trade as WeChat Pay reports it (query or notification). */
export interface PayTrade {
  outTradeNo: string;
  /** SUCCESS, REFUND (paid, then refunded in part or whole), NOTPAY, CLOSED, REVOKED, USERPAYING, PAYERROR. */
  tradeState: string;
  appId: string;
  mchid: string;
  transactionId: string | null;
  totalFen: number;
}

export interface PayRefund {
  outRefundNo: string;
  /** PROCESSING, then SUCCESS, ABNORMAL (the member's account refused it; staff act) or CLOSED. */
  status: string;
  refundFen: number;
}

/**
 * A call that got no trustworthy answer ('unavailable': network, timeout, 5xx, an answer whose signature does not
 * verify — its outcome is unknown and asked again later) or a definite refusal ('refused': WeChat Pay's 4xx code).
 */
export class WechatPayError extends Error {
  constructor(
    readonly kind: 'unavailable' | 'refused',
    readonly code: string,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

interface AxiosLikeError {
  response?: { status?: number; data?: unknown };
  code?: string;
  message?: string;
}

/**
 * WeChat Pay APIv3 for a JSAPI (mini-program) merchant, on wechatpay-axios-plugin: every request signed with the
 * merchant key, every answer verified (timestamp, key id, RSA signature) before it is believed.
 */
export class WechatPayClient {
  private readonly api: Decorator;

  constructor(
    private readonly settings: WechatPaySettings,
    readonly appId: string,
    private readonly notifyUrl: () => string,
  ) {
    this.api = new Decorator({
      mchid: settings.mchid,
      serial: settings.serial,
      privateKey: settings.privateKey as never,
      certs: Object.fromEntries(settings.verifiers) as never,
      baseURL: settings.baseUrl,
      timeout: settings.timeoutMs,
    } as never);
  }

  get mchid(): string {
    return this.settings.mchid;
  }

  /** JSAPI prepay: the same out_trade_no again answers the same prepay while the trade is unpaid. */
  async prepay(order: {
    outTradeNo: string;
    description: string;
    totalFen: number;
    openid: string;
    expiresAt: Date;
  }): Promise<string> {
    const data = await this.call<{ prepay_id?: string }>('v3/pay/transactions/jsapi', 'post', {
      appid: this.appId,
      mchid: this.settings.mchid,
      description: order.description.slice(0, 127),
      out_trade_no: order.outTradeNo,
      time_expire: rfc3339(order.expiresAt),
      notify_url: this.notifyUrl(),
      amount: { total: order.totalFen, currency: 'CNY' },
      payer: { openid: order.openid },
    });
    if (!data?.prepay_id) throw new WechatPayError('unavailable', 'NO_PREPAY_ID', 'no prepay_id');
    return data.prepay_id;
  }

  /** What `wx.requestPayment` takes, signed with the merchant key (the client checks it, and so does the fake). */
  paymentParams(prepayId: string): Record<string, string> {
    const timeStamp = String(Formatter.timestamp());
    const nonceStr = randomBytes(16).toString('hex');
    const pkg = `prepay_id=${prepayId}`;
    const message = Formatter.joinedByLineFeed(this.appId, timeStamp, nonceStr, pkg);
    const paySign = Rsa.sign(message, this.settings.privateKey as never);
    return { appId: this.appId, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign };
  }

  /** The trade by our number; null when WeChat Pay has none (never placed, or placed by a call that failed). */
  async query(outTradeNo: string): Promise<PayTrade | null> {
    try {
      const data = await this.call<Record<string, unknown>>(
        'v3/pay/transactions/out-trade-no/{out_trade_no}',
        'get',
        undefined,
        { out_trade_no: outTradeNo, params: { mchid: this.settings.mchid } },
      );
      return toTrade(data);
    } catch (err) {
      if (err instanceof WechatPayError && err.code === 'ORDER_NOT_EXIST') return null;
      throw err;
    }
  }

  /** Closes an unpaid trade: 'paid' when it was paid meanwhile (ORDERPAID), 'closed' otherwise. */
  async close(outTradeNo: string): Promise<'closed' | 'paid' | 'missing'> {
    try {
      await this.call(
        'v3/pay/transactions/out-trade-no/{out_trade_no}/close',
        'post',
        { mchid: this.settings.mchid },
        { out_trade_no: outTradeNo },
      );
      return 'closed';
    } catch (err) {
      if (err instanceof WechatPayError && err.code === 'ORDERPAID') return 'paid';
      if (err instanceof WechatPayError && err.code === 'ORDER_NOT_EXIST') return 'missing';
      throw err;
    }
  }

  /** A refund, idempotent on out_refund_no: asking again answers the same refund. */
  async refund(request: {
    outTradeNo: string;
    outRefundNo: string;
    refundFen: number;
    totalFen: number;
    reason: string;
  }): Promise<PayRefund> {
    const data = await this.call<Record<string, unknown>>('v3/refund/domestic/refunds', 'post', {
      out_trade_no: request.outTradeNo,
      out_refund_no: request.outRefundNo,
      reason: request.reason.slice(0, 80),
      notify_url: this.notifyUrl(),
      amount: { refund: request.refundFen, total: request.totalFen, currency: 'CNY' },
    });
    return toRefund(data);
  }

  async refundStatus(outRefundNo: string): Promise<PayRefund | null> {
    try {
      const data = await this.call<Record<string, unknown>>(
        'v3/refund/domestic/refunds/{out_refund_no}',
        'get',
        undefined,
        { out_refund_no: outRefundNo },
      );
      return toRefund(data);
    } catch (err) {
      if (err instanceof WechatPayError && err.code === 'RESOURCE_NOT_EXISTS') return null;
      throw err;
    }
  }

  /** A notification as received: verified and decrypted, or PayNotificationError. */
  open(headers: Record<string, string | string[] | undefined>, rawBody: Buffer): PayNotification {
    return openPayNotification(headers, rawBody, this.settings);
  }

  private async call<T>(
    path: string,
    method: 'get' | 'post',
    data?: unknown,
    config: Record<string, unknown> = {},
  ): Promise<T> {
    try {
      const res = (await this.api.request(path, method, data, config)) as { data: T };
      return res.data;
    } catch (err) {
      throw asPayError(err);
    }
  }
}

function asPayError(err: unknown): WechatPayError {
  const e = err as AxiosLikeError;
  const status = e.response?.status ?? null;
  const body = e.response?.data;
  const parsed = (typeof body === 'string' ? safeJson(body) : body) as
    { code?: unknown; message?: unknown } | undefined;
  const code = typeof parsed?.code === 'string' ? parsed.code : (e.code ?? 'NETWORK');
  const message = typeof parsed?.message === 'string' ? parsed.message : (e.message ?? 'error');
  // A 4xx with WeChat Pay's code is its decision; anything else leaves the outcome unknown.
  const refused =
    status !== null && status >= 400 && status < 500 && typeof parsed?.code === 'string';
  return new WechatPayError(refused ? 'refused' : 'unavailable', code, message, status);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function toTrade(data: Record<string, unknown>): PayTrade {
  const amount = (data.amount ?? {}) as { total?: unknown };
  return {
    outTradeNo: String(data.out_trade_no ?? ''),
    tradeState: String(data.trade_state ?? ''),
    appId: String(data.appid ?? ''),
    mchid: String(data.mchid ?? ''),
    transactionId: typeof data.transaction_id === 'string' ? data.transaction_id : null,
    totalFen: Number(amount.total ?? NaN),
  };
}

export function toRefund(data: Record<string, unknown>): PayRefund {
  const amount = (data.amount ?? {}) as { refund?: unknown };
  return {
    outRefundNo: String(data.out_refund_no ?? ''),
    status: String(data.status ?? data.refund_status ?? ''),
    refundFen: Number(amount.refund ?? NaN),
  };
}

/** RFC 3339 in Beijing time, as WeChat Pay writes and expects it (2026-12-06T20:15:00+08:00). */
function rfc3339(at: Date): string {
  const local = new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19);
  return `${local}+08:00`;
}
