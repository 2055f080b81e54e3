/** What the bench scripts share: child processes, JSON calls, autocannon runs, and the per-dialect harness. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import jwt from 'jsonwebtoken';
import { openDatabase } from '@huoyue/server/dist/database.js';
import { createTempDatabase, type TempDatabase } from '../db/temp-database.js';

export function startProcess(
  script: string,
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ child: ChildProcess; line: string }> {
  return new Promise((resolveStart, reject) => {
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = ready.exec(buffer);
      if (match) resolveStart({ child, line: match[0] });
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}: ${buffer}`)));
  });
}

export async function json<T>(url: string, body?: unknown, token?: string): Promise<T> {
  const res = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export interface Result {
  rps: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export async function load(
  opts: autocannon.Options & { connections: number; duration: number },
): Promise<Result> {
  const r = await autocannon(opts);
  return {
    rps: r.requests.average,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

// ---- the harness every bench shares ----

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** Members' tokens in the benches are signed with this secret, which the server is started with. */
export const BENCH_JWT_SECRET = 'bench-jwt-secret-bench-jwt-secret-0123456789';
export const OWNER = { username: 'owner', password: 'bench-password' };

export interface BenchOptions {
  seconds: number;
  connections: number;
  dialects: ('sqlite' | 'mysql')[];
}

/** BENCH_SECONDS, BENCH_CONNECTIONS (20) and BENCH_DB=sqlite|mysql|both, with each script's defaults. */
export function benchOptions(defaults: {
  seconds: number;
  db: 'sqlite' | 'mysql' | 'both';
}): BenchOptions {
  const db = process.env.BENCH_DB ?? defaults.db;
  return {
    seconds: Number(process.env.BENCH_SECONDS ?? defaults.seconds),
    connections: Number(process.env.BENCH_CONNECTIONS ?? 20),
    dialects: db === 'both' ? ['sqlite', 'mysql'] : [db as 'sqlite' | 'mysql'],
  };
}

/** One dialect's run: a fresh database and data folder, and the processes started in it (all stopped at the end). */
export class BenchRun {
  private readonly children: ChildProcess[] = [];
  private constructor(
    readonly dialect: 'sqlite' | 'mysql',
    readonly temp: TempDatabase,
    readonly dataDir: string,
  ) {}

  static async each(
    dialects: ('sqlite' | 'mysql')[],
    body: (run: BenchRun) => Promise<void>,
  ): Promise<void> {
    for (const dialect of dialects) {
      const run = new BenchRun(
        dialect,
        await createTempDatabase(dialect, 'huoyue_bench'),
        mkdtempSync(join(tmpdir(), 'huoyue-bench-')),
      );
      try {
        await body(run);
      } finally {
        for (const child of run.children) child.kill('SIGTERM');
        await new Promise((r) => setTimeout(r, 1000));
        await run.temp.drop();
        rmSync(run.dataDir, { recursive: true, force: true });
      }
    }
  }

  async start(
    script: string,
    env: Record<string, string>,
    ready: RegExp,
  ): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
    const started = await startProcess(resolve(ROOT, script), env, ready);
    this.children.push(started.child);
    return { child: started.child, match: ready.exec(started.line)! };
  }

  /** The real server (`server/dist/main.js`) on this run's database, quiet, no demo data; answers the API URL. */
  async server(env: Record<string, string> = {}): Promise<{ api: string; child: ChildProcess }> {
    const { child, match } = await this.start(
      // BENCH_SERVER: another build's main.js (e.g. a copy of main's server/dist beside node_modules), for a before.
      process.env.BENCH_SERVER ?? 'server/dist/main.js',
      {
        PORT: '0',
        HOST: '127.0.0.1',
        FAKE_WECHAT_PORT: '0',
        DATABASE_URL: this.temp.url,
        DATA_DIR: this.dataDir,
        DEMO_DATA: 'false',
        LOG_LEVEL: 'warn',
        ADMIN_USERNAME: OWNER.username,
        ADMIN_PASSWORD: OWNER.password,
        AUTH_RATE_LIMIT_PER_MINUTE: '100000000',
        JWT_SECRET: BENCH_JWT_SECRET,
        ...env,
      },
      /Huoyue API on (\S+)/,
    );
    return { api: match[1]!, child };
  }

  /** The bare Fastify baseline on this run's database; answers its URL. */
  async baseline(): Promise<string> {
    return (
      await this.start(
        'scripts/dist/bench/baseline-server.js',
        { DATABASE_URL: this.temp.url, PORT: '0' },
        /READY (\S+)/,
      )
    ).match[1]!;
  }

  /**
   * Many members at once through the member import (`points` each), and a token for each signed with the bench
   * secret: creating tens of thousands through WeChat logins would take longer than the runs.
   */
  async members(
    api: string,
    ownerToken: string,
    count: number,
    ref: string,
    points = 0,
  ): Promise<{ ids: number[]; tokens: string[] }> {
    const csv = [
      'member_ref,phone,nickname,birthday,tier_code,points_balance,points_expire_at',
      ...Array.from({ length: count }, (_, i) => `${ref}${i},,压测${i},,,${points || ''},`),
    ].join('\n');
    const res = await fetch(`${api}/admin/imports/members`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ownerToken}`, 'content-type': 'text/csv' },
      body: csv,
    });
    const { id } = (await res.json()) as { id: number };
    for (;;) {
      const view = await json<{ status: string; error: string | null }>(
        `${api}/admin/imports/${id}`,
        undefined,
        ownerToken,
      );
      if (view.status === 'done') break;
      if (view.status === 'failed') throw new Error(`member import failed: ${view.error}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    const ds = await openDatabase(this.temp.database, 2);
    const ids = (
      (await ds.query('SELECT id FROM member WHERE external_ref LIKE ? ORDER BY id', [
        `${ref}%`,
      ])) as { id: number }[]
    ).map((r) => Number(r.id));
    await ds.destroy();
    return {
      ids,
      tokens: ids.map((id) =>
        jwt.sign({}, BENCH_JWT_SECRET, {
          algorithm: 'HS256',
          subject: String(id),
          audience: 'member',
          expiresIn: 3600,
        }),
      ),
    };
  }

  /** A table row: the real figure beside the baseline and their ratio. */
  row(name: string, real: Result, base: Result, unit = ''): string {
    const u = unit ? ` ${unit}` : '';
    return `| ${this.dialect} | ${name} | ${real.rps.toFixed(0)}${u} | ${real.p99} | ${base.rps.toFixed(0)}${u} | ${base.p99} | ${(real.rps / base.rps).toFixed(2)} | ${real.errors + real.non2xx} |`;
  }
}

export const ownerLogin = async (api: string) =>
  (await json<{ token: string }>(`${api}/admin/auth/login`, OWNER)).token;

/** The WeChat subscribe template the message benchmarks send on (the fake WeChat accepts any id). */
export const BENCH_TEMPLATE = 'tpl_points_expiring_00000000000000000000000';

/**
 * Messaging settings out of a send benchmark's way (no quiet hours, caps far above one message) at `subscribeRate`
 * sends a second, and one subscribe template on BENCH_TEMPLATE; answers the template's id.
 */
export async function subscribeBenchSetup(
  api: string,
  token: string,
  code: string,
  subscribeRate: number,
): Promise<number> {
  const put = await fetch(`${api}/admin/messaging/settings`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      quietHours: null,
      caps: { per3Days: 100, per30Days: 1000 },
      ratePerSecond: { subscribe: subscribeRate, oa_template: 20, sms: 10 },
      retry: { maxAttempts: 8, baseSeconds: 10 },
    }),
  });
  if (!put.ok) throw new Error(`settings refused: ${await put.text()}`);
  const template = await json<{ id: number }>(
    `${api}/admin/message-templates`,
    {
      code,
      name: '积分提醒',
      channel: 'subscribe',
      purpose: 'transactional',
      wechatTemplateId: BENCH_TEMPLATE,
      fields: [
        { key: 'thing1', value: '{{nickname}}，积分即将到期' },
        { key: 'number2', value: '{{points}}' },
        { key: 'date3', value: '{{today}}' },
      ],
    },
    token,
  );
  return template.id;
}

/** Everyone in a benchmark shares 127.0.0.1: lift the per-IP check-in limit for the run (per IP per hour in production). */
export async function liftCheckinIpLimit(api: string, token: string): Promise<void> {
  const rules = await json<Record<string, unknown>>(
    `${api}/admin/checkins/rules`,
    undefined,
    token,
  );
  const put = await fetch(`${api}/admin/checkins/rules`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      ...rules,
      antiFarming: { perIpPerHour: 100_000, membersPerDevicePerDay: 3 },
    }),
  });
  if (!put.ok) throw new Error(`rules: ${put.status} ${await put.text()}`);
}

/** Autocannon requests posting a check-in as each member in turn; `sent()` answers how many were made. */
export function memberCheckins(tokens: string[]): {
  requests: autocannon.Request[];
  sent: () => number;
} {
  let n = 0;
  return {
    sent: () => n,
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${tokens[n++ % tokens.length]}`,
          },
          body: '{}',
        }),
      },
    ],
  };
}

/** A process's resident memory in MB (Linux). */
export const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
};
export const seconds = (ms: number) => (ms / 1000).toFixed(1);

/** How long `work` took, and what it answered. */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}
