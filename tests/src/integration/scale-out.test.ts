import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApiClient, routes } from '@huoyue/shared';
import { openDatabase } from '@huoyue/server/dist/database.js';
import { loadConfig } from '@huoyue/server/dist/config/config.js';
import { ADMIN, dialect, testDatabase } from '../support/test-server.js';
import {
  startSharedFake,
  runScript,
  startScript,
  type StartedProcess,
} from '../support/processes.js';

const MAIN = 'server/dist/main.js';
const READY = /Huoyue API on (\S+)/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Roles, workers, probes, metrics and shutdown with real processes (`server/dist/main.js`). Processes that must
 * share one WeChat use a fake WeChat started on its own, as a real deployment shares the real one.
 */
describe('scale-out: roles, workers, probes, metrics, graceful shutdown', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'huoyue-scale-'));
  const db = testDatabase(dataDir);
  const running: StartedProcess[] = [];
  let env: Record<string, string> = {};
  let fakeUrl = '';

  const server = async (extra: Record<string, string> = {}) => {
    const started = await startScript(MAIN, { ...env, ...extra }, READY);
    running.push(started);
    return { ...started, api: started.match[1]! };
  };
  const login = async (api: string) =>
    (await new ApiClient({ baseUrl: api }).call(routes.staff.login, { body: ADMIN })).token;

  before(async () => {
    const shared = await startSharedFake({
      databaseUrl: db.url,
      dataDir,
      admin: ADMIN,
      jwtSecret: 'scale-test-secret-scale-test-secret-0123456789',
    });
    running.push(shared.fake);
    fakeUrl = shared.fakeUrl;
    env = { ...shared.env, AUTH_RATE_LIMIT_PER_MINUTE: '100000' };
  });
  after(async () => {
    for (const p of running) p.child.kill('SIGKILL');
    await sleep(300);
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses WORKERS>1 on SQLite and beside the built-in fake WeChat, with a clear message', async () => {
    const sqlite = await runScript(MAIN, {
      ...env,
      DATABASE_URL: `sqlite:${join(dataDir, 'refused.sqlite')}`,
      WORKERS: '2',
    });
    assert.equal(sqlite.code, 1);
    assert.match(sqlite.output, /WORKERS>1 needs DATABASE_URL=mysql/);
    const fake = await runScript(MAIN, {
      ...env,
      DATABASE_URL: 'mysql://root@127.0.0.1:3306/never_opened',
      WECHAT_APP_ID: '',
      WECHAT_APP_SECRET: '',
      WORKERS: '2',
    });
    assert.equal(fake.code, 1);
    assert.match(fake.output, /WORKERS>1 needs WECHAT_APP_ID/);
  });

  it('ROLE=api sends no due message; a ROLE=worker process sends it and serves no member API', async () => {
    const api = await server({ ROLE: 'api' });
    const token = await login(api.api);
    const owner = new ApiClient({ baseUrl: api.api, getToken: () => token });
    await importMembers(api.api, token, ['13800000001', '13800000002']);
    const template = await owner.call(routes.messaging.createTemplate, {
      body: {
        code: 'ops_notice',
        name: '运维通知',
        channel: 'sms',
        purpose: 'transactional',
        smsText: '【会员中心】测试',
      },
    });
    await owner.call(routes.messaging.putSettings, {
      body: { ...(await owner.call(routes.messaging.getSettings)), quietHours: null },
    });
    const { queued } = await owner.call(routes.campaigns.broadcast, {
      body: { templateId: template.id, requestId: 'scale-out-broadcast' },
    });
    assert.equal(queued, 2);
    await sleep(2000);
    assert.equal((await smsSent(fakeUrl)).length, 0, 'an api-only process dispatches nothing');

    // SQLite has one writer file: the worker takes over from the api process; on MariaDB both run side by side.
    if (dialect === 'sqlite') assert.equal(await api.stop(), 0);
    const worker = await server({ ROLE: 'worker' });
    for (let i = 0; (await smsSent(fakeUrl)).length < 2; i++) {
      assert.ok(i < 100, 'the worker sent the queued messages');
      await sleep(100);
    }
    const member = await fetch(`${worker.api}/members/me`);
    assert.equal(member.status, 404);
    assert.match(
      ((await member.json()) as { error: { message: string } }).error.message,
      /ROLE=worker/,
    );
    const ready = await fetch(`${worker.api}/health/ready`);
    assert.equal(ready.status, 200);
    assert.equal(((await ready.json()) as { role: string }).role, 'worker');
    assert.equal(await worker.stop(), 0);
    if (dialect === 'mysql') assert.equal(await api.stop(), 0);
  });

  it('readiness: 200 when up, 503 in the error shape with a pending migration or no database', async () => {
    const s = await server();
    assert.equal((await fetch(`${s.api}/health/live`)).status, 200);
    assert.equal((await fetch(`${s.api}/health/ready`)).status, 200);
    const direct = await openDatabase(
      loadConfig({ DATABASE_URL: db.url, DATA_DIR: dataDir }).database,
      1,
    );
    const [last] = (await direct.query('SELECT MAX(id) AS id FROM migrations')) as { id: number }[];
    const [row] = (await direct.query('SELECT * FROM migrations WHERE id = ?', [last!.id])) as {
      timestamp: number;
      name: string;
    }[];
    await direct.query('DELETE FROM migrations WHERE id = ?', [last!.id]);
    const pending = await fetch(`${s.api}/health/ready`);
    assert.equal(pending.status, 503);
    assert.deepEqual(await pending.json(), {
      error: { code: 'SERVICE_UNAVAILABLE', message: '数据库迁移尚未完成' },
    });
    await direct.query('INSERT INTO migrations (id, timestamp, name) VALUES (?, ?, ?)', [
      last!.id,
      row!.timestamp,
      row!.name,
    ]);
    await direct.destroy();
    assert.equal((await fetch(`${s.api}/health/ready`)).status, 200);
    if (dialect === 'mysql') {
      // The database itself gone: the server still answers, not ready.
      const other = testDatabase(dataDir);
      const gone = await server({ DATABASE_URL: other.url });
      await other.drop();
      const down = await fetch(`${gone.api}/health/ready`);
      assert.equal(down.status, 503);
      assert.equal(
        ((await down.json()) as { error: { code: string } }).error.code,
        'SERVICE_UNAVAILABLE',
      );
      assert.equal((await fetch(`${gone.api}/health/live`)).status, 200);
      await gone.stop('SIGKILL');
    }
    assert.equal(await s.stop(), 0);
  });

  it('/metrics: the HTTP histogram by route template, outbox, messages and job runs; a token when set', async () => {
    const s = await server({ METRICS_TOKEN: 'metrics-token-0123456789' });
    const token = await login(s.api);
    const owner = new ApiClient({ baseUrl: s.api, getToken: () => token });
    await owner.call(routes.system.runJob, { params: { name: 'leaderboards.refresh' }, body: {} });
    for (let i = 0; i < 3; i++) await fetch(`${s.api}/health/ready`);
    const origin = new URL(s.api).origin;
    assert.equal((await fetch(`${origin}/metrics`)).status, 401);
    const scrape = await fetch(`${origin}/metrics`, {
      headers: { authorization: 'Bearer metrics-token-0123456789' },
    });
    assert.equal(scrape.status, 200);
    const text = await scrape.text();
    assert.match(
      text,
      /http_request_duration_seconds_count\{method="GET",route="\/api\/health\/ready",status="200"\} 3/,
    );
    assert.match(text, /route="\/api\/admin\/jobs\/:name\/run",status="200"/);
    assert.doesNotMatch(text, /leaderboards\.refresh\/run/, 'never the raw URL');
    assert.match(text, /huoyue_job_runs_total\{job="leaderboards.refresh",result="ok"\} 1/);
    assert.match(text, /huoyue_outbox_pending_events \d+/);
    assert.match(text, /huoyue_outbox_oldest_pending_age_seconds \d+/);
    assert.match(text, /huoyue_messages_pending\{status="queued"\} \d+/);
    assert.match(text, /process_cpu_user_seconds_total/);
    assert.equal(await s.stop(), 0);
  });

  it('WORKERS=2 (MariaDB): both workers answer on the one port and one scrape sees both', async (t) => {
    if (dialect !== 'mysql') {
      t.diagnostic('WORKERS>1 needs MariaDB: on SQLite the refusal is tested above');
      return;
    }
    const s = await server({ WORKERS: '2' });
    assert.match(s.output(), /\(2 workers\)/);
    const seen = new Set<string>();
    for (let i = 0; i < 60 && seen.size < 2; i++) {
      const res = await fetch(`${s.api}/health/live`, { headers: { connection: 'close' } });
      assert.equal(res.status, 200);
      seen.add(res.headers.get('x-worker') ?? 'none');
    }
    assert.deepEqual([...seen].sort(), ['1', '2']);
    const text = await (await fetch(`${new URL(s.api).origin}/metrics`)).text();
    const count =
      /http_request_duration_seconds_count\{method="GET",route="\/api\/health\/live",status="200"\} (\d+)/.exec(
        text,
      );
    assert.ok(count, text.slice(0, 500));
    assert.ok(Number(count[1]) >= 2, 'the scrape adds up both workers');
    assert.equal(await s.stop(), 0);
  });

  it('SIGTERM during a burst of 300 requests: each is answered whole (2xx or a clean 503), exit 0', async () => {
    const s = await server();
    const token = await login(s.api);
    const url = new URL(`${s.api}/admin/checkins/rules`);
    let answered = 0;
    let signalled = false;
    const results = await Promise.all(
      Array.from({ length: 300 }, () =>
        burstRequest(url, token).finally(() => {
          if (++answered === 60 && !signalled) {
            signalled = true;
            s.child.kill('SIGTERM');
          }
        }),
      ),
    );
    const exit = await s.stop();
    const cut = results.filter((r) => r.kind === 'cut');
    const statuses = new Map<string, number>();
    for (const r of results) statuses.set(r.label, (statuses.get(r.label) ?? 0) + 1);
    t_log(`burst: ${JSON.stringify(Object.fromEntries(statuses))}`);
    assert.deepEqual(cut, [], 'no request cut after it was sent');
    assert.ok(results.filter((r) => r.label === '200').length >= 60);
    assert.equal(exit, 0);
  });
});

const t_log = (line: string) => console.log(`# ${line}`);

type BurstResult = { kind: 'answered' | 'refused' | 'cut'; label: string };

/** One GET on a connection of its own: answered (status), refused before it was sent, or cut after. */
function burstRequest(url: URL, token: string): Promise<BurstResult> {
  return new Promise((resolve) => {
    let sent = false;
    const req = httpRequest(
      url,
      { agent: false, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const complete = status === 200 || status === 503;
          resolve({ kind: complete ? 'answered' : 'cut', label: String(status) });
        });
        res.on('error', () => resolve({ kind: 'cut', label: 'aborted' }));
      },
    );
    req.on('finish', () => (sent = true));
    req.on('error', (err: NodeJS.ErrnoException) => {
      const refused = err.code === 'ECONNREFUSED' || (!sent && err.code === 'ECONNRESET');
      resolve({ kind: refused ? 'refused' : 'cut', label: err.code ?? err.message });
    });
    req.end();
  });
}

async function importMembers(api: string, token: string, phones: string[]): Promise<void> {
  const csv = [
    'member_ref,phone,nickname,birthday,tier_code,points_balance,points_expire_at',
    ...phones.map((p, i) => `${p},${p},会员${i},,,,`),
  ].join('\n');
  const upload = await fetch(`${api}/admin/imports/members`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body: csv,
  });
  const { id } = (await upload.json()) as { id: number };
  for (let i = 0; ; i++) {
    const view = (await (
      await fetch(`${api}/admin/imports/${id}`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { status: string };
    if (view.status === 'done') return;
    assert.ok(i < 300 && view.status !== 'failed', `import ${view.status}`);
    await sleep(100);
  }
}

async function smsSent(fakeUrl: string): Promise<{ channel: string }[]> {
  const body = (await (await fetch(`${fakeUrl}/__fake/messages`)).json()) as {
    items: { channel: string }[];
  };
  return body.items.filter((m) => m.channel === 'sms');
}
