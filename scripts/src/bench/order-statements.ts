/**
 * node scripts/dist/bench/order-statements.js — SQL statements per order on MariaDB (it counts mysql2 calls,
 * including BEGIN and COMMIT): the command until its answer, and its consumers until they are done, for orders one at
 * a time and for a burst of BURST orders at once (where batched consumers share statements).
 * ORDER_SERVER_DIST: another build's server/dist (a before), default this one's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import mysql from 'mysql2';
import { createTempDatabase } from '../db/temp-database.js';
import { json, OWNER, ROOT } from './support.js';

const burst = Number(process.env.BURST ?? 100);
const dist = resolve(process.env.ORDER_SERVER_DIST ?? join(ROOT, 'server/dist'));
type Start = typeof import('@huoyue/server/dist/server.js');
type Config = typeof import('@huoyue/server/dist/config/config.js');
const { startServer } = (await import(pathToFileURL(join(dist, 'server.js')).href)) as Start;
const { loadConfig } = (await import(pathToFileURL(join(dist, 'config/config.js')).href)) as Config;

let statements = 0;
for (const proto of [mysql.Connection.prototype] as unknown as Record<string, unknown>[]) {
  for (const method of ['query', 'execute']) {
    const original = proto[method] as (...args: unknown[]) => unknown;
    proto[method] = function (this: unknown, ...args: unknown[]) {
      statements++;
      // SHOW_SQL=1: print each statement (the first 160 characters).
      if (process.env.SHOW_SQL)
        console.log(
          `SQL ${String((args[0] as { sql?: string }).sql ?? args[0])
            .replace(/\s+/g, ' ')
            .slice(0, 160)}`,
        );
      return original.apply(this, args);
    };
  }
}

const temp = await createTempDatabase('mysql', 'huoyue_stmts');
const dataDir = mkdtempSync(join(tmpdir(), 'huoyue-stmts-'));
const server = await startServer(
  loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    FAKE_WECHAT_PORT: '0',
    DATABASE_URL: temp.url,
    DATA_DIR: dataDir,
    DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
    ADMIN_USERNAME: OWNER.username,
    ADMIN_PASSWORD: OWNER.password,
  }),
  { outboxSweepMs: 0, scheduledJobs: false },
);
try {
  const api = server.apiUrl;
  const { token } = await json<{ token: string }>(`${api}/admin/auth/login`, OWNER);
  let n = 0;
  const order = (memberRef: object) =>
    json(
      `${api}/admin/orders`,
      {
        orderNo: `S${n++}`,
        member: memberRef,
        amount: 5_000,
        paidAt: new Date().toISOString(),
      },
      token,
    );
  // 50 offline members, created by their first orders (the warm-up, which also fills the caches).
  const ref = (i: number) => ({ phone: `138${String(10_000_000 + (i % 50)).slice(-8)}` });
  for (let i = 0; i < 50; i++) await order(ref(i));
  await server.settled();
  const rounds = 20;
  let command = 0;
  let consumers = 0;
  for (let i = 0; i < rounds; i++) {
    const before = statements;
    await order(ref(i));
    command += statements - before;
    const answered = statements;
    await server.settled();
    consumers += statements - answered;
  }
  const before = statements;
  await Promise.all(Array.from({ length: burst }, (_, i) => order(ref(i))));
  await server.settled();
  const burstAll = statements - before;
  console.log(
    `statements per order (${dist}): one at a time: command ${(command / rounds).toFixed(1)}, consumers ${(consumers / rounds).toFixed(1)}; ` +
      `a burst of ${burst}: ${(burstAll / burst).toFixed(1)} in all (command and consumers)`,
  );
} finally {
  await server.close();
  await temp.drop();
  rmSync(dataDir, { recursive: true, force: true });
}
