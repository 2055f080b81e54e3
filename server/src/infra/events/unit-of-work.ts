import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { insertReturningIds } from '../database/bulk.js';
import { sqliteGate } from '../database/sqlite-gate.js';
import { DomainEventRow } from './domain-event.entity.js';
import { EventBus } from './event-bus.js';
import type { DomainEventMap, DomainEventName } from './event-map.js';

/** What a unit of work hands its body: the transaction's entity manager and a way to announce what happened. */
export class Tx {
  /** Events published in this transaction, written to the outbox together just before it commits. */
  private readonly pending: { name: DomainEventName; payload: string }[] = [];

  constructor(
    readonly em: EntityManager,
    private readonly outbox: DomainEventRow[],
    private readonly committed: (() => void)[] = [],
  ) {}

  /** Runs `fn` once this transaction has committed (never on rollback); for in-process caches, must not throw. */
  afterCommit(fn: () => void): void {
    this.committed.push(fn);
  }

  /**
   * Records the event in the outbox of this transaction; it is delivered only if the transaction commits. The rows
   * are written by one multi-row INSERT when the work is done (`flush`), so a command that announces three things
   * costs one statement, not three.
   */
  async publish<K extends DomainEventName>(name: K, payload: DomainEventMap[K]): Promise<void> {
    this.pending.push({ name, payload: JSON.stringify(payload) });
  }

  /** Many events of one kind; written and delivered like `publish`. */
  async publishMany<K extends DomainEventName>(
    name: K,
    payloads: DomainEventMap[K][],
  ): Promise<void> {
    for (const p of payloads) this.pending.push({ name, payload: JSON.stringify(p) });
  }

  /** Writes the published events, in the order published (UnitOfWork calls it before the commit). */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const rows = this.pending.splice(0);
    const kind = this.em.connection.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
    const ids = await insertReturningIds(
      this.em,
      kind,
      'domain_event',
      ['name', 'payload'],
      rows.map((r) => [r.name, r.payload]),
    );
    ids.forEach((id, i) => this.outbox.push({ id, ...rows[i]! } as DomainEventRow));
  }
}

const RETRIABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY']);
/**
 * By number too: 1213 deadlock, 1205 lock wait (MySQL, MariaDB, TiDB), 9007 `Write conflict` (TiDB, whose
 * optimistic and autocommit statements fail so), which mysql2 has no name for.
 */
const RETRIABLE_ERRNO = new Set([1213, 1205, 9007]);

export function isRetriable(err: unknown): boolean {
  type DriverError = { code?: string; errno?: number };
  const e = err as (DriverError & { driverError?: DriverError }) | null;
  if (RETRIABLE.has(e?.code ?? '') || RETRIABLE.has(e?.driverError?.code ?? '')) return true;
  return RETRIABLE_ERRNO.has(e?.errno ?? 0) || RETRIABLE_ERRNO.has(e?.driverError?.errno ?? 0);
}

/**
 * Runs work in one transaction, retries the transaction (only) on deadlock, and hands the events it published to
 * the consumers after commit. Every write that moves state goes through here, so "state changed" and "event
 * recorded" are one fact. Delivery is outside the retry loop and off the answer's path: once committed, the work is
 * never run again, and a consumer's failure is retried by the outbox, never turned into the command's failure.
 */
@Injectable()
export class UnitOfWork {
  private readonly logger = new Logger('UnitOfWork');

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
  ) {}

  async run<T>(work: (tx: Tx) => Promise<T>, attempts = 4): Promise<T> {
    const { result, outbox, committed } = await this.commit(work, attempts);
    // After-commit hooks (in-process marks, e.g. a sold-out mark cleared) run once, outside the retry loop.
    for (const fn of committed) fn();
    // Consumers run after the answer (see DeliveryQueue): committed work is never re-run and never waits for them.
    this.bus.enqueue(outbox);
    return result;
  }

  private async commit<T>(
    work: (tx: Tx) => Promise<T>,
    attempts: number,
  ): Promise<{ result: T; outbox: DomainEventRow[]; committed: (() => void)[] }> {
    for (let attempt = 1; ; attempt++) {
      const outbox: DomainEventRow[] = [];
      const committed: (() => void)[] = [];
      try {
        const transaction = () =>
          this.dataSource.transaction(async (em) => {
            const tx = new Tx(em, outbox, committed);
            const result = await work(tx);
            await tx.flush();
            return result;
          });
        // SQLite: one transaction at a time on the shared connection (see SqliteGate); MySQL: the pool's connections.
        const gate = sqliteGate(this.dataSource);
        const result = gate ? await gate.exclusive(transaction) : await transaction();
        return { result, outbox, committed };
      } catch (err) {
        if (attempt >= attempts || !isRetriable(err)) throw err;
        this.logger.warn(
          {
            attempt,
            code:
              (err as { code?: string }).code ??
              (err as { driverError?: { code?: string } }).driverError?.code,
          },
          'transaction retried after a deadlock, lock wait, write conflict or changed read',
        );
        await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
      }
    }
  }
}
