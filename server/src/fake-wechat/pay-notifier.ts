/**
 * Notifications from the fake WeChat Pay to a merchant's notify_url: the encrypted resource, the signed headers,
 * a real HTTP POST, and resends on the (compressed) retry schedule until a 2xx answer or the schedule runs out.
 */
import { randomUUID } from 'node:crypto';
import { encryptResource, signedHeaders } from './pay-sign.js';
import {
  refundNotificationJson,
  rfc3339,
  transactionJson,
  type PayState,
  type Refund,
  type SignTamper,
  type Trade,
} from './pay-state.js';

const SUMMARY: Record<string, string> = {
  'TRANSACTION.SUCCESS': '支付成功',
  'REFUND.SUCCESS': '退款成功',
  'REFUND.ABNORMAL': '退款异常',
};
const SEND_TIMEOUT_MS = 5000;

export interface Notification {
  outTradeNo: string;
  url: string;
  eventType: string;
  /** The exact bytes sent; every copy and every resend carries the same body (and so the same id). */
  rawBody: string;
}

/** The notification body: `{id, create_time, resource_type, event_type, summary, resource}`. */
export function notificationBody(
  pay: PayState,
  eventType: string,
  plain: Record<string, unknown>,
  apiV3Key = pay.apiV3Key,
): string {
  const originalType = eventType.startsWith('REFUND.') ? 'refund' : 'transaction';
  return JSON.stringify({
    id: randomUUID(),
    create_time: rfc3339(pay.now()),
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary: SUMMARY[eventType] ?? '',
    resource: encryptResource(JSON.stringify(plain), originalType, apiV3Key),
  });
}

/** One POST of a notification, signed afresh. Status -1 = a network error (no answer). */
export async function postNotification(
  pay: PayState,
  url: string,
  rawBody: string,
  tamper?: SignTamper,
): Promise<{ status: number; body: string }> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Mozilla/4.0',
        ...signedHeaders(pay, rawBody, tamper),
      },
      body: rawBody,
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    return { status: res.status, body: await res.text() };
  } catch (e) {
    return { status: -1, body: e instanceof Error ? e.message : String(e) };
  }
}

const ok = (status: number) => status >= 200 && status < 300;

/** Sends once, records the attempt, and on a non-2xx answer schedules the resend number `attempt`. */
async function attempt(pay: PayState, n: Notification, retry: number): Promise<number> {
  const { status } = await postNotification(pay, n.url, n.rawBody);
  if (pay.isClosed) return status;
  pay.record(n.outTradeNo, {
    event_type: n.eventType,
    status: status === -1 ? 'error' : status,
  });
  const wait = pay.retryScheduleMs[retry];
  if (!ok(status) && wait !== undefined) pay.schedule(wait, () => void attempt(pay, n, retry + 1));
  return status;
}

/**
 * Sends `copies` identical copies at once (WeChat may deliver duplicates) and answers the first round's statuses;
 * each copy not answered 2xx is resent in the background on the retry schedule.
 */
export function deliver(pay: PayState, n: Notification, copies = 1): Promise<number[]> {
  return Promise.all(Array.from({ length: copies }, () => attempt(pay, n, 0)));
}

/** TRANSACTION.SUCCESS for a trade just paid. */
export function notifyPaid(pay: PayState, trade: Trade, copies = 1): Promise<number[]> {
  return deliver(
    pay,
    {
      outTradeNo: trade.outTradeNo,
      url: trade.notifyUrl,
      eventType: 'TRANSACTION.SUCCESS',
      rawBody: notificationBody(pay, 'TRANSACTION.SUCCESS', transactionJson(trade)),
    },
    copies,
  );
}

/** REFUND.SUCCESS / REFUND.ABNORMAL for a refund that has just ended, if it named a notify_url. */
export async function notifyRefund(pay: PayState, refund: Refund): Promise<void> {
  if (!refund.notifyUrl) return;
  const eventType = `REFUND.${refund.status}`;
  await deliver(pay, {
    outTradeNo: refund.outTradeNo,
    url: refund.notifyUrl,
    eventType,
    rawBody: notificationBody(pay, eventType, refundNotificationJson(refund, pay.mchid)),
  });
}
