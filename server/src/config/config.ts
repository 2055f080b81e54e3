import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_BRAND_TIMEZONE } from '@huoyue/shared';
import {
  type WechatPaySettings,
  wechatPayEnvSchema,
  wechatPaySettings,
} from './wechat-pay-config.js';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Environment variables the server reads; each one is documented in README.md and .env.example. */
export const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    DATABASE_URL: z
      .string()
      .default('sqlite:./data/huoyue.sqlite')
      .refine(
        (v) => v.startsWith('sqlite:') || v.startsWith('mysql://'),
        'must be sqlite:<file> or mysql://user:pass@host:port/db',
      ),
    /** MySQL/MariaDB: connections in the pool (a rush queues for them; see docs/benchmarks.md, bench:rush). */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(20),
    /**
     * `false` runs `FOR UPDATE SKIP LOCKED` as a plain read with no lock, as TiDB does: tests prove every claim stays
     * exclusive without it (docs/distributed-sql.md).
     */
    DB_SKIP_LOCKED: booleanFlag.default(true),
    DB_CHECK_CONSTRAINTS: booleanFlag.default(true),
    DB_SHARED_LOCKS: booleanFlag.default(true),
    WECHAT_APP_ID: z.string().optional(),
    WECHAT_APP_SECRET: z.string().optional(),
    WECHAT_API_BASE_URL: z.url().default('https://api.weixin.qq.com'),
    /** The brand's Official Account (template messages to followers); without it the OA channel is skipped. */
    WECHAT_OA_APP_ID: z.string().optional(),
    WECHAT_OA_APP_SECRET: z.string().optional(),
    /**
     * An HTTP SMS provider taking { phone, text } (the built-in fake speaks it); without it the SMS channel is
     * skipped.
     */
    SMS_API_URL: z.url().optional(),
    /** Whether this process sends queued messages (several may: each claims rows with a conditional UPDATE). */
    MESSAGE_DISPATCHER: booleanFlag.default(true),
    /** HTTP workers sharing the port (node:cluster); default: the cores in production, 1 otherwise. */
    WORKERS: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.coerce.number().int().min(1).max(256).optional(),
    ),
    /** What this process runs: api (HTTP only), worker (jobs, outbox sweep, dispatch), all (both). */
    ROLE: z.enum(['api', 'worker', 'all']).default('all'),
    /** Prometheus metrics at /metrics. */
    METRICS: booleanFlag.default(true),
    /** When set, /metrics answers only `Authorization: Bearer <token>`. */
    METRICS_TOKEN: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.string().min(16, 'METRICS_TOKEN must have at least 16 characters').optional(),
    ),
    /** How long a dispatcher's claim on a message lasts before another may send it (seconds). */
    MESSAGE_CLAIM_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    /** Port of the built-in fake WeChat when it is started (0 = any free port). */
    FAKE_WECHAT_PORT: z.coerce.number().int().min(0).max(65535).default(3100),
    ADMIN_USERNAME: z.string().min(3).max(32).default('admin'),
    ADMIN_PASSWORD: z
      .string()
      .min(10, 'ADMIN_PASSWORD must have at least 10 characters')
      .optional(),
    DEMO_DATA: booleanFlag.optional(),
    /** `production` turns the API docs off (unless API_DOCS=true). */
    NODE_ENV: z.string().optional(),
    /** The OpenAPI document and Swagger UI at /api/docs (default: on unless NODE_ENV=production). */
    API_DOCS: booleanFlag.optional(),
    TZ_BRAND: z
      .string()
      .default(DEFAULT_BRAND_TIMEZONE)
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'must be an IANA time zone such as Asia/Shanghai'),
    JWT_SECRET: z.string().min(32, 'JWT_SECRET must have at least 32 characters').optional(),
    /**
     * Where limits shared by every instance are counted (login attempts per IP, the check-in IP window, WeChat send
     * rates): Redis when set (redis://[:password@]host:port[/db] or rediss://), else the database.
     */
    REDIS_URL: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .string()
        .refine(
          (v) => /^rediss?:\/\/[^\s]+$/.test(v),
          'must be redis://host:port or rediss://host:port',
        )
        .optional(),
    ),
    /** Prefix of every key this server writes in Redis (several brands or test runs may share one Redis). */
    REDIS_KEY_PREFIX: z.string().min(1).max(64).default('huoyue:'),
    /** Login attempts (member and staff) allowed per client IP per minute. */
    AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
    /**
     * Which proxies may tell the client's address in X-Forwarded-For: a comma list of IPs or CIDRs, or a hop count.
     * Unset: nobody; the client address is the socket's.
     */
    TRUST_PROXY: z
      .string()
      .optional()
      .transform((v, ctx) => parseTrustProxy(v, ctx)),
    /** Wrong staff passwords in a row before each further attempt waits (the wait doubles each time). */
    LOGIN_BACKOFF_AFTER: z.coerce.number().int().min(1).max(100).default(5),
    /** The first wait, in seconds. */
    LOGIN_BACKOFF_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    /** Wrong staff passwords in a row that lock the account until an owner unlocks it. */
    LOGIN_LOCK_AFTER: z.coerce.number().int().min(2).max(100).default(10),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    DATA_DIR: z.string().default('./data'),
    /** Largest picture staff may upload (bytes); default 2 MB. */
    UPLOAD_MAX_BYTES: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.coerce
        .number()
        .int()
        .min(1024)
        .max(50 * 1024 * 1024)
        .default(2 * 1024 * 1024),
    ),
    /** Largest CSV import accepted (bytes); default 50 MB. Larger uploads are refused with 413 before they are read. */
    IMPORT_MAX_BYTES: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.coerce
        .number()
        .int()
        .min(1024)
        .max(2 * 1024 ** 3)
        .default(50 * 1024 * 1024),
    ),
    /** Largest single CSV record (row) of an import (bytes); default 64 KB: an unterminated quote fails here. */
    IMPORT_MAX_RECORD_BYTES: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.coerce
        .number()
        .int()
        .min(256)
        .max(16 * 1024 * 1024)
        .default(64 * 1024),
    ),
    /** After an integration key is rotated, hours its previous secret is still accepted; default 24. */
    INTEGRATION_KEY_OVERLAP_HOURS: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.coerce.number().min(0).max(720).default(24),
    ),
    /** Where uploaded pictures are served from, e.g. a CDN pulling from this server's /uploads/ (unset: /uploads). */
    PUBLIC_ASSET_BASE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url().optional()),
  })
  .extend(wechatPayEnvSchema.shape);

export type Env = z.infer<typeof envSchema>;

export interface AppConfig {
  port: number;
  host: string;
  database:
    | { kind: 'sqlite'; file: string }
    | {
        kind: 'mysql';
        url: string;
        poolSize?: number;
        skipLocked?: boolean;
        checkConstraints?: boolean;
        sharedLocks?: boolean;
      };
  wechat: {
    appId: string;
    appSecret: string;
    apiBaseUrl: string;
    useFake: boolean;
    fakePort: number;
    oa: { appId: string; appSecret: string } | null;
    /**
     * WeChat Pay for points + cash: the merchant's settings; beside the fake WeChat, the fake merchant's (made at
     * start-up); null with real credentials and no merchant configured (cash refused with 503).
     */
    pay: WechatPaySettings | null;
  };
  smsApiUrl: string | null;
  messageDispatcher: boolean;
  messageClaimSeconds: number;
  /** HTTP worker processes sharing the port (1 = this process serves alone). */
  workers: number;
  /** api: HTTP only; worker: jobs, outbox sweep and dispatch (HTTP only for health and metrics); all: both. */
  role: 'api' | 'worker' | 'all';
  /** Prometheus text at /metrics; with a token, only for `Authorization: Bearer <token>`. */
  metrics: { enabled: boolean; token: string | null };
  admin: { username: string; password: string | undefined };
  demoData: boolean;
  /** Serve the OpenAPI document and Swagger UI at /api/docs. */
  apiDocs: boolean;
  brandTimezone: string;
  jwtSecret: string;
  logLevel: Env['LOG_LEVEL'];
  authRateLimitPerMinute: number;
  /** Redis for the shared limits (REDIS_URL); null: they are counted in the database. */
  redis: { url: string; keyPrefix: string } | null;
  /** Fastify's trustProxy: false (the socket's address), a hop count, or the proxies' IPs and CIDRs. */
  trustProxy: false | number | string[];
  /** Per-account staff login limits (docs/security-auth.md). */
  loginLimits: { backoffAfter: number; backoffSeconds: number; lockAfter: number };
  dataDir: string;
  /** Staff uploads (item pictures): kept in DATA_DIR/uploads, served at /uploads/, or from a CDN in front of it. */
  uploads: { dir: string; maxBytes: number; publicBaseUrl: string | null };
  /** CSV imports: the file and record size caps; files kept in DATA_DIR/imports only while their job runs. */
  imports: { dir: string; maxBytes: number; maxRecordBytes: number };
  /** Hours a rotated integration key's previous secret stays valid. */
  integrationKeyOverlapHours: number;
}

export class ConfigError extends Error {}

/** The fake WeChat's own app id and secret: only ever valid against the fake. */
export const FAKE_APP_ID = 'wxfake0000000000';
export const FAKE_APP_SECRET = 'fake-secret-for-local-development';

/** The brand's Official Account: its own credentials, none beside real mini-program ones, or the fake's. */
function officialAccount(e: Env, hasCredentials: boolean): AppConfig['wechat']['oa'] {
  if (e.WECHAT_OA_APP_ID && e.WECHAT_OA_APP_SECRET)
    return { appId: e.WECHAT_OA_APP_ID, appSecret: e.WECHAT_OA_APP_SECRET };
  if (hasCredentials) return null;
  // The fake knows an Official Account of its own, so the OA channel works out of the box in development.
  return { appId: `${FAKE_APP_ID}oa`, appSecret: FAKE_APP_SECRET };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const hasCredentials = Boolean(e.WECHAT_APP_ID && e.WECHAT_APP_SECRET);
  if (Boolean(e.WECHAT_APP_ID) !== Boolean(e.WECHAT_APP_SECRET)) {
    throw new ConfigError(
      'Invalid configuration:\n  WECHAT_APP_ID and WECHAT_APP_SECRET must be set together ' +
        '(or neither, for the built-in fake)',
    );
  }
  const pay = wechatPaySettings(e, hasCredentials);
  if (pay.problems.length > 0)
    throw new ConfigError(
      `Invalid configuration:\n${pay.problems.map((p) => `  ${p}`).join('\n')}`,
    );
  const dataDir = resolve(e.DATA_DIR);
  const database = databaseOf(e);
  return {
    port: e.PORT,
    host: e.HOST,
    database,
    wechat: {
      appId: e.WECHAT_APP_ID ?? FAKE_APP_ID,
      appSecret: e.WECHAT_APP_SECRET ?? FAKE_APP_SECRET,
      apiBaseUrl: e.WECHAT_API_BASE_URL,
      useFake: !hasCredentials,
      fakePort: e.FAKE_WECHAT_PORT,
      oa: officialAccount(e, hasCredentials),
      pay: pay.settings,
    },
    smsApiUrl: e.SMS_API_URL ?? null,
    messageDispatcher: e.MESSAGE_DISPATCHER,
    messageClaimSeconds: e.MESSAGE_CLAIM_SECONDS,
    workers: workerCount(e, database.kind, !hasCredentials),
    role: e.ROLE,
    metrics: { enabled: e.METRICS, token: e.METRICS_TOKEN ?? null },
    admin: { username: e.ADMIN_USERNAME, password: e.ADMIN_PASSWORD },
    // Demo data only on the embedded default unless asked for explicitly: never surprise a production MySQL.
    demoData: e.DEMO_DATA ?? database.kind === 'sqlite',
    apiDocs: e.API_DOCS ?? e.NODE_ENV !== 'production',
    brandTimezone: e.TZ_BRAND,
    jwtSecret: e.JWT_SECRET ?? loadOrCreateSecret(resolve(dataDir, 'jwt-secret')),
    logLevel: e.LOG_LEVEL,
    authRateLimitPerMinute: e.AUTH_RATE_LIMIT_PER_MINUTE,
    redis: e.REDIS_URL ? { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX } : null,
    trustProxy: e.TRUST_PROXY,
    loginLimits: {
      backoffAfter: Math.min(e.LOGIN_BACKOFF_AFTER, e.LOGIN_LOCK_AFTER),
      backoffSeconds: e.LOGIN_BACKOFF_SECONDS,
      lockAfter: e.LOGIN_LOCK_AFTER,
    },
    dataDir,
    uploads: {
      dir: resolve(dataDir, 'uploads'),
      maxBytes: e.UPLOAD_MAX_BYTES,
      publicBaseUrl: e.PUBLIC_ASSET_BASE_URL?.replace(/\/+$/, '') ?? null,
    },
    imports: {
      dir: resolve(dataDir, 'imports'),
      maxBytes: e.IMPORT_MAX_BYTES,
      maxRecordBytes: e.IMPORT_MAX_RECORD_BYTES,
    },
    integrationKeyOverlapHours: e.INTEGRATION_KEY_OVERLAP_HOURS,
  };
}

/** The embedded SQLite file (or memory), or a MySQL-compatible server. */
function databaseOf(e: Env): AppConfig['database'] {
  if (!e.DATABASE_URL.startsWith('sqlite:'))
    return {
      kind: 'mysql',
      url: e.DATABASE_URL,
      poolSize: e.DATABASE_POOL_SIZE,
      skipLocked: e.DB_SKIP_LOCKED,
      checkConstraints: e.DB_CHECK_CONSTRAINTS,
      sharedLocks: e.DB_SHARED_LOCKS,
    };
  const file = e.DATABASE_URL.slice('sqlite:'.length);
  return { kind: 'sqlite', file: file === ':memory:' ? ':memory:' : resolve(file) };
}

/**
 * WORKERS: several processes need a database several processes can write (not the embedded SQLite file) and a
 * WeChat they all reach (the built-in fake lives inside one process: run `npm run fake-wechat` and point
 * WECHAT_* at it). Set explicitly, those are refused; the production default falls back to 1 for them.
 */
function workerCount(e: Env, database: 'sqlite' | 'mysql', fakeWechat: boolean): number {
  if (e.WORKERS === undefined)
    return e.NODE_ENV === 'production' && database === 'mysql' && !fakeWechat
      ? availableParallelism()
      : 1;
  if (e.WORKERS > 1 && database === 'sqlite')
    throw new ConfigError(
      'Invalid configuration:\n  WORKERS>1 needs DATABASE_URL=mysql://... ' +
        '(the embedded SQLite file has a single writer)',
    );
  if (e.WORKERS > 1 && fakeWechat)
    throw new ConfigError(
      'Invalid configuration:\n  WORKERS>1 needs WECHAT_APP_ID and WECHAT_APP_SECRET: the built-in fake WeChat ' +
        'runs inside one process (start it alone with npm run fake-wechat and point WECHAT_API_BASE_URL at it)',
    );
  return e.WORKERS;
}

/** TRUST_PROXY: unset or 'false' trusts no proxy; digits are a hop count; otherwise IPs and CIDRs, comma separated. */
function parseTrustProxy(
  value: string | undefined,
  ctx: z.RefinementCtx,
): false | number | string[] {
  const v = value?.trim() ?? '';
  if (v === '' || v === 'false') return false;
  if (/^\d+$/.test(v)) return Number(v) === 0 ? false : Number(v);
  const entries = v.split(',').map((x) => x.trim());
  const bad = entries.filter((entry) => {
    const [ip, prefix, ...rest] = entry.split('/');
    const family = isIP(ip ?? '');
    if (family === 0 || rest.length > 0) return true;
    if (prefix === undefined) return false;
    return !/^\d+$/.test(prefix) || Number(prefix) > (family === 4 ? 32 : 128);
  });
  if (bad.length > 0)
    ctx.addIssue({
      code: 'custom',
      message: `not an IP, a CIDR or a hop count: ${bad.join(', ')} (name the proxies; 'true' is not accepted)`,
    });
  return entries;
}

/** A secret generated once and kept beside the data, so tokens survive restarts without a constant in code. */
function loadOrCreateSecret(file: string): string {
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length >= 32) return secret;
  }
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}
