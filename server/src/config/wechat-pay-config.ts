import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** WeChat Pay (APIv3) for points + cash; each variable is documented in README.md and .env.example. */
export const wechatPayEnvSchema = z.object({
  WECHATPAY_MCH_ID: z
    .string()
    .regex(/^\d{8,12}$/, 'must be the merchant id (digits)')
    .optional(),
  /** The serial number of the merchant API certificate (商户API证书序列号). */
  WECHATPAY_MCH_SERIAL: z
    .string()
    .regex(/^[0-9A-Fa-f]{8,64}$/, 'must be the certificate serial (hex)')
    .optional(),
  /** apiclient_key.pem: the merchant API private key. */
  WECHATPAY_PRIVATE_KEY_FILE: z.string().optional(),
  WECHATPAY_APIV3_KEY: z.string().optional(),
  /** The WeChat Pay public key (微信支付公钥, merchants since late 2024): its id and PEM file. */
  WECHATPAY_PUBLIC_KEY_ID: z
    .string()
    .regex(/^PUB_KEY_ID_\w+$/, 'must look like PUB_KEY_ID_…')
    .optional(),
  WECHATPAY_PUBLIC_KEY_FILE: z.string().optional(),
  /** Older merchants: a platform certificate (PEM) instead of, or beside, the public key. */
  WECHATPAY_PLATFORM_CERT_FILE: z.string().optional(),
  /** Where WeChat Pay posts payment and refund notifications: https, reaching /api/pay/wechat/notify. */
  WECHATPAY_NOTIFY_URL: z
    .url()
    .refine((v) => v.startsWith('https://'), 'must be an https:// URL (WeChat Pay requires it)')
    .optional(),
  WECHATPAY_BASE_URL: z.url().default('https://api.mch.weixin.qq.com'),
  /** How long one call to WeChat Pay may take before it counts as unanswered (its outcome then asked later). */
  WECHATPAY_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(8_000),
});

export type WechatPayEnv = z.infer<typeof wechatPayEnvSchema>;

/** A merchant's WeChat Pay settings, checked at boot. Keys are KeyObjects: printing one never shows the secret. */
export interface WechatPaySettings {
  mchid: string;
  serial: string;
  privateKey: KeyObject;
  /** The AEAD_AES_256_GCM key of notifications (32 bytes). Never logged. */
  apiV3Key: string;
  /** WeChat Pay's verification keys by the id its answers and notifications name (Wechatpay-Serial). */
  verifiers: Map<string, KeyObject>;
  /** null: the fake's (set once the server listens, pointing at itself). */
  notifyUrl: string | null;
  baseUrl: string;
  timeoutMs: number;
}

const REQUIRED = [
  'WECHATPAY_MCH_ID',
  'WECHATPAY_MCH_SERIAL',
  'WECHATPAY_PRIVATE_KEY_FILE',
  'WECHATPAY_APIV3_KEY',
  'WECHATPAY_NOTIFY_URL',
] as const;

/**
 * The merchant's settings from the environment, or null when none is given (with real WeChat credentials points +
 * cash is then refused with 503; beside the fake WeChat the server makes its own merchant). Every problem is
 * named, never a secret's value.
 */
export function wechatPaySettings(
  e: WechatPayEnv,
  hasWechatCredentials: boolean,
): {
  settings: WechatPaySettings | null;
  problems: string[];
} {
  const optional = new Set(['WECHATPAY_BASE_URL', 'WECHATPAY_TIMEOUT_MS']);
  const given = Object.keys(wechatPayEnvSchema.shape).filter(
    (k) => !optional.has(k) && e[k as keyof WechatPayEnv] !== undefined,
  );
  if (given.length === 0) return { settings: null, problems: [] };
  const problems: string[] = [];
  for (const name of REQUIRED) if (!e[name]) problems.push(`${name}: required with WeChat Pay`);
  if (!hasWechatCredentials)
    problems.push(
      'WECHATPAY_*: WeChat Pay needs the mini-program (WECHAT_APP_ID, WECHAT_APP_SECRET)',
    );
  if (e.WECHATPAY_APIV3_KEY !== undefined && Buffer.byteLength(e.WECHATPAY_APIV3_KEY) !== 32)
    problems.push('WECHATPAY_APIV3_KEY: must be the 32-character APIv3 key');
  if (Boolean(e.WECHATPAY_PUBLIC_KEY_ID) !== Boolean(e.WECHATPAY_PUBLIC_KEY_FILE))
    problems.push('WECHATPAY_PUBLIC_KEY_ID and WECHATPAY_PUBLIC_KEY_FILE: set both');
  if (!e.WECHATPAY_PUBLIC_KEY_FILE && !e.WECHATPAY_PLATFORM_CERT_FILE)
    problems.push(
      'WECHATPAY_PUBLIC_KEY_ID/FILE: required ' +
        '(or WECHATPAY_PLATFORM_CERT_FILE for a merchant on platform certificates)',
    );
  const privateKey = readKey(
    'WECHATPAY_PRIVATE_KEY_FILE',
    e.WECHATPAY_PRIVATE_KEY_FILE,
    problems,
    (pem) => createPrivateKey(pem),
  );
  const verifiers = new Map<string, KeyObject>();
  const publicKey = readKey(
    'WECHATPAY_PUBLIC_KEY_FILE',
    e.WECHATPAY_PUBLIC_KEY_FILE,
    problems,
    (pem) => createPublicKey(pem),
  );
  if (publicKey && e.WECHATPAY_PUBLIC_KEY_ID) verifiers.set(e.WECHATPAY_PUBLIC_KEY_ID, publicKey);
  const cert = readKey(
    'WECHATPAY_PLATFORM_CERT_FILE',
    e.WECHATPAY_PLATFORM_CERT_FILE,
    problems,
    (pem) => new X509Certificate(pem),
  );
  if (cert) verifiers.set(cert.serialNumber.toUpperCase(), cert.publicKey);
  if (problems.length > 0 || !privateKey) return { settings: null, problems };
  return {
    settings: {
      mchid: e.WECHATPAY_MCH_ID!,
      serial: e.WECHATPAY_MCH_SERIAL!.toUpperCase(),
      privateKey,
      apiV3Key: e.WECHATPAY_APIV3_KEY!,
      verifiers,
      notifyUrl: e.WECHATPAY_NOTIFY_URL!,
      baseUrl: e.WECHATPAY_BASE_URL.replace(/\/+$/, ''),
      timeoutMs: e.WECHATPAY_TIMEOUT_MS,
    },
    problems,
  };
}

function readKey<T>(
  name: string,
  file: string | undefined,
  problems: string[],
  parse: (pem: string) => T,
): T | null {
  if (!file) return null;
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch {
    problems.push(`${name}: cannot read ${file}`);
    return null;
  }
  try {
    return parse(pem);
  } catch {
    problems.push(`${name}: ${file} is not a PEM key or certificate of the expected kind`);
    return null;
  }
}
