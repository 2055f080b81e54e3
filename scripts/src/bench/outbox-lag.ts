/** The consumers' lag under a benchmark: the outbox as /api/health reports it, and which events were delivered when. */
import { openDatabase } from '@huoyue/server/dist/database.js';
import type { AppConfig } from '@huoyue/server/dist/config/config.js';
import { sqlInstant } from '@huoyue/server/dist/infra/database/bulk.js';
import { json } from './support.js';

interface Outbox {
  undelivered: number;
  oldestAgeSeconds: number;
}

/** Samples /api/health's outbox every half second from `start()` until `drain()` sees it empty. */
export class OutboxLag {
  maxAge = 0;
  maxUndelivered = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly api: string) {}

  start(): void {
    this.timer = setInterval(() => void this.sample().catch(() => undefined), 500);
  }

  async sample(): Promise<Outbox> {
    const { outbox } = await json<{ outbox: Outbox }>(`${this.api}/health`);
    this.maxAge = Math.max(this.maxAge, outbox.oldestAgeSeconds);
    this.maxUndelivered = Math.max(this.maxUndelivered, outbox.undelivered);
    return outbox;
  }

  /** Waits (at most `limitMs`) for every event to be delivered; answers the lag at the start and how long it took. */
  async drain(limitMs = 180_000): Promise<{ atEnd: number; seconds: number; ok: boolean }> {
    clearInterval(this.timer);
    const started = Date.now();
    const atEnd = (await this.sample()).oldestAgeSeconds;
    for (;;) {
      const outbox = await this.sample();
      const seconds = (Date.now() - started) / 1000;
      if (outbox.undelivered === 0) return { atEnd, seconds, ok: true };
      if (Date.now() - started > limitMs) return { atEnd, seconds, ok: false };
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Orders paid in [from, to): how many, and how many had every consumer of `order.paid` done by `to`. */
export async function keptUp(
  database: AppConfig['database'],
  from: Date,
  to: Date,
): Promise<{ orders: number; keptUp: number }> {
  const ds = await openDatabase(database, 2);
  try {
    const [row] = (await ds.query(
      `SELECT COUNT(*) AS orders,
              SUM(CASE WHEN dispatched_at IS NOT NULL AND dispatched_at <= ? THEN 1 ELSE 0 END) AS kept
       FROM domain_event WHERE name = 'order.paid' AND created_at >= ? AND created_at < ?`,
      [to, from, to].map((d) => sqlInstant(database.kind, d)),
    )) as { orders: number | string; kept: number | string | null }[];
    return { orders: Number(row?.orders ?? 0), keptUp: Number(row?.kept ?? 0) };
  } finally {
    await ds.destroy();
  }
}
