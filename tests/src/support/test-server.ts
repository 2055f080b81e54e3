import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ApiClient, fetchTransport, type Transport } from '@huoyue/shared';
import { loadConfig } from '@huoyue/server/dist/config/config.js';
import { startServer, type RunningServer, type StartOptions } from '@huoyue/server/dist/server.js';
import { DataSource } from 'typeorm';

export const ADMIN = { username: 'owner', password: 'owner-password-1' };

/** Which database this run targets: DATABASE_URL=mysql://... for MariaDB/MySQL, SQLite otherwise. */
export const dialect: 'sqlite' | 'mysql' = process.env.DATABASE_URL?.startsWith('mysql://')
  ? 'mysql'
  : 'sqlite';

export interface TestServer extends RunningServer {
  /** A client with no token; `timeoutMs` for bursts that queue on purpose (default 10 s, as the apps use). */
  client(token?: string, timeoutMs?: number): ApiClient;
  fake: FakeControl;
  stop(): Promise<void>;
}

/**
 * Starts the real server (real HTTP, real database, the fake WeChat over real HTTP) on free ports with a
 * database of its own: a fresh SQLite file, or a fresh MariaDB database dropped at the end.
 */
/** A fresh database for this run's dialect: a SQLite file in `dataDir`, or a new MariaDB database (dropped by `drop`). */
export function testDatabase(dataDir: string): { url: string; drop: () => Promise<void> } {
  if (dialect !== 'mysql')
    return { url: `sqlite:${join(dataDir, 'test.sqlite')}`, drop: async () => {} };
  const url = new URL(process.env.DATABASE_URL!);
  const name = `huoyue_t_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const admin = new URL(url.toString());
      admin.pathname = '/';
      const ds = new DataSource({ type: 'mysql', url: admin.toString(), poolSize: 1 });
      await ds.initialize();
      await ds.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await ds.destroy();
    },
  };
}

export async function startTestServer(
  env: Record<string, string> = {},
  options: StartOptions = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'huoyue-test-'));
  const { url: databaseUrl, drop: dropDatabase } = testDatabase(dataDir);
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    FAKE_WECHAT_PORT: '0',
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    DEMO_DATA: 'false',
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    // DB_SKIP_LOCKED=false: every suite with SKIP LOCKED run as TiDB runs it (a plain read).
    ...(process.env.DB_SKIP_LOCKED ? { DB_SKIP_LOCKED: process.env.DB_SKIP_LOCKED } : {}),
    ...env,
  });
  const server = await startServer(config, { outboxSweepMs: 0, scheduledJobs: false, ...options });
  const fake = new FakeControl(server.fakeWechatUrl ?? '');
  // Consumers run after the answer. A test reads what they did in its next request, as a person would a moment
  // later: each answer is handed back once this process's consumers have caught up.
  const settledTransport: Transport = async (request) => {
    const response = await fetchTransport(request);
    await server.settled();
    return response;
  };
  return {
    ...server,
    fake,
    client: (token?: string, timeoutMs?: number) =>
      new ApiClient({
        baseUrl: server.apiUrl,
        transport: settledTransport,
        getToken: () => token,
        ...(timeoutMs ? { timeoutMs } : {}),
      }),
    stop: async () => {
      await server.close();
      await dropDatabase();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A second instance on the same database and the same fake WeChat (as behind a load balancer); `stop` closes it
 * and leaves the database to the first.
 */
export async function startPeer(
  first: TestServer,
  options: StartOptions = {},
): Promise<RunningServer & { stop: () => Promise<void> }> {
  const config = { ...first.config, port: 0, wechat: { ...first.config.wechat, useFake: false } };
  const peer = await startServer(config, { outboxSweepMs: 0, scheduledJobs: false, ...options });
  return { ...peer, stop: () => peer.close() };
}

/** Test-side handle on the fake WeChat's /__fake controls. */
export class FakeControl {
  constructor(readonly url: string) {}

  async post<T = Record<string, unknown>>(path: string, body: unknown = {}): Promise<T> {
    const res = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await res.json()) as T;
  }

  loginCode(openid?: string, unionid?: string) {
    return this.post<{ code: string; openid: string }>('/__fake/login-code', { openid, unionid });
  }

  phoneCode(phone: string) {
    return this.post<{ code: string; phone: string }>('/__fake/phone-code', { phone });
  }

  riskRank(openid: string, rank: number) {
    return this.post('/__fake/risk-rank', { openid, rank });
  }

  fault(
    path: string,
    fault: { errcode?: number; delayMs?: number; httpStatus?: number; times?: number },
  ) {
    return this.post('/__fake/faults', { path, ...fault });
  }

  /** Everything the fake accepted (subscribe, OA template, SMS), oldest first. */
  async messages(): Promise<
    {
      channel: string;
      touser: string;
      templateId: string;
      page?: string;
      msgid: string;
      data: Record<string, { value: string }>;
    }[]
  > {
    return ((await (await fetch(`${this.url}/__fake/messages`)).json()) as { items: never[] })
      .items;
  }

  refuse(openid: string, templateId?: string) {
    return this.post('/__fake/refusals', { openid, templateId });
  }

  follow(unionid: string, following = true) {
    return this.post<{ oaOpenid: string; unionid: string }>('/__fake/followers', {
      unionid,
      following,
    });
  }

  invalidateTokens() {
    return this.post('/__fake/tokens/invalidate-all');
  }

  clearFaults() {
    return fetch(`${this.url}/__fake/faults`, { method: 'DELETE' });
  }

  async stats(): Promise<{ calls: Record<string, number> }> {
    return (await fetch(`${this.url}/__fake/stats`)).json() as Promise<{
      calls: Record<string, number>;
    }>;
  }

  /**
   * The user pays a NOTPAY trade (fake WeChat Pay): TRANSACTION.SUCCESS is sent once (+ `duplicates` identical
   * copies at once) unless notify is 'never'. `deliveries`: the first round's HTTP statuses (-1: no answer).
   */
  pay(body: {
    out_trade_no?: string;
    prepay_id?: string;
    notify?: 'once' | 'never';
    duplicates?: number;
  }) {
    return this.post<PayResult>('/__fake/pay/pay', body);
  }

  /** What wx.requestPayment does with these parameters; an error answers `{code, message}` (400). */
  async cashier(
    params: Record<string, string>,
  ): Promise<Partial<PayResult> & { status: number; code?: string; message?: string }> {
    const res = await fetch(`${this.url}/__fake/pay/cashier`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
    return { status: res.status, ...((await res.json()) as object) };
  }

  /** Sends one TRANSACTION.SUCCESS of the trade's current state, spoiled as asked; the receiver's answer. */
  payNotify(
    outTradeNo: string,
    tamper?: 'bad_signature' | 'wrong_serial' | 'stale' | 'wrong_key' | 'amount',
  ) {
    return this.post<{ status: number; body: string }>('/__fake/pay/notify', {
      out_trade_no: outTradeNo,
      tamper,
    });
  }

  /** The next `times` (default 1) /v3 answers under `path` (default all) carry the fault. */
  payFault(
    kind:
      | 'bad_signature'
      | 'wrong_serial'
      | 'stale'
      | 'http500'
      | 'drop_after_create'
      | 'refund_abnormal',
    opts: { path?: string; times?: number } = {},
  ) {
    return this.post('/__fake/pay/faults', { kind, ...opts });
  }

  payFaultsClear() {
    return this.post('/__fake/pay/faults/clear');
  }

  /** A trade as the fake WeChat Pay holds it, its refunds and every notification attempt; null if unknown. */
  async trade(outTradeNo: string): Promise<{
    trade: Record<string, unknown> & { trade_state: string };
    refunds: (Record<string, unknown> & {
      status: string;
      out_refund_no: string;
      amount: { refund: number; total: number };
    })[];
    notifications: { event_type: string; status: number | 'error'; at: string }[];
  } | null> {
    const res = await fetch(`${this.url}/__fake/pay/trades/${encodeURIComponent(outTradeNo)}`);
    if (res.status === 404) return null;
    return (await res.json()) as never;
  }
}

/** What /__fake/pay/pay and /__fake/pay/cashier answer. */
export interface PayResult {
  trade: Record<string, unknown> & { trade_state: string; transaction_id?: string };
  deliveries: number[];
}
