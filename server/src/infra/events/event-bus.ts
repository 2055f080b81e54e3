import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import { DataSource, type EntityManager, IsNull, LessThan, Or } from 'typeorm';
import { bulkInsert } from '../database/bulk.js';
import { DomainEventRow } from './domain-event.entity.js';
import type { DomainEventMap, DomainEventName } from './event-map.js';

/** A payload field of a set-based event: a SQL expression over the SELECT's rows, or a value bound as a parameter. */
export type EventField = { sql: string } | string | number | boolean | null;

/** Subscribes a method to a domain event. Errors propagate so the outbox retries the delivery. */
export const OnDomainEvent = (name: DomainEventName) => OnEvent(name, { suppressErrors: false });

export interface OutboxSettings {
  /** How often undelivered events are looked for (ms); 0 turns the sweep off. */
  sweepIntervalMs: number;
  /** An event younger than this is still being delivered by the instance that committed it. */
  graceMs: number;
}
export const OUTBOX_SETTINGS = Symbol('OUTBOX_SETTINGS');

/**
 * Delivers domain events in-process after the transaction that wrote them commits (see UnitOfWork), and
 * redelivers any that a crash or a failing handler left behind. Delivery is at least once: handlers are idempotent.
 */
@Injectable()
export class EventBus implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EventBus');
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private settings: OutboxSettings = { sweepIntervalMs: 5000, graceMs: 10_000 };

  constructor(
    private readonly dataSource: DataSource,
    private readonly emitter: EventEmitter2,
  ) {}

  configure(settings: Partial<OutboxSettings>): void {
    this.settings = { ...this.settings, ...settings };
  }

  onApplicationBootstrap(): void {
    if (this.settings.sweepIntervalMs > 0) {
      this.timer = setInterval(() => void this.sweep(), this.settings.sweepIntervalMs);
      this.timer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sweeping;
  }

  /** The newest event's id: set-based writers drain what they publish after it, once committed. */
  async lastId(em: EntityManager = this.dataSource.manager): Promise<number> {
    const [row] = (await em.query('SELECT COALESCE(MAX(id), 0) AS last FROM domain_event')) as {
      last: number | string;
    }[];
    return Number(row?.last ?? 0);
  }

  /**
   * Writes many events of one kind into the outbox in the caller's transaction, as one multi-row insert. They are
   * not delivered at commit: the writer drains them (`drain(lastId)`) once committed.
   */
  async publishAll<K extends DomainEventName>(
    em: EntityManager,
    name: K,
    payloads: DomainEventMap[K][],
  ): Promise<void> {
    if (payloads.length === 0) return;
    await bulkInsert(
      em,
      this.dataSource.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql',
      'domain_event',
      ['name', 'payload', 'attempts'],
      payloads.map((p) => [name, JSON.stringify(p), 0]),
    );
  }

  /**
   * One event per row of `from` (a FROM … WHERE … clause), written with one INSERT … SELECT in the caller's
   * transaction: every payload field is named, as a SQL expression over those rows or a bound value. Drained like
   * publishAll. Answers nothing; the caller counts its rows itself if it needs to.
   */
  async publishSelect<K extends DomainEventName>(
    em: EntityManager,
    name: K,
    payload: { [P in keyof DomainEventMap[K]]-?: EventField },
    from: string,
    params: unknown[] = [],
  ): Promise<void> {
    const values: unknown[] = [];
    const pairs = Object.entries(payload as Record<string, EventField>).map(([key, field]) => {
      if (field !== null && typeof field === 'object') return `'${key}', ${field.sql}`;
      values.push(field);
      return `'${key}', ?`;
    });
    // JSON_OBJECT is spelled the same in MySQL, MariaDB and SQLite.
    await em.query(
      `INSERT INTO domain_event (name, payload, attempts)
       SELECT ?, JSON_OBJECT(${pairs.join(', ')}), 0 ${from}`,
      [name, ...values, ...params],
    );
  }

  /** Delivers rows that were just committed. Failures stay in the outbox for the sweep. */
  async dispatch(rows: DomainEventRow[]): Promise<void> {
    const delivered: number[] = [];
    for (const row of rows) if (await this.deliver(row, false)) delivered.push(row.id);
    // One UPDATE for the whole batch: a write path that publishes three events pays for one round trip.
    if (delivered.length > 0) {
      await this.dataSource
        .getRepository(DomainEventRow)
        .createQueryBuilder()
        .update()
        .set({ dispatchedAt: new Date(), attempts: () => 'attempts + 1', lastError: null })
        .whereInIds(delivered)
        .execute();
    }
  }

  /**
   * Delivers, in batches, the undelivered events after `afterId`: for set-based writers that publish thousands of
   * events with one INSERT … SELECT (the lifecycle recompute). Answers how many were delivered.
   */
  async drain(afterId: number, batchSize = 500): Promise<number> {
    const repo = this.dataSource.getRepository(DomainEventRow);
    let delivered = 0;
    for (let from = afterId; ;) {
      const rows = await repo
        .createQueryBuilder('e')
        .where('e.id > :from AND e.dispatched_at IS NULL', { from })
        .orderBy('e.id', 'ASC')
        .take(batchSize)
        .getMany();
      if (rows.length === 0) return delivered;
      await this.dispatch(rows);
      delivered += rows.length;
      from = rows[rows.length - 1]!.id;
    }
  }

  /** Finds events nobody delivered (crash, failing handler), claims each, and delivers it. */
  sweep(now = new Date()): Promise<void> {
    this.sweeping ??= this.doSweep(now).finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async doSweep(now: Date): Promise<void> {
    try {
      const repo = this.dataSource.getRepository(DomainEventRow);
      const due = await repo.find({
        where: {
          dispatchedAt: IsNull(),
          createdAt: LessThan(new Date(now.getTime() - this.settings.graceMs)),
          claimedUntil: Or(IsNull(), LessThan(now)),
        },
        order: { id: 'ASC' },
        take: 200,
      });
      for (const row of due) {
        // Claim before delivering so two instances do not both deliver it (a conditional update wins once).
        const claim = await repo
          .createQueryBuilder()
          .update()
          .set({ claimedUntil: new Date(now.getTime() + 60_000) })
          .where(
            'id = :id AND dispatched_at IS NULL AND (claimed_until IS NULL OR claimed_until < :now)',
            { id: row.id, now },
          )
          .execute();
        if (claim.affected === 1) await this.deliver(row);
      }
      // Delivered events are kept a week for investigation, then pruned.
      await repo.delete({ dispatchedAt: LessThan(new Date(now.getTime() - 7 * 86_400_000)) });
    } catch (err) {
      this.logger.error({ err }, 'outbox sweep failed');
    }
  }

  /** Runs the handlers; marks the row delivered unless the caller marks a batch. Answers whether they all succeeded. */
  private async deliver(row: DomainEventRow, mark = true): Promise<boolean> {
    const repo = this.dataSource.getRepository(DomainEventRow);
    try {
      await this.emitter.emitAsync(row.name, JSON.parse(row.payload) as unknown);
      if (mark)
        await repo.update(
          { id: row.id },
          { dispatchedAt: new Date(), attempts: row.attempts + 1, lastError: null },
        );
      return true;
    } catch (err) {
      const attempts = row.attempts + 1;
      // Back off: 10 s, 20 s, 40 s ... up to an hour between tries.
      const delayMs = Math.min(3_600_000, 10_000 * 2 ** Math.min(attempts - 1, 9));
      this.logger.warn(
        { err, event: row.name, id: row.id, attempts },
        'domain event handler failed; will retry',
      );
      await repo
        .update(
          { id: row.id },
          {
            attempts,
            lastError: String(err).slice(0, 500),
            claimedUntil: new Date(Date.now() + delayMs),
          },
        )
        .catch(() => undefined);
      return false;
    }
  }
}

export type { DomainEventMap, DomainEventName };
