import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { loadConfig } from '@huoyue/server/dist/config/config.js';
import { SharedRateBudget } from '@huoyue/server/dist/infra/limits/rate-budget.js';
import {
  DatabaseCounter,
  RedisCounter,
  type SharedCounter,
} from '@huoyue/server/dist/infra/limits/shared-counter.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** Redis runs beside the database for tests (issue 21); REDIS_URL names another. */
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('shared counter', () => {
  let server: TestServer;
  const counters: { name: string; counter: () => SharedCounter }[] = [];
  let database: DatabaseCounter;
  let redis: RedisCounter;

  before(async () => {
    server = await startTestServer();
    database = new DatabaseCounter(server.dataSource);
    redis = new RedisCounter(new Redis(redisUrl), `huoyue-test:${randomBytes(4).toString('hex')}:`);
  });
  after(async () => {
    await redis.close();
    await server.stop();
  });
  counters.push({ name: 'database', counter: () => database });
  counters.push({ name: 'Redis', counter: () => redis });

  for (const { name, counter } of counters) {
    describe(name, () => {
      it('grants exactly the limit to 100 parallel takers', async () => {
        const key = `t:${randomBytes(4).toString('hex')}`;
        const granted = await Promise.all(
          Array.from({ length: 100 }, () => counter().take(key, 60_000, 30)),
        );
        assert.equal(
          granted.reduce((s, n) => s + n, 0),
          30,
        );
      });

      it('grants batches up to the limit, the last one in part', async () => {
        const key = `b:${randomBytes(4).toString('hex')}`;
        const now = Date.now();
        const granted = await Promise.all(
          Array.from({ length: 10 }, () => counter().take(key, 60_000, 30, 7, now)),
        );
        assert.equal(
          granted.reduce((s, n) => s + n, 0),
          30,
        );
        assert.ok(granted.every((n) => n >= 0 && n <= 7));
      });

      it('starts each window afresh', async () => {
        const key = `w:${randomBytes(4).toString('hex')}`;
        const t = Math.floor(Date.now() / 1000) * 1000;
        assert.equal(await counter().take(key, 1000, 1, 1, t), 1);
        assert.equal(await counter().take(key, 1000, 1, 1, t + 500), 0);
        const next = await counter().add(key, 1000, 1, t + 1000);
        assert.deepEqual(next, { total: 1, resetAt: t + 2000 });
      });

      it('keeps a per-second budget across two instances', async () => {
        const key = `r:${randomBytes(4).toString('hex')}`;
        const a = new SharedRateBudget(counter(), key, 10);
        const b = new SharedRateBudget(counter(), key, 10);
        const at: number[] = [];
        const started = Date.now();
        await Promise.all(
          Array.from({ length: 25 }, (_, i) =>
            (i % 2 ? a : b).take().then(() => at.push(Date.now())),
          ),
        );
        const perSecond = new Map<number, number>();
        for (const t of at)
          perSecond.set(Math.floor(t / 1000), (perSecond.get(Math.floor(t / 1000)) ?? 0) + 1);
        assert.ok(
          [...perSecond.values()].every((n) => n <= 10),
          JSON.stringify([...perSecond]),
        );
        assert.ok(Date.now() - started > 1000, '25 at 10 a second need three windows');
      });
    });
  }

  it('sweeps ended windows from the table', async () => {
    const key = `s:${randomBytes(4).toString('hex')}`;
    await database.add(key, 1000, 1, Date.now() - 10_000);
    await database.sweep();
    const rows = (await server.dataSource.query(
      'SELECT COUNT(*) AS n FROM limit_window WHERE limit_key = ?',
      [key],
    )) as [{ n: number | string }];
    assert.equal(Number(rows[0].n), 0);
  });

  it('refuses a REDIS_URL that is not a Redis address', () => {
    assert.throws(
      () => loadConfig({ REDIS_URL: 'http://localhost:6379', DATA_DIR: server.config.dataDir }),
      /REDIS_URL/,
    );
    const ok = loadConfig({
      REDIS_URL: 'redis://127.0.0.1:6379/2',
      DATA_DIR: server.config.dataDir,
    });
    assert.deepEqual(ok.redis, { url: 'redis://127.0.0.1:6379/2', keyPrefix: 'huoyue:' });
  });
});
