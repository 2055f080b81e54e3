/**
 * One kill -9 in the middle of a subscribe-message broadcast, with real processes: the server (its dispatcher on),
 * the fake WeChat over HTTP, `members` members who each accepted the template once (one credit each). The server
 * is killed with SIGKILL once a fifth has gone out, restarted, and the outbox left to drain. Shared by the crash test
 * (tests/src/integration/messaging-crash-credit.test.ts, a few hundred members) and `npm run bench:crash`.
 */
import type { ChildProcess } from 'node:child_process';
import type { DataSource } from 'typeorm';
import { openDatabase } from '@huoyue/server/dist/database.js';
import { BENCH_TEMPLATE, BenchRun, json, ownerLogin, subscribeBenchSetup } from './support.js';

const TPL = BENCH_TEMPLATE;

/** What one run came to. `burned`: credits gone without a message reaching the member; `extra`: credits left though it did. */
export interface CrashFigures {
  members: number;
  /** Messages the fake WeChat had received when the server was killed. */
  receivedAtKill: number;
  /** Rows claimed (`sending`) at the kill: the only ones that may go twice. */
  inFlight: number;
  lost: number;
  duplicates: number;
  burned: number;
  extra: number;
  /** Message rows by final status (and reason when not sent). */
  statuses: Record<string, number>;
  seconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function scalar(db: DataSource, sql: string, params: unknown[] = []): Promise<number> {
  const rows = (await db.query(sql, params)) as { n: number | string }[];
  return Number(rows[0]!.n);
}

/** Members with an openid and one credit on the template each, set in SQL (WeChat logins would take minutes). */
async function giveCredits(run: BenchRun, ref: string): Promise<void> {
  const db = await openDatabase(run.temp.database, 1);
  try {
    const openid =
      run.dialect === 'mysql'
        ? "CONCAT('oCRASH', LPAD(id, 22, '0'))"
        : "'oCRASH' || substr('0000000000000000000000' || id, -22, 22)";
    await db.query(`UPDATE member SET openid = ${openid} WHERE external_ref LIKE ?`, [`${ref}%`]);
    await db.query(
      `INSERT INTO subscription_quota (member_id, template_id, remaining, banned)
       SELECT id, ?, 1, ? FROM member WHERE external_ref LIKE ?`,
      [TPL, false, `${ref}%`],
    );
  } finally {
    await db.destroy();
  }
}

async function received(fakeUrl: string): Promise<string[]> {
  const { items } = await json<{ items: { channel: string; touser: string }[] }>(
    `${fakeUrl}/__fake/messages`,
  );
  return items.filter((m) => m.channel === 'subscribe').map((m) => m.touser);
}

/** The run itself, in `run` (a fresh database); `rate` is the subscribe sends per second allowed. */
export async function crashRun(run: BenchRun, members: number, rate = 200): Promise<CrashFigures> {
  const started = performance.now();
  const fake = await run.start(
    'server/dist/fake-wechat/main.js',
    { FAKE_WECHAT_PORT: '0' },
    /listening on (\S+)/,
  );
  const fakeUrl = fake.match[1]!;
  const env = {
    WECHAT_APP_ID: 'wxfake0000000000',
    WECHAT_APP_SECRET: 'fake-secret-for-local-development',
    WECHAT_API_BASE_URL: fakeUrl,
    MESSAGE_DISPATCHER: 'true',
    MESSAGE_CLAIM_SECONDS: '3',
    LOG_LEVEL: 'error',
  };
  let server = await run.server(env);
  let token = await ownerLogin(server.api);
  await run.members(server.api, token, members, 'CR');
  await giveCredits(run, 'CR');
  const templateId = await subscribeBenchSetup(server.api, token, 'crash_notice', rate);
  const { queued } = await json<{ queued: number }>(
    `${server.api}/admin/broadcasts`,
    { templateId: templateId, requestId: 'crash-broadcast' },
    token,
  );
  if (queued !== members) throw new Error(`the broadcast queued ${queued} of ${members}`);

  // Kill once a fifth has gone out.
  for (let i = 0; (await received(fakeUrl)).length < members / 5; i++) {
    if (i > 2400) throw new Error('sending did not start');
    await sleep(25);
  }
  await kill(server.child);
  const db = await openDatabase(run.temp.database, 1);
  try {
    const inFlight = await scalar(db, "SELECT COUNT(*) AS n FROM message WHERE status = 'sending'");
    const receivedAtKill = (await received(fakeUrl)).length;

    server = await run.server(env);
    token = await ownerLogin(server.api);
    for (let i = 0; ; i++) {
      const open = await scalar(
        db,
        "SELECT COUNT(*) AS n FROM message WHERE status IN ('queued', 'sending')",
      );
      if (open === 0) break;
      if (i > 6000) throw new Error(`${open} messages still open after 10 minutes`);
      await sleep(100);
    }
    const touser = await received(fakeUrl);
    const perMember = new Map<string, number>();
    for (const t of touser) perMember.set(t, (perMember.get(t) ?? 0) + 1);
    const quota = (await db.query(
      `SELECT m.openid, q.remaining FROM subscription_quota q JOIN member m ON m.id = q.member_id
       WHERE q.template_id = ?`,
      [TPL],
    )) as { openid: string; remaining: number | string }[];
    let burned = 0;
    let extra = 0;
    for (const q of quota) {
      // One credit each: used by the one message that reached the member, or still there.
      const expected = perMember.has(q.openid) ? 0 : 1;
      const remaining = Number(q.remaining);
      if (remaining < expected) burned += expected - remaining;
      if (remaining > expected) extra += remaining - expected;
    }
    const statuses: Record<string, number> = {};
    for (const s of (await db.query(
      'SELECT status, reason, COUNT(*) AS n FROM message GROUP BY status, reason',
    )) as { status: string; reason: string | null; n: number | string }[])
      statuses[s.reason && s.status !== 'sent' ? `${s.status}/${s.reason}` : s.status] = Number(
        s.n,
      );
    return {
      members,
      receivedAtKill,
      inFlight,
      lost: members - perMember.size,
      duplicates: touser.length - perMember.size,
      burned,
      extra,
      statuses,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await db.destroy();
  }
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

/**
 * The dialect of DATABASE_URL (SQLite when unset); for MySQL/MariaDB, runs create their databases on that server
 * (MYSQL_ADMIN_URL, when not set, becomes DATABASE_URL without its database).
 */
export function dialectFromEnv(): 'sqlite' | 'mysql' {
  const url = process.env.DATABASE_URL;
  if (!url?.startsWith('mysql://')) return 'sqlite';
  if (!process.env.MYSQL_ADMIN_URL) {
    const admin = new URL(url);
    admin.pathname = '/';
    process.env.MYSQL_ADMIN_URL = admin.toString();
  }
  return 'mysql';
}

/** One line per run, as the bench and the test print it. */
export function describeRun(f: CrashFigures): string {
  const statuses = Object.entries(f.statuses)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return (
    `${f.members} members: lost ${f.lost}, burned ${f.burned}, extra ${f.extra}, ` +
    `duplicates ${f.duplicates} (in flight ${f.inFlight}; ${f.receivedAtKill} received at the kill); ` +
    `${statuses}; ${f.seconds.toFixed(1)} s`
  );
}
