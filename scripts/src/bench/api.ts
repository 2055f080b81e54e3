/**
 * npm run bench:api — GET /api/me and POST /api/auth/wechat on SQLite and MariaDB, each beside a bare Fastify
 * route doing the same indexed SELECT with the same driver, measured in the same run. Prints throughput, p99
 * and the ratio to the baseline. BENCH_DB=sqlite|mysql|both (default both), BENCH_SECONDS (default 10).
 */
import type { ChildProcess } from 'node:child_process';
import type autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTempDatabase } from '../db/temp-database.js';
import { json, load, type Result, startProcess } from './support.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const run = (opts: autocannon.Options) => load({ ...opts, connections, duration: seconds });
const dialects = (process.env.BENCH_DB ?? 'both') === 'both' ? (['sqlite', 'mysql'] as const) : ([process.env.BENCH_DB] as ('sqlite' | 'mysql')[]);

const rows: string[] = [];
for (const dialect of dialects) {
  const temp = await createTempDatabase(dialect, 'huoyue_bench');
  const dataDir = mkdtempSync(join(tmpdir(), 'huoyue-bench-'));
  const children: ChildProcess[] = [];
  try {
    // WeChat runs in its own process, as it is remote in production: its work must not eat the server's CPU.
    const wechat = await startProcess(join(root, 'server/dist/fake-wechat/main.js'), { FAKE_WECHAT_PORT: '0', WECHAT_APP_ID: 'wxbench000000000', WECHAT_APP_SECRET: 'bench-secret' }, /listening on (\S+)/);
    children.push(wechat.child);
    const fake = /listening on (\S+)/.exec(wechat.line)![1]!;
    const server = await startProcess(
      join(root, 'server/dist/main.js'),
      {
        PORT: '0',
        HOST: '127.0.0.1',
        WECHAT_APP_ID: 'wxbench000000000',
        WECHAT_APP_SECRET: 'bench-secret',
        WECHAT_API_BASE_URL: fake,
        DATABASE_URL: temp.url,
        DATA_DIR: dataDir,
        DEMO_DATA: 'false',
        LOG_LEVEL: 'warn',
        AUTH_RATE_LIMIT_PER_MINUTE: '100000000',
        ADMIN_PASSWORD: 'bench-password',
      },
      /Huoyue API on (\S+)/,
    );
    children.push(server.child);
    const api = /Huoyue API on (\S+)/.exec(server.line)![1]!;

    // 200 members, each with a token: the load spreads over them like real traffic.
    const members: { id: number; token: string; openid: string }[] = [];
    for (let i = 0; i < 200; i++) {
      const { code, openid } = await json<{ code: string; openid: string }>(`${fake}/__fake/login-code`, {});
      const s = await json<{ token: string; member: { id: number } }>(`${api}/auth/wechat`, { code });
      const joined = await json<{ token: string; member: { id: number } }>(`${api}/me/join`, { nickname: `压测${i}` }, s.token);
      members.push({ id: joined.member.id, token: joined.token, openid });
    }
    // Login codes are single use: mint plenty before the run.
    const codes: string[] = [];
    const wanted = Math.max(20_000, seconds * 3000);
    for (let i = 0; i < wanted; i += 500) {
      await Promise.all(Array.from({ length: 500 }, async (_, k) => codes.push((await json<{ code: string }>(`${fake}/__fake/login-code`, { openid: members[(i + k) % members.length]!.openid })).code)));
    }

    const baseline = await startProcess(join(root, 'scripts/dist/bench/baseline-server.js'), { DATABASE_URL: temp.url, PORT: '0' }, /READY (\S+)/);
    children.push(baseline.child);
    const baseUrl = /READY (\S+)/.exec(baseline.line)![1]!;

    let n = 0;
    const meApi = await run({
      url: `${api}/me`,
      requests: [{ setupRequest: (req) => ({ ...req, headers: { authorization: `Bearer ${members[n++ % members.length]!.token}` } }) }],
    });
    let b = 0;
    const meBase = await run({ url: baseUrl, requests: [{ setupRequest: (req) => ({ ...req, path: `/me/${members[b++ % members.length]!.id}` }) }] });
    let c = 0;
    const loginApi = await run({
      url: `${api}/auth/wechat`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ code: codes[c++] ?? 'exhausted' }) }) }],
    });
    let d = 0;
    const loginBase = await run({
      url: `${baseUrl}/login`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ openid: members[d++ % members.length]!.openid }) }) }],
    });
    if (c > codes.length) console.warn(`warning: ran out of login codes (${c} requests, ${codes.length} codes); raise the pool`);
    const fmt = (name: string, real: Result, base: Result) =>
      `| ${dialect} | ${name} | ${real.rps.toFixed(0)} | ${real.p99} | ${base.rps.toFixed(0)} | ${base.p99} | ${(real.rps / base.rps).toFixed(2)} | ${real.errors + real.non2xx} |`;
    rows.push(fmt('GET /api/me', meApi, meBase), fmt('POST /api/auth/wechat', loginApi, loginBase));
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await temp.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(`\nbench:api — ${seconds}s per run, ${connections} connections, autocannon in this process, server and baseline in their own`);
console.log('| db | endpoint | req/s | p99 ms | baseline req/s | baseline p99 ms | ratio | errors |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
