import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { type ApiClient, type RouteOutput, routes } from '@huoyue/shared';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

const p = routes.points;
type ImportView = RouteOutput<typeof p.getImport>;
const MAX_BYTES = 64 * 1024;
const MAX_RECORD = 1024;

describe('import limits: file size cap, record size cap, files removed when a job ends', () => {
  let server: TestServer;
  let token: string;
  let owner: ApiClient;
  const tag = `${process.pid}${Date.now().toString(36)}`;
  const importsDir = () => join(server.config.dataDir, 'imports');

  before(async () => {
    server = await startTestServer({
      IMPORT_MAX_BYTES: String(MAX_BYTES),
      IMPORT_MAX_RECORD_BYTES: String(MAX_RECORD),
    });
    token = (await server.client().call(routes.staff.login, { body: ADMIN })).token;
    owner = server.client(token);
  });
  after(async () => server.stop());

  const upload = async (body: string | ReadableStream<Uint8Array>) => {
    const res = await fetch(`${server.apiUrl}/admin/imports/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body,
      ...(typeof body === 'string' ? {} : { duplex: 'half' }),
    } as RequestInit);
    return {
      status: res.status,
      body: (await res.json()) as ImportView & { error?: { code: string; message: string } },
    };
  };
  const finished = async (id: number): Promise<ImportView> => {
    for (let i = 0; i < 400; i++) {
      const view = await owner.call(p.getImport, { params: { id } });
      if (view.status === 'done' || view.status === 'failed') return view;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`import ${id} did not finish`);
  };
  const csvFiles = () => (existsSync(importsDir()) ? readdirSync(importsDir()) : []);
  /** The file goes just after the job's status says it ended: waits a moment for it. */
  const filesOnceSettled = async () => {
    for (let i = 0; i < 40 && csvFiles().length > 0; i++)
      await new Promise((r) => setTimeout(r, 25));
    return csvFiles();
  };

  it('a file over IMPORT_MAX_BYTES is refused with 413 in the error shape, declared or streamed, and nothing is kept', async () => {
    const line = `CRM-${tag},O${tag}-x,2025-03-01,100\n`;
    const big = 'member_ref,order_no,paid_at,amount\n' + line.repeat(MAX_BYTES / line.length + 10);
    const declared = await upload(big);
    assert.equal(declared.status, 413);
    assert.equal(declared.body.error?.code, 'PAYLOAD_TOO_LARGE');
    assert.match(declared.body.error!.message, /导入文件不能超过/);
    // Without a Content-Length (chunked): counted as it streams.
    const chunks = Array.from({ length: 20 }, () => Buffer.from(line.repeat(200)));
    const streamed = await upload(
      Readable.toWeb(Readable.from(chunks)) as ReadableStream<Uint8Array>,
    );
    assert.equal(streamed.status, 413);
    assert.equal(streamed.body.error?.code, 'PAYLOAD_TOO_LARGE');
    assert.deepEqual(csvFiles(), [], 'no partial upload left on disk');
  });

  it('an unterminated quote fails at the record size cap with a clear reason; the file is removed', async () => {
    const good = Array.from(
      { length: 3 },
      (_, i) => `CRM-${tag}-Q,Q${tag}-${i},2025-03-0${i + 1},1000`,
    );
    const csv = [
      'member_ref,order_no,paid_at,amount',
      ...good,
      `CRM-${tag}-Q,"Q${tag}-broken,2025-03-05,1000`,
      ...Array.from({ length: 200 }, (_, i) => `CRM-${tag}-Q,Q${tag}-after-${i},2025-03-06,1000`),
    ].join('\n');
    assert.ok(csv.length < MAX_BYTES);
    const accepted = await upload(csv);
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const view = await finished(accepted.body.id);
    assert.equal(view.status, 'failed');
    assert.match(view.error ?? '', /文件第 5 行超过单行上限 1 KB，通常是有未闭合的引号/);
    assert.deepEqual(await filesOnceSettled(), [], 'the failed job removed its upload');
  });

  it('a finished job removes its file; files no job needs are removed by the resume job, fresh ones are left', async () => {
    const done = await upload(
      `member_ref,order_no,paid_at,amount\nCRM-${tag}-D,D${tag},2025-03-01,100`,
    );
    assert.equal((await finished(done.body.id)).status, 'done');
    assert.deepEqual(await filesOnceSettled(), []);
    // What a crash between the job's end and the file's removal leaves behind, and an upload being written now.
    mkdirSync(importsDir(), { recursive: true });
    const orphan = join(importsDir(), 'orders-orphan.csv');
    const fresh = join(importsDir(), 'orders-fresh.csv');
    writeFileSync(orphan, 'member_ref,order_no\n');
    writeFileSync(fresh, 'member_ref,order_no\n');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(orphan, hourAgo, hourAgo);
    await owner.call(routes.system.runJob, { params: { name: 'imports.resume' }, body: {} });
    assert.deepEqual(csvFiles(), ['orders-fresh.csv']);
  });
});
