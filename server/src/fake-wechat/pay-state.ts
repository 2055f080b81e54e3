/**
 * The fake WeChat Pay's data model (reference/wechatpay.md): the merchant it serves, its own signing key (served as
 * the "WeChat Pay public key", PUB_KEY_ID_…), trades, refunds, notification deliveries and injected faults.
 * Amounts are in fen. Business times (time_expire, success_time) follow the fake's clock (state.now(), which
 * /__fake/clock shifts); signature timestamps follow the real clock, as the client checks them against its own.
 */
import {
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  randomInt,
  type KeyObject,
} from 'node:crypto';

export interface FakePayOptions {
  mchid: string;
  /** The mini-program's appid the merchant is bound to (prepay answers APPID_MCHID_NOT_MATCH otherwise). */
  appId: string;
  /** The serial number of the merchant API certificate: the Authorization header's serial_no. */
  merchantSerial: string;
  /** The merchant API public key, PEM (SPKI): every /v3 request's signature is checked with it. */
  merchantPublicKey: string;
  /** The APIv3 key (32 characters): notifications' resources are encrypted with it. */
  apiV3Key: string;
  /** Waits before each resend of a notification not answered 2xx (WeChat: 15 s … 6 h; compressed here). */
  retryScheduleMs?: number[];
  /** How long a refund stays PROCESSING. */
  refundDelayMs?: number;
}

/** What the server must trust: the fake's "WeChat Pay public key" and its id. */
export interface FakePayKeys {
  publicKeyId: string;
  /** SPKI PEM */
  publicKeyPem: string;
}

export type TradeState = 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND';

export interface Trade {
  appid: string;
  mchid: string;
  description: string;
  outTradeNo: string;
  timeExpire: string;
  notifyUrl: string;
  total: number;
  openid: string;
  prepayId: string;
  state: TradeState;
  transactionId?: string;
  successTime?: string;
}

export type RefundStatus = 'PROCESSING' | 'SUCCESS' | 'ABNORMAL';

export interface Refund {
  refundId: string;
  outRefundNo: string;
  outTradeNo: string;
  transactionId: string;
  reason?: string;
  notifyUrl?: string;
  createTime: string;
  status: RefundStatus;
  successTime?: string;
  refund: number;
  total: number;
  /** Armed by the refund_abnormal fault: the refund ends ABNORMAL. */
  abnormal: boolean;
}

export type PayFaultKind =
  'bad_signature' | 'wrong_serial' | 'stale' | 'http500' | 'drop_after_create' | 'refund_abnormal';

export interface PayFault {
  kind: PayFaultKind;
  /** A prefix of the /v3 path ('' = every path). */
  path: string;
  remaining: number;
}

/** How a signed message (answer or notification) is spoiled on purpose. */
export type SignTamper = 'bad_signature' | 'wrong_serial' | 'stale';

export interface Delivery {
  event_type: string;
  /** The receiver's HTTP status, or 'error' for a network error. */
  status: number | 'error';
  at: string;
}

export const DEFAULT_RETRY_SCHEDULE_MS = [200, 400, 800, 1600, 3200, 6400];
const DEFAULT_REFUND_DELAY_MS = 100;

export const digits = (n: number) => Array.from({ length: n }, () => randomInt(0, 10)).join('');
export const publicKeyIdLike = () => `PUB_KEY_ID_0114${digits(24)}`;

/** RFC 3339 in China time, as WeChat Pay writes it: 2026-12-06T18:00:00+08:00. */
export function rfc3339(ms: number): string {
  return `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

export class PayState {
  readonly mchid: string;
  readonly appId: string;
  readonly merchantSerial: string;
  readonly merchantKey: KeyObject;
  readonly apiV3Key: string;
  readonly retryScheduleMs: number[];
  readonly refundDelayMs: number;
  /** The fake's own key pair; the public half is served as the WeChat Pay public key. */
  readonly privateKey: KeyObject;
  readonly publicKeyId = publicKeyIdLike();
  readonly publicKeyPem: string;
  /** out_trade_no → trade */
  trades = new Map<string, Trade>();
  /** prepay_id → out_trade_no */
  prepays = new Map<string, string>();
  /** out_refund_no → refund */
  refunds = new Map<string, Refund>();
  /** out_trade_no → every notification delivery attempt (transaction and refund events) */
  deliveries = new Map<string, Delivery[]>();
  faults: PayFault[] = [];
  private timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    options: FakePayOptions,
    readonly now: () => number,
  ) {
    this.mchid = options.mchid;
    this.appId = options.appId;
    this.merchantSerial = options.merchantSerial;
    this.merchantKey = createPublicKey(options.merchantPublicKey);
    this.apiV3Key = options.apiV3Key;
    this.retryScheduleMs = options.retryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS;
    this.refundDelayMs = options.refundDelayMs ?? DEFAULT_REFUND_DELAY_MS;
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  get keys(): FakePayKeys {
    return { publicKeyId: this.publicKeyId, publicKeyPem: this.publicKeyPem };
  }

  tradeByPrepay(prepayId: string): Trade | undefined {
    const outTradeNo = this.prepays.get(prepayId);
    return outTradeNo === undefined ? undefined : this.trades.get(outTradeNo);
  }

  refundsOf(outTradeNo: string): Refund[] {
    return [...this.refunds.values()].filter((r) => r.outTradeNo === outTradeNo);
  }

  record(outTradeNo: string, delivery: Omit<Delivery, 'at'>): void {
    const list = this.deliveries.get(outTradeNo) ?? [];
    list.push({ ...delivery, at: new Date().toISOString() });
    this.deliveries.set(outTradeNo, list);
  }

  /** Takes one use of the first armed fault of this kind set matching the path, if any. */
  takeFault(path: string, kinds: PayFaultKind[]): PayFault | undefined {
    const fault = this.faults.find(
      (f) => f.remaining > 0 && kinds.includes(f.kind) && path.startsWith(f.path),
    );
    if (fault) fault.remaining--;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return fault;
  }

  /** A timer cleared when the fake closes (refund completion, notification resends). */
  schedule(ms: number, fn: () => void): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) fn();
    }, ms);
    this.timers.add(timer);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

/** The transaction as the query answers it and TRANSACTION.* notifications carry it. */
export function transactionJson(trade: Trade): Record<string, unknown> {
  const paid = trade.state === 'SUCCESS' || trade.state === 'REFUND';
  return {
    appid: trade.appid,
    mchid: trade.mchid,
    out_trade_no: trade.outTradeNo,
    ...(paid ? { transaction_id: trade.transactionId } : {}),
    trade_type: 'JSAPI',
    trade_state: trade.state,
    trade_state_desc: TRADE_STATE_DESC[trade.state],
    ...(paid ? { bank_type: 'OTHERS', success_time: trade.successTime } : {}),
    payer: { openid: trade.openid },
    amount: {
      total: trade.total,
      ...(paid ? { payer_total: trade.total } : {}),
      currency: 'CNY',
      payer_currency: 'CNY',
    },
  };
}

const TRADE_STATE_DESC: Record<TradeState, string> = {
  NOTPAY: '订单未支付',
  SUCCESS: '支付成功',
  CLOSED: '订单已关闭',
  REFUND: '订单发生过退款',
};

/** The refund as the refund APIs answer it. */
export function refundJson(refund: Refund): Record<string, unknown> {
  return {
    refund_id: refund.refundId,
    out_refund_no: refund.outRefundNo,
    transaction_id: refund.transactionId,
    out_trade_no: refund.outTradeNo,
    channel: 'ORIGINAL',
    user_received_account: '支付用户零钱',
    ...(refund.successTime ? { success_time: refund.successTime } : {}),
    create_time: refund.createTime,
    status: refund.status,
    funds_account: 'AVAILABLE',
    amount: {
      total: refund.total,
      refund: refund.refund,
      payer_total: refund.total,
      payer_refund: refund.refund,
      settlement_refund: refund.refund,
      settlement_total: refund.total,
      discount_refund: 0,
      currency: 'CNY',
    },
  };
}

/** The refund as REFUND.* notifications carry it. */
export function refundNotificationJson(refund: Refund, mchid: string): Record<string, unknown> {
  return {
    mchid,
    out_trade_no: refund.outTradeNo,
    transaction_id: refund.transactionId,
    out_refund_no: refund.outRefundNo,
    refund_id: refund.refundId,
    refund_status: refund.status,
    ...(refund.successTime ? { success_time: refund.successTime } : {}),
    user_received_account: '支付用户零钱',
    amount: {
      total: refund.total,
      refund: refund.refund,
      payer_total: refund.total,
      payer_refund: refund.refund,
    },
  };
}

/** Random ids shaped like WeChat Pay's. */
export const ids = {
  prepay: () => `wx${rfc3339(Date.now()).replace(/\D/g, '').slice(0, 14)}${randomHex(10)}`,
  transaction: () => `4200${digits(24)}`,
  refund: () => `50${digits(27)}`,
  requestId: () => randomBytes(16).toString('hex').toUpperCase(),
  nonce: (n: number) => randomBytes(n).toString('base64url').replace(/[-_]/g, 'x').slice(0, n),
};

function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}
