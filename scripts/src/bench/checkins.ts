/**
 * npm run bench:checkins — check-ins per second by distinct members (each checks in once, as on a real morning)
 * with p99, beside a bare Fastify route inserting the same kind of row into a table unique on (member, day); and
 * leaderboard reads per second beside a bare route reading the same 100 snapshot rows. Same run, same database.
 * BENCH_DB=mysql|sqlite|both (default mysql, i.e. MariaDB here), BENCH_SECONDS (default 8), BENCH_MEMBERS (default 30000).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type autocannon from 'autocannon';
import jwt from 'jsonwebtoken';
import { openDatabase } from '@huoyue/server/dist/infra/database/data-source.js';
import { createTempDatabase } from '../db/temp-database.js';
import { json, load, type Result, startProcess } from './support.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const memberCount = Number(process.env.BENCH_MEMBERS ?? 30_000);
const dialects = (process.env.BENCH_DB ?? 'mysql') === 'both' ? (['sqlite', 'mysql'] as const) : ([process.env.BENCH_DB ?? 'mysql'] as ('sqlite' | 'mysql')[]);
const secret = 'bench-jwt-secret-bench-jwt-secret-0123456789';

const table: string[] = [];
const notes: string[] = [];
for (const dialect of dialects) {
  const temp = await createTempDatabase(dialect, 'huoyue_bench');
  const dataDir = mkdtempSync(join(tmpdir(), 'huoyue-bench-'));
  const children: ChildProcess[] = [];
  try {
    const server = await startProcess(
      join(root, 'server/dist/main.js'),
      { PORT: '0', HOST: '127.0.0.1', FAKE_WECHAT_PORT: '0', DATABASE_URL: temp.url, DATA_DIR: dataDir, DEMO_DATA: 'false', LOG_LEVEL: 'warn', ADMIN_USERNAME: 'owner', ADMIN_PASSWORD: 'bench-password', JWT_SECRET: secret },
      /Huoyue API on (\S+)/,
    );
    children.push(server.child);
    const api = /Huoyue API on (\S+)/.exec(server.line)![1]!;
    const { token } = await json<{ token: string }>(`${api}/admin/auth/login`, { username: 'owner', password: 'bench-password' });
    // Everyone here shares 127.0.0.1: lift the per-IP limit for the run (it is per IP per hour in production).
    const rules = await json<Record<string, unknown>>(`${api}/admin/checkins/rules`, undefined, token);
    const put = await fetch(`${api}/admin/checkins/rules`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ ...rules, antiFarming: { perIpPerHour: 100_000, membersPerDevicePerDay: 3 } }) });
    if (!put.ok) throw new Error(`rules: ${put.status} ${await put.text()}`);

    // Members: a member import (the fast way to have tens of thousands), then tokens signed with the server's secret.
    const csv = ['member_ref,phone,nickname,birthday,tier_code,points_balance,points_expire_at', ...Array.from({ length: memberCount }, (_, i) => `BENCH${i},,压测${i},,,,`)].join('\n');
    const accepted = await (await fetch(`${api}/admin/imports/members`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: csv })).json() as { id: number };
    for (;;) {
      const view = await json<{ status: string; error: string | null }>(`${api}/admin/imports/${accepted.id}`, undefined, token);
      if (view.status === 'done') break;
      if (view.status === 'failed') throw new Error(`member import failed: ${view.error}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    const ds = await openDatabase(temp.database, 2);
    const ids = ((await ds.query("SELECT id FROM member WHERE external_ref LIKE 'BENCH%' ORDER BY id")) as { id: number }[]).map((r) => Number(r.id));
    await ds.destroy();
    const tokens = ids.map((id) => jwt.sign({}, secret, { algorithm: 'HS256', subject: String(id), audience: 'member', expiresIn: 3600 }));

    const baseline = await startProcess(join(root, 'scripts/dist/bench/baseline-server.js'), { DATABASE_URL: temp.url, PORT: '0' }, /READY (\S+)/);
    children.push(baseline.child);
    const baseUrl = /READY (\S+)/.exec(baseline.line)![1]!;
    const run = (opts: autocannon.Options) => load({ ...opts, connections, duration: seconds });
    const fmt = (name: string, real: Result, base: Result) =>
      `| ${dialect} | ${name} | ${real.rps.toFixed(0)} | ${real.p99} | ${base.rps.toFixed(0)} | ${base.p99} | ${(real.rps / base.rps).toFixed(2)} | ${real.errors + real.non2xx} |`;

    let n = 0;
    const checkinsApi = await run({
      url: `${api}/checkins`,
      method: 'POST',
      requests: [{ setupRequest: (req) => ({ ...req, headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[n++ % tokens.length]}` }, body: '{}' }) }],
    });
    if (n > tokens.length) notes.push(`${dialect}: ${n} check-ins for ${tokens.length} members: the excess were answered 409 (raise BENCH_MEMBERS)`);
    let b = 0;
    const checkinsBase = await run({ url: baseUrl, method: 'POST', requests: [{ setupRequest: (req) => ({ ...req, path: `/checkin/${ids[b++ % ids.length]}` }) }] });
    table.push(fmt('POST /api/checkins (distinct members)', checkinsApi, checkinsBase));

    await json(`${api}/admin/jobs/leaderboards.refresh/run`, {}, token);
    let m = 0;
    const boardApi = await run({ url: `${api}/leaderboards/checkin-streak`, requests: [{ setupRequest: (req) => ({ ...req, headers: { authorization: `Bearer ${tokens[m++ % tokens.length]}` } }) }] });
    const boardBase = await run({ url: `${baseUrl}/top` });
    table.push(fmt('GET /api/leaderboards/checkin-streak', boardApi, boardBase));
    notes.push(`${dialect}: ${Math.min(n, tokens.length).toLocaleString('en')} members checked in during the run`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    await temp.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(`\nbench:checkins — ${seconds}s per run, ${connections} connections; server and baseline in their own processes`);
console.log('| db | endpoint | req/s | p99 ms | baseline req/s | baseline p99 ms | ratio | errors |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const row of table) console.log(row);
for (const note of notes) console.log(`- ${note}`);
