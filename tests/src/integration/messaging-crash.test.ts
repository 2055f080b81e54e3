import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApiClient, DEFAULT_MESSAGING_SETTINGS, routes } from '@huoyue/shared';
import { openDatabase } from '@huoyue/server/dist/database.js';
import { loadConfig } from '@huoyue/server/dist/config/config.js';
import { ADMIN, testDatabase } from '../support/test-server.js';
import { startScript, startSharedFake } from '../support/processes.js';

const MEMBERS = Number(process.env.CRASH_MEMBERS ?? 10_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The outbox under a crash, with real processes: a send to 10,000 members is interrupted by SIGKILL of the server
 * and the server restarted. Every member gets the message; the only duplicates are rows that were in flight
 * (claimed, `sending`) at the kill.
 */
describe('message delivery survives a SIGKILL of the server', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'huoyue-crash-'));
  const db = testDatabase(dataDir);
  const children: ChildProcess[] = [];
  let fakeUrl = '';
  let env: Record<string, string> = {};

  const server = async () => {
    const started = await startScript('server/dist/main.js', env, /Huoyue API on (\S+)/);
    children.push(started.child);
    return { child: started.child, api: started.match[1]! };
  };
  const fakeMessages = async () =>
    (
      (await (await fetch(`${fakeUrl}/__fake/messages`)).json()) as {
        items: { channel: string; touser: string }[];
      }
    ).items.filter((m) => m.channel === 'sms');

  before(async () => {
    const shared = await startSharedFake({
      databaseUrl: db.url,
      dataDir,
      admin: ADMIN,
      jwtSecret: 'crash-test-secret-crash-test-secret-0123456789',
    });
    children.push(shared.fake.child);
    fakeUrl = shared.fakeUrl;
    env = { ...shared.env, MESSAGE_CLAIM_SECONDS: '3' };
  });
  after(async () => {
    for (const child of children) child.kill('SIGKILL');
    await sleep(300);
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    `delivers to all ${MEMBERS.toLocaleString('en-US')} members across a kill and a restart`,
    { timeout: 600_000 },
    async () => {
      let { child, api } = await server();
      const login = async () =>
        new ApiClient({ baseUrl: api, getToken: () => token, timeoutMs: 60_000 });
      let token = '';
      token = (await new ApiClient({ baseUrl: api }).call(routes.staff.login, { body: ADMIN }))
        .token;
      const owner = await login();

      // Members with phones, through the member import.
      const phones = Array.from(
        { length: MEMBERS },
        (_, i) => `13${String(100_000_000 + i).slice(0, 9)}`,
      );
      const csv = [
        'member_ref,phone,nickname,birthday,tier_code,points_balance,points_expire_at',
        ...phones.map((p, i) => `${p},,会员${i},,,,`),
      ].join('\n');
      const upload = await fetch(`${api}/admin/imports/members`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
        body: csv,
      });
      const { id: importId } = (await upload.json()) as { id: number };
      for (
        let i = 0;
        (await owner.call(routes.points.getImport, { params: { id: importId } })).status !== 'done';
        i++
      ) {
        assert.ok(i < 600, 'the member import finished');
        await sleep(100);
      }

      await owner.call(routes.messaging.putSettings, {
        body: {
          ...DEFAULT_MESSAGING_SETTINGS,
          quietHours: null,
          ratePerSecond: { subscribe: 20, oa_template: 20, sms: 1000 },
        },
      });
      const template = await owner.call(routes.messaging.createTemplate, {
        body: {
          code: 'store_notice',
          name: '门店通知',
          channel: 'sms',
          purpose: 'transactional',
          smsText: '【会员中心】{{nickname}}，您的会员权益已更新，详情请打开小程序查看。',
        },
      });
      const { queued } = await owner.call(routes.campaigns.broadcast, {
        body: { templateId: template.id, requestId: 'crash-test-broadcast' },
      });
      assert.equal(queued, MEMBERS);
      const again = await owner.call(routes.campaigns.broadcast, {
        body: { templateId: template.id, requestId: 'crash-test-broadcast' },
      });
      assert.equal(again.queued, 0, 'the same broadcast request queues nothing new');

      // Kill the server once a fifth has gone out.
      for (let i = 0; (await fakeMessages()).length < MEMBERS / 5; i++) {
        assert.ok(i < 1200, 'sending started');
        await sleep(50);
      }
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const config = loadConfig({
        DATABASE_URL: db.url,
        DATA_DIR: dataDir,
        JWT_SECRET: env.JWT_SECRET,
      });
      const reader = await openDatabase(config.database, 1);
      const count = async (status: string) =>
        Number(
          (
            (await reader.query('SELECT COUNT(*) AS n FROM message WHERE status = ?', [
              status,
            ])) as { n: number }[]
          )[0]!.n,
        );
      const inFlight = await count('sending');
      const sentAtKill = await count('sent');
      const receivedAtKill = (await fakeMessages()).length;
      await reader.destroy();

      ({ child, api } = await server());
      token = (await new ApiClient({ baseUrl: api }).call(routes.staff.login, { body: ADMIN }))
        .token;
      for (let i = 0; new Set((await fakeMessages()).map((m) => m.touser)).size < MEMBERS; i++) {
        assert.ok(i < 2400, 'every member received the message after the restart');
        await sleep(100);
      }
      await sleep(MEMBERS > 1000 ? 1500 : 500); // let the last outcomes be recorded
      const received = await fakeMessages();
      const perPhone = new Map<string, number>();
      for (const m of received) perPhone.set(m.touser, (perPhone.get(m.touser) ?? 0) + 1);
      const duplicates = received.length - perPhone.size;
      const after = await openDatabase(config.database, 1);
      const statuses = (await after.query(
        'SELECT status, COUNT(*) AS n FROM message GROUP BY status',
      )) as { status: string; n: number }[];
      await after.destroy();
      console.log(
        `crash test: ${MEMBERS} targeted; at the kill ${receivedAtKill} received, ${sentAtKill} recorded sent, ${inFlight} in flight; after the restart ${perPhone.size} members received, ${duplicates} duplicates`,
      );

      assert.equal(perPhone.size, MEMBERS, 'none lost');
      assert.ok(phones.every((p) => perPhone.has(p)));
      assert.ok(
        duplicates <= inFlight,
        `duplicates (${duplicates}) only among the ${inFlight} in flight at the kill`,
      );
      assert.deepEqual(
        statuses.map((s) => [s.status, Number(s.n)]),
        [['sent', MEMBERS]],
      );
    },
  );
});
