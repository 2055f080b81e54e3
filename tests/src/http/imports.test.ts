import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type ApiClient, type RouteOutput, routes } from '@huoyue/shared';
import { ImportBatch, ImportJob } from '@huoyue/server/dist/modules/imports/import-job.entity.js';
import { checkLedger } from '@huoyue/server/dist/modules/points/ledger-check.js';
import { joinedMember } from '../support/flows.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

const p = routes.points;
type ImportView = RouteOutput<typeof p.getImport>;

describe('CSV imports of order history and members', () => {
  let server: TestServer;
  let token: string;
  let owner: ApiClient;
  const tag = `${process.pid}${Date.now().toString(36)}`;
  const digits = String(Date.now()).slice(-6);

  before(async () => {
    server = await startTestServer();
    token = (await server.client().call(routes.staff.login, { body: ADMIN })).token;
    owner = server.client(token);
  });
  after(async () => server.stop());

  const upload = async (path: string, csv: string, contentType = 'text/csv') => {
    const res = await fetch(`${server.apiUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      body: csv,
    });
    return {
      status: res.status,
      body: (await res.json()) as ImportView & { error?: { code: string } },
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

  it('imports good rows, reports bad ones with reasons, creates offline members, and a second run changes nothing', async () => {
    const known = await joinedMember(server);
    const csv = [
      'member_ref,order_no,paid_at,amount,store_code',
      `${known.phone},H${tag}-1,2025-03-01 12:30:00,15800,SH001`,
      `135${digits}00,H${tag}-2,2025-03-02T10:00:00+08:00,9900`,
      `CRM-${tag}-A,H${tag}-3,2025-04-01,20000,BJ001`,
      `CRM-${tag}-A,H${tag}-4,2025-05-01,0`,
      `CRM-${tag}-B,H${tag}-5,2025-13-01,100`,
      `CRM-${tag}-B,H${tag}-6,2025-05-01,12.50`,
      `CRM-${tag}-B,H${tag}-7,2025-05-01`,
      `CRM-${tag}-B,H${tag}-3,2025-05-01,100`,
      `CRM-${tag}-B,H${tag}-8,2099-01-01,100`,
      `bad ref,H${tag}-9,2025-05-01,100`,
    ].join('\n');
    const accepted = await upload('/admin/imports/orders', csv);
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const done = await finished(accepted.body.id);
    assert.equal(done.status, 'done', done.error ?? '');
    assert.deepEqual(
      {
        read: done.rowsRead,
        imported: done.rowsImported,
        skipped: done.rowsSkipped,
        rejected: done.rowsRejected,
      },
      { read: 10, imported: 4, skipped: 0, rejected: 6 },
    );
    assert.deepEqual(
      done.rejections.map((r) => r.row),
      [5, 6, 7, 8, 9, 10],
    );
    assert.match(done.rejections[0]!.reason, /paid_at/);
    assert.match(done.rejections[1]!.reason, /amount/);
    assert.match(done.rejections[2]!.reason, /列/);
    assert.match(done.rejections[3]!.reason, /重复/);
    assert.match(done.rejections[4]!.reason, /未来/);
    assert.ok(done.rejections[5]!.line.startsWith('bad ref'));

    const order = await owner.call(p.getOrder, { params: { orderNo: `H${tag}-1` } });
    assert.equal(order.memberId, known.member.id);
    assert.equal(order.pointsStatus, 'none', 'history credits no points unless asked');
    assert.equal(
      order.paidAt,
      '2025-03-01T04:30:00.000Z',
      'local times are brand-local (Asia/Shanghai)',
    );
    const byCrm = await owner.call(p.getOrder, { params: { orderNo: `H${tag}-3` } });
    const other = await owner.call(p.getOrder, { params: { orderNo: `H${tag}-4` } });
    assert.equal(byCrm.memberId, other.memberId, 'one offline member per customer id');
    const detail = await owner.call(routes.members.adminDetail, { params: { id: byCrm.memberId } });
    assert.ok(
      detail.recentEvents.some((e) => e.type === 'purchase'),
      'purchases enter the engagement log',
    );

    const again = await finished((await upload('/admin/imports/orders', csv)).body.id);
    assert.deepEqual(
      { imported: again.rowsImported, skipped: again.rowsSkipped, rejected: again.rowsRejected },
      { imported: 0, skipped: 4, rejected: 6 },
    );

    // The offline customer found by phone becomes one member with the WeChat identity when they join.
    const joined = await joinedMember(server, '老顾客', `135${digits}00`);
    assert.equal(
      joined.member.id,
      (await owner.call(p.getOrder, { params: { orderNo: `H${tag}-2` } })).memberId,
    );
  });

  it('creditPoints=true books the points of imported orders in the ledger', async () => {
    const m = await joinedMember(server);
    const csv = `${m.phone},HC${tag}-1,${new Date().toISOString()},30000\n${m.phone},HC${tag}-2,${new Date().toISOString()},12345\n`;
    const res = await fetch(`${server.apiUrl}/admin/imports/orders?creditPoints=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: csv,
    });
    assert.equal(res.status, 202);
    const done = await finished(((await res.json()) as ImportView).id);
    assert.equal(done.rowsImported, 2);
    assert.equal((await m.api.call(p.summary)).balance, 423);
    assert.deepEqual((await checkLedger(server.dataSource)).discrepancies, []);
  });

  it('member import brings tiers and opening balances with their expiry, once', async () => {
    const csv = [
      'member_ref,phone,nickname,birthday,tier_code,points_balance,points_expire_at',
      `OLD-${tag}-1,,老会员甲${tag},1990-05-20,gold,1200,2030-12-31`,
      `OLD-${tag}-2,,老会员乙,,,300,`,
      `OLD-${tag}-3,,老会员丙,1990-02-30,,10,`,
      `OLD-${tag}-4,,老会员丁,,platinum,10,`,
      `OLD-${tag}-5,12345,老会员戊,,,10,`,
    ].join('\n');
    const done = await finished((await upload('/admin/imports/members', csv)).body.id);
    assert.deepEqual(
      { imported: done.rowsImported, rejected: done.rowsRejected },
      { imported: 2, rejected: 3 },
      JSON.stringify(done.rejections),
    );
    const found = await owner.call(routes.members.adminSearch, {
      query: { query: `老会员甲${tag}`, limit: 5 },
    });
    const id = found.items[0]!.id;
    const ledger = await owner.call(p.memberLedger, { params: { id }, query: { limit: 5 } });
    assert.equal(ledger.items[0]!.type, 'import');
    assert.equal(ledger.items[0]!.points, 1200);
    assert.equal(
      ledger.items[0]!.expiresAt,
      '2030-12-31T16:00:00.000Z',
      'usable through 2030-12-31 in Beijing',
    );
    assert.equal(
      (await owner.call(routes.members.adminDetail, { params: { id } })).tier?.code,
      'gold',
    );
    await finished((await upload('/admin/imports/members', csv)).body.id);
    const again = await owner.call(p.memberLedger, { params: { id }, query: { limit: 5 } });
    assert.equal(again.items.length, 1, 'a second import of the same file credits nothing');
  });

  it('an import cut off by a crash resumes with exactly the batches that did not commit, even out of order', async () => {
    const rows = Array.from(
      { length: 2500 },
      (_, i) => `CRM-R${tag}-${i % 50},R${tag}-${i},2025-06-01 10:00:00,${1000 + i}`,
    );
    const file = join(server.config.dataDir, `resume-${tag}.csv`);
    writeFileSync(file, rows.join('\n'));
    // As a dead process would leave it: running, rows 1-1,000 and 2,001-2,500 committed (batches run two at a
    // time, so they can commit out of order), heartbeat long ago.
    const repo = server.dataSource.getRepository(ImportJob);
    const job = repo.create({
      kind: 'orders',
      status: 'running',
      creditPoints: false,
      filePath: file,
      fileBytes: '1',
      rowsDone: 1500,
      rowsImported: 1500,
      owner: 'dead',
      heartbeatAt: new Date(Date.now() - 3_600_000),
      createdBy: null,
      error: null,
      finishedAt: null,
    });
    await repo.insert(job);
    await server.dataSource.getRepository(ImportBatch).insert([
      { importId: job.id, firstRow: 1, lastRow: 1000 },
      { importId: job.id, firstRow: 2001, lastRow: 2500 },
    ]);
    await owner.call(routes.system.runJob, { params: { name: 'imports.resume' }, body: {} });
    const done = await finished(job.id);
    assert.equal(done.status, 'done', done.error ?? '');
    assert.deepEqual(
      { read: done.rowsRead, imported: done.rowsImported },
      { read: 2500, imported: 2500 },
    );
    const before = await owner.raw(p.getOrder, { params: { orderNo: `R${tag}-999` } });
    assert.equal(before.status, 404, 'rows committed before the crash are not read again');
    assert.equal(
      (await owner.call(p.getOrder, { params: { orderNo: `R${tag}-1000` } })).amount,
      2000,
    );
    assert.equal(
      (await owner.call(p.getOrder, { params: { orderNo: `R${tag}-1999` } })).amount,
      2999,
    );
    assert.equal(
      (await owner.raw(p.getOrder, { params: { orderNo: `R${tag}-2000` } })).status,
      404,
      'the later committed batch is not read again',
    );
  });

  it('refuses an upload that is not CSV, an empty file, and a caller without a token', async () => {
    const json = await upload('/admin/imports/orders', '{"a":1}', 'application/json');
    assert.equal(json.status, 415);
    const empty = await upload('/admin/imports/orders', '');
    assert.equal(empty.status, 400);
    const anonymous = await fetch(`${server.apiUrl}/admin/imports/orders`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'a,b,c,d',
    });
    assert.equal(anonymous.status, 401);
  });
});
