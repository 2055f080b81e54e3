/**
 * npm run bench:import-memory — the server's memory on a hostile CSV import (issue 18, item 8): a file of
 * IMPORT_BENCH_MB (default 300) MB whose 11th row opens a quote that never closes, so without a record size cap the
 * parser would buffer the rest of the file as one field. Two runs against a real server process:
 *   1. with the default IMPORT_MAX_BYTES (50 MB): refused with 413 before the body is read;
 *   2. with IMPORT_MAX_BYTES raised above the file: accepted, streamed to disk, and the job fails at the first
 *      record over IMPORT_MAX_RECORD_BYTES (64 KB), and its file is removed.
 * Prints the server's peak RSS (VmHWM) for each. BENCH_DB=sqlite|mysql (default sqlite).
 */
import { once } from 'node:events';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { benchOptions, BenchRun, json, ownerLogin } from './support.js';

const { dialects } = benchOptions({ seconds: 0, db: 'sqlite' });
const megabytes = Number(process.env.IMPORT_BENCH_MB ?? 300);

const memoryMb = (pid: number, field: 'VmRSS' | 'VmHWM') => {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : 0;
};

async function writeHostileCsv(file: string): Promise<number> {
  const out = createWriteStream(file);
  out.write('member_ref,order_no,paid_at,amount\n');
  for (let i = 0; i < 10; i++) out.write(`CRM${i},MEM${i},2025-03-01,1000\n`);
  out.write('CRM10,"MEM10,2025-03-01,1000\n'); // the quote that never closes
  const line = 'CRM-after,ORDER-after-the-broken-quote,2025-03-01,1000\n';
  const block = line.repeat(Math.ceil((1024 * 1024) / line.length));
  for (let written = 0; written < megabytes * 1024 * 1024; written += block.length)
    if (!out.write(block)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  return statSync(file).size;
}

async function upload(api: string, token: string, file: string, bytes: number) {
  const res = await fetch(`${api}/admin/imports/orders`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'text/csv',
      'content-length': String(bytes),
    },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
    duplex: 'half',
  } as RequestInit);
  return {
    status: res.status,
    body: (await res.json()) as { id?: number; error?: { code: string } },
  };
}

const file = join(tmpdir(), `huoyue-hostile-${process.pid}.csv`);
const bytes = await writeHostileCsv(file);
console.log(`file: ${(bytes / 1024 / 1024).toFixed(0)} MB, unterminated quote on row 11`);
const rows: string[] = [];
try {
  await BenchRun.each(dialects, async (run) => {
    // 1. The default cap: refused at the door.
    {
      const { api, child } = await run.server();
      const token = await ownerLogin(api);
      const before = memoryMb(child.pid!, 'VmRSS');
      const started = Date.now();
      const res = await upload(api, token, file, bytes).catch((err: Error) => ({
        status: 0,
        body: { error: { code: String(err.cause ?? err.message) } },
      }));
      rows.push(
        `| ${run.dialect} | default cap (50 MB) | ${res.status} ${res.body.error?.code ?? ''} | ${Date.now() - started} ms | ${before} MB | ${memoryMb(child.pid!, 'VmHWM')} MB |`,
      );
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    // 2. A cap above the file: the record size cap stops the parser.
    {
      const { api, child } = await run.server({ IMPORT_MAX_BYTES: String(2 * 1024 ** 3) });
      const token = await ownerLogin(api);
      const before = memoryMb(child.pid!, 'VmRSS');
      const started = Date.now();
      const res = await upload(api, token, file, bytes);
      let view: { status: string; error: string | null } = { status: 'queued', error: null };
      while (view.status === 'queued' || view.status === 'running') {
        await new Promise((r) => setTimeout(r, 200));
        view = await json(`${api}/admin/imports/${res.body.id}`, undefined, token);
      }
      const dir = join(run.dataDir, 'imports');
      const left = existsSync(dir) ? readdirSync(dir).length : 0;
      rows.push(
        `| ${run.dialect} | cap raised (2 GiB) | ${res.status}, job ${view.status}: ${view.error} (files left: ${left}) | ${Date.now() - started} ms | ${before} MB | ${memoryMb(child.pid!, 'VmHWM')} MB |`,
      );
    }
  });
} finally {
  rmSync(file, { force: true });
}
console.log('| db | run | answer | time | RSS before | peak RSS |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
