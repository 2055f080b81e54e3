/**
 * npm run bench:points — the ledger under load, each figure beside a baseline measured in the same run:
 *   1. order ingestion over HTTP (POST /api/admin/orders) vs a bare Fastify route inserting the same row; the
 *      consumers of its events run after the answer, so the outbox lag (/api/health: the oldest undelivered event's
 *      age) is sampled during the run and until it drains, and the real figure counts only the orders whose
 *      consumers had all run by the end of the load (their `order.paid` marked delivered);
 *   2. spending from one hot balance (staff adjustments of -1) vs a bare conditional UPDATE of one row;
 *   3. CSV import of IMPORT_ROWS order rows (default 1,000,000) through the real upload and background job, vs a
 *      plain multi-row INSERT of the same rows (parsed from the same file) into a scratch table; the server's
 *      memory is sampled during the import.
 * BENCH_DB=mysql|sqlite|both (default mysql, i.e. MariaDB here), BENCH_SECONDS (default 8), IMPORT_ROWS (0: no 3).
 */
import type autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { once } from 'node:events';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse';
import mysql from 'mysql2/promise';
import { openDatabase } from '@huoyue/server/dist/database.js';
import { checkLedger } from '@huoyue/server/dist/modules/points/ledger-check.js';
import { benchOptions, BenchRun, json, load, ownerLogin, type Result } from './support.js';
import { keptUp, OutboxLag } from './outbox-lag.js';

const { seconds, connections, dialects } = benchOptions({ seconds: 8, db: 'mysql' });
const importRows = Number(process.env.IMPORT_ROWS ?? 1_000_000);

const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
};

async function writeCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('member_ref,order_no,paid_at,amount,store_code\n');
  const start = Date.parse('2024-01-01T00:00:00Z');
  for (let i = 0; i < rows; i++) {
    // 100,000 customers, about ten orders each over two years.
    const line = `CRM${i % 100_000},IMP${i},${new Date(start + ((i * 7919) % 63_072_000) * 1000).toISOString()},${1000 + ((i * 37) % 50_000)},S${i % 20}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** The same rows, parsed from the same file, with plain multi-row INSERTs of 1,000 rows into a scratch table. */
async function baselineImport(
  kind: 'sqlite' | 'mysql',
  url: string,
  file: string,
): Promise<number> {
  const started = Date.now();
  const parser = createReadStream(file).pipe(parse({ from_line: 2 }));
  const cols = '(member_ref, order_no, paid_at, amount, store_code)';
  if (kind === 'sqlite') {
    const db = new Database(url.slice('sqlite:'.length));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(
      'CREATE TABLE bench_import (id INTEGER PRIMARY KEY AUTOINCREMENT, member_ref VARCHAR(64) NOT NULL, order_no VARCHAR(64) NOT NULL UNIQUE, paid_at TEXT NOT NULL, amount INT NOT NULL, store_code VARCHAR(32))',
    );
    const insert = db.prepare(
      `INSERT INTO bench_import ${cols} VALUES ${Array.from({ length: 1000 }, () => '(?, ?, ?, ?, ?)').join(', ')}`,
    );
    const one = db.prepare(`INSERT INTO bench_import ${cols} VALUES (?, ?, ?, ?, ?)`);
    let batch: string[][] = [];
    for await (const r of parser as AsyncIterable<string[]>) {
      batch.push(r);
      if (batch.length === 1000) {
        insert.run(batch.flat());
        batch = [];
      }
    }
    for (const r of batch) one.run(r);
    db.close();
  } else {
    const pool = mysql.createPool({ uri: url, connectionLimit: 2 });
    await pool.query(
      'CREATE TABLE bench_import (id INT AUTO_INCREMENT PRIMARY KEY, member_ref VARCHAR(64) NOT NULL, order_no VARCHAR(64) NOT NULL UNIQUE, paid_at DATETIME(3) NOT NULL, amount INT NOT NULL, store_code VARCHAR(32)) ENGINE=InnoDB',
    );
    let batch: unknown[][] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      await pool.query(`INSERT INTO bench_import ${cols} VALUES ?`, [batch]);
      batch = [];
    };
    for await (const r of parser as AsyncIterable<string[]>) {
      batch.push([r[0], r[1], new Date(r[2]!), Number(r[3]), r[4]]);
      if (batch.length === 1000) await flush();
    }
    await flush();
    await pool.end();
  }
  return importRows / ((Date.now() - started) / 1000);
}

const table: string[] = [];
const notes: string[] = [];
await BenchRun.each(dialects, async (bench) => {
  const dialect = bench.dialect;
  const { api, child } = await bench.server({ IMPORT_MAX_BYTES: String(2 * 1024 ** 3) }); // the 1M-row file is over the 50 MB default
  const token = await ownerLogin(api);
  const auth = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const { ids: members } = await bench.members(api, token, 200, 'PTS');
  const baseUrl = await bench.baseline();
  const run = (opts: autocannon.Options) => load({ ...opts, connections, duration: seconds });
  const fmt = (name: string, real: Result, base: Result) => bench.row(name, real, base, 'req/s');

  // 1. Orders over HTTP.
  const paidAt = new Date().toISOString();
  let n = 0;
  const lag = new OutboxLag(api);
  const orderBody = () =>
    JSON.stringify({
      orderNo: `B${dialect}${n}`,
      member: { id: members[n++ % members.length] },
      amount: 12_345,
      paidAt,
    });
  const loadStart = new Date();
  lag.start();
  const ordersApi = await run({
    url: `${api}/admin/orders`,
    method: 'POST',
    headers: auth,
    requests: [{ setupRequest: (req) => ({ ...req, body: orderBody() }) }],
  });
  const loadEnd = new Date();
  const drained = await lag.drain();
  const delivered = await keptUp(bench.temp.database, loadStart, loadEnd);
  notes.push(
    `${dialect}: orders ${delivered.orders} answered, ${delivered.keptUp} with every consumer done by the end of the load; ` +
      `outbox lag during the load max ${lag.maxAge} s (${lag.maxUndelivered} undelivered at most), at its end ${drained.atEnd} s, ` +
      `${drained.ok ? `drained ${drained.seconds.toFixed(1)} s after it` : `NOT drained ${drained.seconds.toFixed(0)} s after it`}`,
  );
  let m = 0;
  const ordersBase = await run({
    url: `${baseUrl}/order`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({
            orderNo: `B${m}`,
            member: { id: members[m++ % members.length] },
            amount: 12_345,
            paidAt,
          }),
        }),
      },
    ],
  });
  table.push(fmt('POST /api/admin/orders (answered)', ordersApi, ordersBase));
  table.push(
    fmt(
      'POST /api/admin/orders, consumers kept up',
      { ...ordersApi, rps: delivered.keptUp / ((loadEnd.getTime() - loadStart.getTime()) / 1000) },
      ordersBase,
    ),
  );

  // 2. One hot balance.
  const hot = members[0]!;
  await json(
    `${api}/admin/members/${hot}/points/adjustments`,
    // Beyond the brand's limit per adjustment: the owner confirms it a second time.
    { points: 10_000_000, reason: '压测充值', requestId: randomUUID(), confirmOverLimit: true },
    token,
  );
  const spendApi = await run({
    url: `${api}/admin/members/${hot}/points/adjustments`,
    method: 'POST',
    headers: auth,
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({ points: -1, reason: '压测扣减', requestId: randomUUID() }),
        }),
      },
    ],
  });
  const spendBase = await run({ url: `${baseUrl}/spend`, method: 'POST' });
  table.push(fmt('spend from one balance', spendApi, spendBase));

  // 3. A million-row import.
  if (importRows === 0) return;
  const file = join(bench.dataDir, 'orders.csv');
  await writeCsv(file, importRows);
  const bytes = statSync(file).size;
  const pid = child.pid!;
  const rssBefore = rssMb(pid);
  let rssPeak = rssBefore;
  // RSS at each quarter of the import: flat means it does not grow with the rows read.
  const quarters: number[] = [];
  let lastRows = 0;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(pid))), 250);
  const started = Date.now();
  const res = await fetch(`${api}/admin/imports/orders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream,
    duplex: 'half',
  });
  const job = (await res.json()) as { id: number };
  const uploadedMs = Date.now() - started;
  let view: { status: string; rowsImported: number; rowsRejected: number; error: string | null };
  for (;;) {
    view = await json(`${api}/admin/imports/${job.id}`, undefined, token);
    const read = (view as unknown as { rowsRead: number }).rowsRead;
    if (
      Math.floor((read / importRows) * 4) > Math.floor((lastRows / importRows) * 4) &&
      quarters.length < 4
    )
      quarters.push(rssMb(pid));
    lastRows = read;
    if (view.status === 'done' || view.status === 'failed') break;
    await new Promise((r) => setTimeout(r, 500));
  }
  clearInterval(sampler);
  const importSeconds = (Date.now() - started) / 1000;
  const importRate = importRows / importSeconds;
  const baseRate = await baselineImport(dialect, bench.temp.url, file);
  table.push(
    `| ${dialect} | CSV import (${importRows.toLocaleString('en')} rows) | ${importRate.toFixed(0)} rows/s | | ${baseRate.toFixed(0)} rows/s | | ${(importRate / baseRate).toFixed(2)} | ${view.rowsRejected} |`,
  );
  notes.push(
    `${dialect}: import ${view.status}${view.error ? ` (${view.error})` : ''}, ${view.rowsImported.toLocaleString('en')} rows in ${importSeconds.toFixed(1)} s ` +
      `(upload of ${(bytes / 1024 ** 2).toFixed(0)} MB took ${(uploadedMs / 1000).toFixed(1)} s); server RSS ${rssBefore.toFixed(0)} MB before, at each quarter ${quarters.map((q) => q.toFixed(0)).join(' / ')} MB, peak ${rssPeak.toFixed(0)} MB`,
  );

  // The ledger after all of it.
  const ds = await openDatabase(bench.temp.database, 2);
  const check = await checkLedger(ds);
  await ds.destroy();
  notes.push(
    `${dialect}: check:ledger over ${check.accounts} accounts and ${check.entries.toLocaleString('en')} entries: ${check.discrepancies.length === 0 ? 'consistent' : `${check.discrepancies.length} differences`}`,
  );
});

console.log(
  `\nbench:points — ${seconds}s per HTTP run, ${connections} connections; server and baseline in their own processes`,
);
console.log(
  '| db | what | real | p99 ms | baseline | baseline p99 ms | ratio | errors / rejected |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const row of table) console.log(row);
for (const note of notes) console.log(`- ${note}`);
