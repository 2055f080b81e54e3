/**
 * /__fake/pay/* — controls of the fake WeChat Pay for tests and local development. Not part of WeChat Pay.
 * JSON in and out, no authentication.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { parseJson } from './fake-wechat-kit.js';
import { notificationBody, notifyPaid, postNotification } from './pay-notifier.js';
import { otherApiV3Key, rsaVerify } from './pay-sign.js';
import {
  ids,
  refundJson,
  rfc3339,
  transactionJson,
  type PayFaultKind,
  type PayState,
  type SignTamper,
  type Trade,
} from './pay-state.js';

const FAULT_KINDS: PayFaultKind[] = [
  'bad_signature',
  'wrong_serial',
  'stale',
  'http500',
  'drop_after_create',
  'refund_abnormal',
];
const NOTIFY_TAMPERS = ['bad_signature', 'wrong_serial', 'stale', 'wrong_key', 'amount'] as const;
type NotifyTamper = (typeof NOTIFY_TAMPERS)[number];

const json = (body: unknown) => (typeof body === 'string' ? (parseJson(body) ?? {}) : {});
const refuse = (reply: FastifyReply, status: number, code: string, message: string) =>
  reply.status(status).send({ code, message });

/** Registers /__fake/pay/*. */
export function registerPayControls(app: FastifyInstance, pay: PayState): void {
  registerPaying(app, pay);
  registerNotifyAndFaults(app, pay);
  app.get('/__fake/pay/trades/:outTradeNo', async (req, reply) => {
    const trade = pay.trades.get((req.params as { outTradeNo: string }).outTradeNo);
    if (!trade) return refuse(reply, 404, 'ORDER_NOT_EXIST', '订单不存在');
    return {
      trade: transactionJson(trade),
      refunds: pay.refundsOf(trade.outTradeNo).map(refundJson),
      notifications: pay.deliveries.get(trade.outTradeNo) ?? [],
    };
  });
}

/** Pays a NOTPAY trade, then sends TRANSACTION.SUCCESS (`copies` identical copies at once, or none). */
async function payTrade(pay: PayState, trade: Trade, copies: number) {
  trade.state = 'SUCCESS';
  trade.transactionId = ids.transaction();
  trade.successTime = rfc3339(pay.now());
  const deliveries = copies > 0 ? await notifyPaid(pay, trade, copies) : [];
  return { trade: transactionJson(trade), deliveries };
}

const expired = (pay: PayState, trade: Trade) => Date.parse(trade.timeExpire) <= pay.now();

function registerPaying(app: FastifyInstance, pay: PayState): void {
  // The test hook: the user paid (notify 'never': the notification never comes; the query must find it).
  app.post('/__fake/pay/pay', async (req, reply) => {
    const b = json(req.body);
    const trade =
      typeof b.prepay_id === 'string'
        ? pay.tradeByPrepay(b.prepay_id)
        : pay.trades.get(String(b.out_trade_no));
    if (!trade) return refuse(reply, 404, 'ORDER_NOT_EXIST', '订单不存在');
    if (trade.state !== 'NOTPAY')
      return refuse(reply, 409, 'ORDERPAID', `订单状态为 ${trade.state}，不能支付`);
    if (expired(pay, trade)) return refuse(reply, 409, 'ORDER_EXPIRED', '订单已过期');
    const duplicates = typeof b.duplicates === 'number' ? Math.max(0, b.duplicates) : 0;
    return payTrade(pay, trade, b.notify === 'never' ? 0 : 1 + duplicates);
  });

  // What wx.requestPayment does (the H5 dev cashier): checks paySign as WeChat's client would, then pays.
  app.post('/__fake/pay/cashier', async (req, reply) => {
    const b = json(req.body);
    const pkg = typeof b.package === 'string' ? b.package : '';
    const trade = pkg.startsWith('prepay_id=') ? pay.tradeByPrepay(pkg.slice(10)) : undefined;
    if (!trade) return refuse(reply, 400, 'ORDER_NOT_EXIST', '订单不存在');
    const message = `${String(b.appId)}\n${String(b.timeStamp)}\n${String(b.nonceStr)}\n${pkg}\n`;
    if (
      b.appId !== trade.appid ||
      b.signType !== 'RSA' ||
      typeof b.paySign !== 'string' ||
      !rsaVerify(message, b.paySign, pay.merchantKey)
    )
      return refuse(reply, 400, 'SIGN_ERROR', '签名错误');
    if (trade.state === 'CLOSED') return refuse(reply, 400, 'ORDER_CLOSED', '订单已关闭');
    if (trade.state !== 'NOTPAY') return refuse(reply, 400, 'ORDERPAID', '订单已支付');
    if (expired(pay, trade)) return refuse(reply, 400, 'ORDER_EXPIRED', '订单已过期');
    return payTrade(pay, trade, 1);
  });
}

/** One TRANSACTION.SUCCESS of the trade's current state, spoiled as asked; sent once, no resends. */
function tamperedNotification(pay: PayState, trade: Trade, tamper: NotifyTamper | undefined) {
  const plain = transactionJson(trade);
  if (tamper === 'amount') {
    const amount = plain.amount as { total: number };
    plain.amount = { ...amount, total: amount.total + 1 };
  }
  const key = tamper === 'wrong_key' ? otherApiV3Key() : pay.apiV3Key;
  const rawBody = notificationBody(pay, 'TRANSACTION.SUCCESS', plain, key);
  const signTamper = ['bad_signature', 'wrong_serial', 'stale'].includes(tamper ?? '')
    ? (tamper as SignTamper)
    : undefined;
  return postNotification(pay, trade.notifyUrl, rawBody, signTamper);
}

function registerNotifyAndFaults(app: FastifyInstance, pay: PayState): void {
  app.post('/__fake/pay/notify', async (req, reply) => {
    const b = json(req.body);
    const trade = pay.trades.get(String(b.out_trade_no));
    if (!trade) return refuse(reply, 404, 'ORDER_NOT_EXIST', '订单不存在');
    const tamper = NOTIFY_TAMPERS.find((t) => t === b.tamper);
    if (b.tamper !== undefined && !tamper)
      return refuse(reply, 400, 'PARAM_ERROR', `未知的 tamper：${String(b.tamper)}`);
    const result = await tamperedNotification(pay, trade, tamper);
    pay.record(trade.outTradeNo, {
      event_type: 'TRANSACTION.SUCCESS',
      status: result.status === -1 ? 'error' : result.status,
    });
    return result;
  });

  app.post('/__fake/pay/faults', async (req, reply) => {
    const b = json(req.body);
    const kind = FAULT_KINDS.find((k) => k === b.kind);
    if (!kind) return refuse(reply, 400, 'PARAM_ERROR', `未知的 kind：${String(b.kind)}`);
    pay.faults.push({
      kind,
      path: typeof b.path === 'string' ? b.path : '',
      remaining: typeof b.times === 'number' ? b.times : 1,
    });
    return { ok: true };
  });

  app.post('/__fake/pay/faults/clear', async () => {
    pay.faults = [];
    return { ok: true };
  });
}
