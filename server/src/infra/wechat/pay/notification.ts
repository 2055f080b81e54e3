import type { KeyObject } from 'node:crypto';
import { Aes, Formatter, Rsa } from 'wechatpay-axios-plugin';

/** WeChat Pay refuses, and so do we, a signed message whose timestamp is more than 5 minutes off. */
export const PAY_CLOCK_SKEW_SECONDS = 300;

/** What a notification is checked with: the APIv3 key, and WeChat Pay's keys by the id its messages name. */
export interface PayNotificationKeys {
  /** The merchant's APIv3 key (32 bytes): the AEAD_AES_256_GCM key of every notification's resource. */
  apiV3Key: string;
  /**
   * WeChat Pay's verification keys by `Wechatpay-Serial`: the WeChat Pay public key under its `PUB_KEY_ID_…` (new
   * merchants since late 2024), or platform certificates' public keys under their serial numbers.
   */
  verifiers: ReadonlyMap<string, KeyObject>;
}

export type PayNotificationRefusal =
  'headers' | 'stale' | 'unknown_key' | 'signature' | 'body' | 'algorithm' | 'decrypt';

/** A notification that is not WeChat Pay's, or not as it sent it: answered 401/400 and nothing changes. */
export class PayNotificationError extends Error {
  constructor(readonly refusal: PayNotificationRefusal) {
    super(`wechat pay notification refused: ${refusal}`);
  }
}

export interface PayNotification {
  id: string;
  eventType: string;
  createTime: string;
  /** The decrypted resource: a transaction (TRANSACTION.*) or a refund (REFUND.*). */
  resource: Record<string, unknown>;
}

const header = (headers: Record<string, string | string[] | undefined>, name: string) => {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Opens a WeChat Pay notification as received (headers and the exact bytes of the body): the timestamp within 5
 * minutes, the key it names known, the RSA-SHA256 signature over `timestamp\nnonce\nbody\n` valid — all before the
 * body is parsed — then the resource decrypted (AEAD_AES_256_GCM with the APIv3 key, its nonce and associated data).
 * Throws PayNotificationError saying which check failed.
 */
export function openPayNotification(
  headers: Record<string, string | string[] | undefined>,
  rawBody: Buffer,
  keys: PayNotificationKeys,
  nowMs = Date.now(),
): PayNotification {
  const timestamp = header(headers, 'wechatpay-timestamp');
  const nonce = header(headers, 'wechatpay-nonce');
  const signature = header(headers, 'wechatpay-signature');
  const serial = header(headers, 'wechatpay-serial');
  if (!timestamp || !nonce || !signature || !serial || !/^\d{1,12}$/.test(timestamp))
    throw new PayNotificationError('headers');
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > PAY_CLOCK_SKEW_SECONDS)
    throw new PayNotificationError('stale');
  const key = keys.verifiers.get(serial);
  if (!key) throw new PayNotificationError('unknown_key');
  const body = rawBody.toString('utf8');
  const signed = Formatter.joinedByLineFeed(timestamp, nonce, body);
  if (!Rsa.verify(signed, signature, key)) throw new PayNotificationError('signature');
  let parsed: {
    id?: unknown;
    event_type?: unknown;
    create_time?: unknown;
    resource?: {
      algorithm?: unknown;
      ciphertext?: unknown;
      nonce?: unknown;
      associated_data?: unknown;
    };
  };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    throw new PayNotificationError('body');
  }
  const resource = parsed.resource;
  if (typeof parsed.id !== 'string' || typeof parsed.event_type !== 'string' || !resource)
    throw new PayNotificationError('body');
  if (resource.algorithm !== 'AEAD_AES_256_GCM') throw new PayNotificationError('algorithm');
  if (typeof resource.ciphertext !== 'string' || typeof resource.nonce !== 'string')
    throw new PayNotificationError('body');
  let plain: string;
  try {
    plain = Aes.AesGcm.decrypt(
      resource.ciphertext,
      keys.apiV3Key,
      resource.nonce,
      typeof resource.associated_data === 'string' ? resource.associated_data : '',
    );
  } catch {
    throw new PayNotificationError('decrypt');
  }
  return {
    id: parsed.id,
    eventType: parsed.event_type,
    createTime: typeof parsed.create_time === 'string' ? parsed.create_time : '',
    resource: JSON.parse(plain) as Record<string, unknown>,
  };
}
