/**
 * npm run bench:mall — points-mall redemptions per second with p99: everyone on one hot item, and spread over 100
 * items, beside a bare Fastify route doing the same conditional stock decrement with the same driver (one hot row,
 * or spread over 100 rows). Members come from a member import with opening balances; tokens are signed with the
 * server's secret. BENCH_DB=mysql|sqlite|both (default mysql, i.e. MariaDB here), BENCH_SECONDS (default 8).
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type autocannon from 'autocannon';
import jwt from 'jsonwebtoken';
import { openDatabase } from '@huoyue/server/dist/infra/database/data-source.js';
import { checkLedger } from '@huoyue/server/dist/modules/points/ledger-check.js';
import { createTempDatabase } from '../db/temp-database.js';
import { json, load, type Result, startProcess } from './support.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const memberCount = Number(process.env.BENCH_MEMBERS ?? 5000);
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

    const csv = ['member_ref,phone,nickname,birthday,tier_code,points_balance,points_expire_at', ...Array.from({ length: memberCount }, (_, i) => `MALLB${i},,压测${i},,,1000000,`)].join('\n');
    const accepted = (await (await fetch(`${api}/admin/imports/members`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: csv })).json()) as { id: number };
    for (;;) {
      const view = await json<{ status: string; error: string | null }>(`${api}/admin/imports/${accepted.id}`, undefined, token);
      if (view.status === 'done') break;
      if (view.status === 'failed') throw new Error(`member import failed: ${view.error}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    const ds = await openDatabase(temp.database, 2);
    const ids = ((await ds.query("SELECT id FROM member WHERE external_ref LIKE 'MALLB%' ORDER BY id")) as { id: number }[]).map((r) => Number(r.id));
    await ds.destroy();
    const tokens = ids.map((id) => jwt.sign({}, secret, { algorithm: 'HS256', subject: String(id), audience: 'member', expiresIn: 3600 }));
    const items: number[] = [];
    for (let i = 0; i < 100; i++) {
      items.push((await json<{ id: number }>(`${api}/admin/mall/items`, { name: `压测商品${i}`, kind: 'virtual', pointsPrice: 10, stock: 10_000_000, perMemberLimit: 1000 }, token)).id);
    }

    const baseline = await startProcess(join(root, 'scripts/dist/bench/baseline-server.js'), { DATABASE_URL: temp.url, PORT: '0' }, /READY (\S+)/);
    children.push(baseline.child);
    const baseUrl = /READY (\S+)/.exec(baseline.line)![1]!;
    const run = (opts: autocannon.Options) => load({ ...opts, connections, duration: seconds });
    const fmt = (name: string, real: Result, base: Result) =>
      `| ${dialect} | ${name} | ${real.rps.toFixed(0)} | ${real.p99} | ${base.rps.toFixed(0)} | ${base.p99} | ${(real.rps / base.rps).toFixed(2)} | ${real.errors + real.non2xx} |`;
    const redeemOn = (pick: (n: number) => number) => {
      let n = 0;
      return run({
        url: api,
        method: 'POST',
        requests: [
          {
            setupRequest: (req) => {
              const k = n++;
              return { ...req, path: `/api/mall/items/${pick(k)}/redeem`, headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[k % tokens.length]}` }, body: JSON.stringify({ quantity: 1, requestId: randomUUID() }) };
            },
          },
        ],
      });
    };
    let b = 0;
    const hotApi = await redeemOn(() => items[0]!);
    const hotBase = await run({ url: `${baseUrl}/stock/1`, method: 'POST' });
    table.push(fmt('redeem, one hot item', hotApi, hotBase));
    const spreadApi = await redeemOn((k) => items[k % items.length]!);
    const spreadBase = await run({ url: baseUrl, method: 'POST', requests: [{ setupRequest: (req) => ({ ...req, path: `/stock/${(b++ % 100) + 1}` }) }] });
    table.push(fmt('redeem, spread over 100 items', spreadApi, spreadBase));

    const check = await openDatabase(temp.database, 2);
    const ledger = await checkLedger(check);
    const [sold] = (await check.query("SELECT COUNT(*) AS n FROM mall_redemption WHERE status = 'completed'")) as { n: number }[];
    const [stock] = (await check.query('SELECT SUM(10000000 - stock) AS taken FROM mall_item')) as { taken: number }[];
    await check.destroy();
    notes.push(`${dialect}: ${Number(sold!.n).toLocaleString('en')} redemptions, ${Number(stock!.taken).toLocaleString('en')} taken from stock; check:ledger: ${ledger.discrepancies.length === 0 ? 'consistent' : `${ledger.discrepancies.length} differences`}`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    await temp.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(`\nbench:mall — ${seconds}s per run, ${connections} connections; server and baseline in their own processes`);
console.log('| db | what | req/s | p99 ms | baseline req/s | baseline p99 ms | ratio | errors |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const row of table) console.log(row);
for (const note of notes) console.log(`- ${note}`);
