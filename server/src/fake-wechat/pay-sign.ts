/**
 * The fake WeChat Pay's cryptography: checking the merchant's Authorization header, signing answers and
 * notifications with the fake's own key, and the AEAD_AES_256_GCM resource of a notification.
 */
import { createCipheriv, createSign, createVerify, randomBytes, type KeyObject } from 'node:crypto';
import { ids, publicKeyIdLike, type PayState, type SignTamper } from './pay-state.js';

export const SIGNATURE_TYPE = 'WECHATPAY2-SHA256-RSA2048';
const MAX_SKEW_S = 300;
const STALE_S = 600;

const rsaSign = (message: string, key: KeyObject) =>
  createSign('RSA-SHA256').update(message).sign(key, 'base64');

export function rsaVerify(message: string, signature: string, key: KeyObject): boolean {
  try {
    return createVerify('RSA-SHA256').update(message).verify(key, signature, 'base64');
  } catch {
    return false;
  }
}

/**
 * The Wechatpay-* headers of an answer or a notification: RSA-SHA256 with the fake's key over
 * `timestamp\nnonce\nbody\n`, spoiled as `tamper` asks (another message signed, another key id, 10 minutes old).
 */
export function signedHeaders(
  pay: PayState,
  body: string,
  tamper?: SignTamper,
): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000) - (tamper === 'stale' ? STALE_S : 0));
  const nonce = ids.nonce(32);
  const signed = `${timestamp}\n${nonce}\n${tamper === 'bad_signature' ? `${body} ` : body}\n`;
  return {
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Serial': tamper === 'wrong_serial' ? publicKeyIdLike() : pay.publicKeyId,
    'Wechatpay-Signature-Type': SIGNATURE_TYPE,
    'Wechatpay-Signature': rsaSign(signed, pay.privateKey),
  };
}

/**
 * Checks `Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",timestamp="…",serial_no="…",
 * signature="…"`: the merchant, its certificate serial, the clock (±5 minutes) and the RSA-SHA256 signature with
 * the merchant public key over `METHOD\nPATH_WITH_QUERY\ntimestamp\nnonce_str\nBODY\n`.
 */
export function verifyAuthorization(
  pay: PayState,
  header: string | undefined,
  method: string,
  url: string,
  body: string,
): boolean {
  const prefix = `${SIGNATURE_TYPE} `;
  if (!header?.startsWith(prefix)) return false;
  const fields = new Map<string, string>();
  for (const m of header.slice(prefix.length).matchAll(/(\w+)="([^"]*)"/g))
    fields.set(m[1]!, m[2]!);
  const [mchid, nonce, timestamp, serial, signature] = [
    'mchid',
    'nonce_str',
    'timestamp',
    'serial_no',
    'signature',
  ].map((k) => fields.get(k));
  if (!mchid || !nonce || !timestamp || !serial || !signature) return false;
  if (mchid !== pay.mchid || serial !== pay.merchantSerial) return false;
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > MAX_SKEW_S)
    return false;
  const message = `${method.toUpperCase()}\n${url}\n${timestamp}\n${nonce}\n${body}\n`;
  return rsaVerify(message, signature, pay.merchantKey);
}

/** The encrypted resource of a notification: AEAD_AES_256_GCM, ciphertext = base64(encrypted ‖ 16-byte tag). */
export function encryptResource(
  plain: string,
  originalType: 'transaction' | 'refund',
  apiV3Key: string,
): Record<string, string> {
  const nonce = ids.nonce(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce));
  cipher.setAAD(Buffer.from(originalType));
  const ciphertext = Buffer.concat([
    cipher.update(plain, 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]).toString('base64');
  return {
    original_type: originalType,
    algorithm: 'AEAD_AES_256_GCM',
    ciphertext,
    associated_data: originalType,
    nonce,
  };
}

/** Another APIv3 key (the wrong_key tamper). */
export const otherApiV3Key = () => randomBytes(16).toString('hex');
