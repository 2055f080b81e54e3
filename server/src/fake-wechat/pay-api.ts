/**
 * The WeChat Pay API v3 side of the fake (api.mch.weixin.qq.com): JSAPI prepay, query, close, refund and refund
 * query, with the merchant's signature checked on every request and every answer signed with the fake's key.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseJson } from './fake-wechat-kit.js';
import { notifyRefund } from './pay-notifier.js';
import { signedHeaders, verifyAuthorization } from './pay-sign.js';
import {
  ids,
  refundJson,
  rfc3339,
  transactionJson,
  type PayState,
  type Refund,
  type SignTamper,
  type Trade,
} from './pay-state.js';

export interface PayAnswer {
  status: number;
  body?: Record<string, unknown>;
}

type Body = Record<string, unknown>;
type Handler = (req: FastifyRequest, body: Body | undefined) => PayAnswer;

export const payError = (status: number, code: string, message: string): PayAnswer => ({
  status,
  body: { code, message },
});
const paramError = (field: string) => payError(400, 'PARAM_ERROR', `参数错误：${field}`);
const tradeNotFound = () => payError(404, 'ORDER_NOT_EXIST', '订单不存在');
const orderPaid = () => payError(400, 'ORDERPAID', '该订单已支付');
const REFUNDS = '/v3/refund/domestic/refunds';
const OUT_TRADE_NO = /^[A-Za-z0-9_|*-]{6,32}$/;
const OUT_REFUND_NO = /^[A-Za-z0-9_|*@-]{1,64}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const isPaid = (t: Trade) => t.state === 'SUCCESS' || t.state === 'REFUND';
const isFen = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1;
const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** Writes a signed JSON answer (204: an empty body, signed as such). */
function answer(pay: PayState, reply: FastifyReply, a: PayAnswer, tamper?: SignTamper) {
  const text = a.status === 204 || !a.body ? '' : JSON.stringify(a.body);
  return reply
    .status(a.status)
    .headers({
      'content-type': 'application/json',
      'Request-ID': ids.requestId(),
      ...signedHeaders(pay, text, tamper),
    })
    .send(text);
}

/** One /v3 route: the Authorization check, the injected faults, then the handler's answer, signed. */
function route(
  app: FastifyInstance,
  pay: PayState,
  method: 'GET' | 'POST',
  url: string,
  handler: Handler,
): void {
  app.route({
    method,
    url,
    handler: async (req, reply) => {
      const raw = typeof req.body === 'string' ? req.body : '';
      if (!verifyAuthorization(pay, req.headers.authorization, req.method, req.url, raw))
        return answer(pay, reply, payError(401, 'SIGN_ERROR', '签名错误'));
      const path = req.url.split('?')[0]!;
      const fault = pay.takeFault(path, [
        'http500',
        'drop_after_create',
        'bad_signature',
        'wrong_serial',
        'stale',
      ]);
      if (fault?.kind === 'http500')
        return answer(pay, reply, payError(500, 'SYSTEM_ERROR', '系统繁忙，请稍后重试'));
      const result = handler(req, raw ? parseJson(raw) : undefined);
      if (fault?.kind === 'drop_after_create') {
        // The request took effect; the answer never comes.
        reply.hijack();
        req.raw.socket.destroy();
        return reply;
      }
      return answer(pay, reply, result, fault?.kind as SignTamper | undefined);
    },
  });
}

/** Registers /v3/pay/* and /v3/refund/*. */
export function registerPayApi(app: FastifyInstance, pay: PayState): void {
  route(app, pay, 'POST', '/v3/pay/transactions/jsapi', (_req, b) => prepay(pay, b));
  route(app, pay, 'GET', '/v3/pay/transactions/out-trade-no/:outTradeNo', (req) => {
    const { outTradeNo } = req.params as { outTradeNo: string };
    if ((req.query as Record<string, unknown>).mchid !== pay.mchid) return paramError('mchid');
    const trade = pay.trades.get(outTradeNo);
    return trade ? { status: 200, body: transactionJson(trade) } : tradeNotFound();
  });
  route(app, pay, 'POST', '/v3/pay/transactions/out-trade-no/:outTradeNo/close', (req, b) => {
    const { outTradeNo } = req.params as { outTradeNo: string };
    if (b?.mchid !== pay.mchid) return paramError('mchid');
    const trade = pay.trades.get(outTradeNo);
    if (!trade) return tradeNotFound();
    if (isPaid(trade)) return orderPaid();
    trade.state = 'CLOSED';
    return { status: 204 };
  });
  route(app, pay, 'POST', REFUNDS, (_req, b) => createRefund(pay, b));
  route(app, pay, 'GET', '/v3/refund/domestic/refunds/:outRefundNo', (req) => {
    const refund = pay.refunds.get((req.params as { outRefundNo: string }).outRefundNo);
    return refund
      ? { status: 200, body: refundJson(refund) }
      : payError(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
  });
}

/** The first field of a JSAPI prepay body that is missing or malformed, if any. */
function invalidPrepayField(b: Body): string | undefined {
  const amount = b.amount as Body | undefined;
  const payer = b.payer as Body | undefined;
  if (!str(b.appid)) return 'appid';
  if (!str(b.mchid)) return 'mchid';
  if (!str(b.description) || b.description.length > 127) return 'description';
  if (typeof b.out_trade_no !== 'string' || !OUT_TRADE_NO.test(b.out_trade_no))
    return 'out_trade_no';
  if (
    typeof b.time_expire !== 'string' ||
    !RFC3339.test(b.time_expire) ||
    Number.isNaN(Date.parse(b.time_expire))
  )
    return 'time_expire';
  if (typeof b.notify_url !== 'string' || !/^https?:\/\/\S+$/.test(b.notify_url))
    return 'notify_url';
  if (typeof amount !== 'object' || amount === null || !isFen(amount.total)) return 'amount.total';
  if (amount.currency !== undefined && amount.currency !== 'CNY') return 'amount.currency';
  if (typeof payer !== 'object' || payer === null || !str(payer.openid)) return 'payer.openid';
  return undefined;
}

function prepay(pay: PayState, b: Body | undefined): PayAnswer {
  if (!b) return paramError('body');
  const invalid = invalidPrepayField(b);
  if (invalid) return paramError(invalid);
  if (b.appid !== pay.appId || b.mchid !== pay.mchid)
    return payError(400, 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配');
  const total = (b.amount as { total: number }).total;
  const outTradeNo = b.out_trade_no as string;
  const existing = pay.trades.get(outTradeNo);
  if (existing) {
    if (isPaid(existing)) return orderPaid();
    if (existing.state === 'CLOSED') return payError(400, 'ORDER_CLOSED', '订单已关闭');
    if (existing.total !== total || existing.description !== b.description)
      return payError(400, 'INVALID_REQUEST', '订单号重复');
    return { status: 200, body: { prepay_id: existing.prepayId } };
  }
  const trade: Trade = {
    appid: pay.appId,
    mchid: pay.mchid,
    description: b.description as string,
    outTradeNo,
    timeExpire: b.time_expire as string,
    notifyUrl: b.notify_url as string,
    total,
    openid: (b.payer as { openid: string }).openid,
    prepayId: ids.prepay(),
    state: 'NOTPAY',
  };
  pay.trades.set(outTradeNo, trade);
  pay.prepays.set(trade.prepayId, outTradeNo);
  return { status: 200, body: { prepay_id: trade.prepayId } };
}

/** The first field of a refund body that is missing or malformed, if any. */
function invalidRefundField(b: Body): string | undefined {
  const amount = b.amount as Body | undefined;
  if (typeof b.out_trade_no !== 'string' || !OUT_TRADE_NO.test(b.out_trade_no))
    return 'out_trade_no';
  if (typeof b.out_refund_no !== 'string' || !OUT_REFUND_NO.test(b.out_refund_no))
    return 'out_refund_no';
  if (b.reason !== undefined && typeof b.reason !== 'string') return 'reason';
  if (b.notify_url !== undefined && !/^https?:\/\/\S+$/.test(String(b.notify_url)))
    return 'notify_url';
  if (typeof amount !== 'object' || amount === null || !isFen(amount.refund))
    return 'amount.refund';
  if (!isFen(amount.total)) return 'amount.total';
  if (amount.currency !== 'CNY') return 'amount.currency';
  return undefined;
}

function createRefund(pay: PayState, b: Body | undefined): PayAnswer {
  if (!b) return paramError('body');
  const invalid = invalidRefundField(b);
  if (invalid) return paramError(invalid);
  const again = pay.refunds.get(b.out_refund_no as string);
  if (again) return { status: 200, body: refundJson(again) };
  const trade = pay.trades.get(b.out_trade_no as string);
  if (!trade) return payError(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
  if (!isPaid(trade)) return payError(400, 'INVALID_REQUEST', '订单未支付');
  const { refund: amount, total } = b.amount as { refund: number; total: number };
  if (total !== trade.total) return payError(400, 'PARAM_ERROR', '订单金额与原订单不一致');
  const refunded = pay
    .refundsOf(trade.outTradeNo)
    .filter((r) => r.status !== 'ABNORMAL')
    .reduce((sum, r) => sum + r.refund, 0);
  if (amount > trade.total - refunded) return payError(400, 'NOT_ENOUGH', '退款金额超过可退金额');
  const refund: Refund = {
    refundId: ids.refund(),
    outRefundNo: b.out_refund_no as string,
    outTradeNo: trade.outTradeNo,
    transactionId: trade.transactionId ?? '',
    reason: b.reason as string | undefined,
    notifyUrl: b.notify_url as string | undefined,
    createTime: rfc3339(pay.now()),
    status: 'PROCESSING',
    refund: amount,
    total: trade.total,
    abnormal: pay.takeFault(REFUNDS, ['refund_abnormal']) !== undefined,
  };
  pay.refunds.set(refund.outRefundNo, refund);
  trade.state = 'REFUND';
  pay.schedule(pay.refundDelayMs, () => {
    refund.status = refund.abnormal ? 'ABNORMAL' : 'SUCCESS';
    if (!refund.abnormal) refund.successTime = rfc3339(pay.now());
    void notifyRefund(pay, refund);
  });
  return { status: 200, body: refundJson(refund) };
}
