import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import { dialectOf, flavourOf, hasInsertReturning, onDuplicateKey } from '../database/dialect.js';

/** A window's total after a hit, and when the window ends (epoch ms). */
export interface WindowHit {
  total: number;
  resetAt: number;
}

/**
 * Counters in fixed windows shared by every server instance: "take n from key K in window W, limit L". Limits that
 * live in one process's memory multiply with the instances (issue 21: 50 wrong passwords over two instances were
 * all answered 401). Each hit is one atomic increment that answers the new total, and the limit is checked against
 * that total: never a count followed by a write. A refused hit still counts, so a window once full stays full.
 */
export abstract class SharedCounter {
  abstract readonly backend: 'database' | 'redis';

  /** Adds `n` to the key's current window of `windowMs` and answers the window's total, these `n` included. */
  abstract add(key: string, windowMs: number, n?: number, now?: number): Promise<WindowHit>;

  /** Takes up to `n` of the window's `limit`: how many were granted (0 when the window is full). */
  async take(
    key: string,
    windowMs: number,
    limit: number,
    n = 1,
    now = Date.now(),
  ): Promise<number> {
    const { total } = await this.add(key, windowMs, n, now);
    return Math.max(0, Math.min(n, limit - (total - n)));
  }

  /** Stops background work and connections. */
  async close(): Promise<void> {}
}

const windowOf = (windowMs: number, now: number) => {
  const start = Math.floor(now / windowMs) * windowMs;
  return { start, resetAt: start + windowMs };
};

/**
 * The default: a row per (key, window) in `limit_window`, added to by one upsert. MariaDB and SQLite answer the
 * new total with RETURNING in the same statement; MySQL 8 reads it back in the same transaction (the upsert holds
 * the row's lock until then, so the total read is ours). Ended windows are deleted on write, at most once a minute
 * per instance.
 */
export class DatabaseCounter extends SharedCounter {
  readonly backend = 'database' as const;
  private lastSweep = 0;

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async add(key: string, windowMs: number, n = 1, now = Date.now()): Promise<WindowHit> {
    const { start, resetAt } = windowOf(windowMs, now);
    const kind = dialectOf(this.dataSource);
    const upsert = `INSERT INTO limit_window (limit_key, window_start, hits, expires_at) VALUES (?, ?, ?, ?)
      ${onDuplicateKey(kind, ['limit_key', 'window_start'], 'hits = hits + ?')}`;
    const params = [key, start, n, resetAt, n];
    const run = async (): Promise<number> => {
      if (hasInsertReturning(flavourOf(this.dataSource))) {
        const rows = (await this.dataSource.query(`${upsert} RETURNING hits`, params)) as {
          hits: number | string;
        }[];
        return Number(rows[0]!.hits);
      }
      return this.dataSource.transaction(async (em) => {
        await em.query(upsert, params);
        const rows = (await em.query(
          'SELECT hits FROM limit_window WHERE limit_key = ? AND window_start = ?',
          [key, start],
        )) as { hits: number | string }[];
        return Number(rows[0]!.hits);
      });
    };
    const total = await run();
    if (now - this.lastSweep > 60_000) {
      this.lastSweep = now;
      void this.sweep(now).catch(() => undefined); // garbage only: the next sweep retries
    }
    return { total, resetAt };
  }

  /** Deletes ended windows (a bounded batch per sweep keeps each DELETE short). */
  async sweep(now = Date.now()): Promise<void> {
    await this.dataSource.query(
      dialectOf(this.dataSource) === 'mysql'
        ? 'DELETE FROM limit_window WHERE expires_at < ? LIMIT 5000'
        : 'DELETE FROM limit_window WHERE expires_at < ?',
      [now],
    );
  }
}

/**
 * With REDIS_URL: INCRBY and PEXPIRE of a key per window in one Lua script (atomic, one round trip); the key
 * expires with its window, so nothing is swept. While Redis cannot be reached the limits are not applied (a
 * warning is logged): an outage of the limit store should not stop logins and check-ins; the per-account login
 * lock lives in the database and still holds.
 */
export class RedisCounter extends SharedCounter {
  readonly backend = 'redis' as const;
  private readonly logger = new Logger('SharedCounter');
  private lastWarning = 0;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    super();
    redis.defineCommand('limitAdd', {
      numberOfKeys: 1,
      lua: `local n = redis.call('INCRBY', KEYS[1], ARGV[1])
            if n == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return n`,
    });
  }

  async add(key: string, windowMs: number, n = 1, now = Date.now()): Promise<WindowHit> {
    const { start, resetAt } = windowOf(windowMs, now);
    const redisKey = `${this.prefix}limit:${key}:${start}`;
    try {
      const command = (this.redis as unknown as Record<string, RedisScript>).limitAdd!;
      const total = await command.call(this.redis, redisKey, n, Math.max(1, resetAt - now) + 1000);
      return { total: Number(total), resetAt };
    } catch (err) {
      if (now - this.lastWarning > 10_000) {
        this.lastWarning = now;
        this.logger.warn({ err }, 'Redis unreachable: shared limits are not applied');
      }
      return { total: 0, resetAt };
    }
  }

  override async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

type RedisScript = (this: Redis, key: string, n: number, ttlMs: number) => Promise<number>;
