import { randomBytes } from 'node:crypto';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { bulkInsert, type Dialect, placeholders, sqlInstant } from '../database/bulk.js';
import { DomainEventDelivery, DomainEventRow } from './domain-event.entity.js';
import type { DomainEventMap, DomainEventName } from './event-map.js';
import { DeliveryQueue, type DeliveryQueueSettings, type QueuedEvent } from './delivery-queue.js';
import { DomainEventHandlers } from './handlers.js';
import { groupBy, type HandlerFailureLog, type Outcome, runHandler } from './handler-runs.js';

export { OnDomainEvent, OnDomainEvents } from './handlers.js';

/** A payload field of a set-based event: a SQL expression over the SELECT's rows, or a value bound as a parameter. */
export type EventField = { sql: string } | string | number | boolean | null;

export interface OutboxSettings {
  /** How often undelivered events are looked for (ms); 0 turns the sweep off. */
  sweepIntervalMs: number;
  /** An event younger than this is still being delivered by the instance that committed it. */
  graceMs: number;
  /** How long a claimed delivery is reserved for the instance that claimed it (ms). */
  leaseMs: number;
  /** Deliver right after commit, in-process (off only in tests that simulate a crash before delivery). */
  deliverAfterCommit: boolean;
  /** In-process consumers: lanes side by side, events per batch, events waiting at most (the rest: the sweep). */
  queue: DeliveryQueueSettings;
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
  private settings: OutboxSettings = {
    sweepIntervalMs: 5000,
    graceMs: 10_000,
    leaseMs: 60_000,
    deliverAfterCommit: true,
    queue: { lanes: 4, batch: 50, maxQueued: 20_000, linger: { ms: 50, perSecond: 500 } },
  };
  private queue: DeliveryQueue | undefined;
  private overflowLogged = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly handlers: DomainEventHandlers,
  ) {}

  configure(settings: Partial<OutboxSettings>): void {
    this.settings = { ...this.settings, ...settings };
    this.queue = undefined;
  }

  /**
   * Hands events just committed to this process's consumers and returns at once: the command answers without
   * waiting for them. Events the queue cannot take are delivered by the sweep.
   */
  enqueue(rows: QueuedEvent[]): void {
    if (rows.length === 0 || !this.settings.deliverAfterCommit) return;
    this.queue ??= new DeliveryQueue(
      (batch) => this.dispatch(batch),
      this.settings.queue,
      (n) => {
        // Once a minute at most: a rush can overflow thousands of times.
        if (Date.now() - this.overflowLogged < 60_000) return;
        this.overflowLogged = Date.now();
        this.logger.warn({ dropped: n }, 'consumers behind: events left to the outbox sweep');
      },
      (err) =>
        this.logger.error({ err }, 'delivery after commit failed; the outbox sweep will deliver'),
    );
    this.queue.push(rows);
  }

  /** Resolves once this process's consumers have nothing left to do (tests and shutdown wait for it). */
  async idle(): Promise<void> {
    await this.queue?.idle();
  }

  /** Events committed here and waiting for their consumers in this process. */
  get queued(): number {
    return this.queue?.size ?? 0;
  }

  get deliversAfterCommit(): boolean {
    return this.settings.deliverAfterCommit;
  }

  onApplicationBootstrap(): void {
    if (this.settings.sweepIntervalMs > 0) {
      this.timer = setInterval(() => void this.sweep(), this.settings.sweepIntervalMs);
      this.timer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.queue?.close(); // batches being delivered finish; the queued rest stays for the next sweep
    await this.sweeping;
  }

  /** A token for a set-based write's events: it publishes with it and drains by it once committed. */
  newBatch(): string {
    return randomBytes(12).toString('hex');
  }

  /**
   * Writes many events of one kind into the outbox in the caller's transaction, as one multi-row insert. They are
   * not delivered at commit: the writer drains them (`drain(batch)`) once committed.
   */
  async publishAll<K extends DomainEventName>(
    em: EntityManager,
    name: K,
    payloads: DomainEventMap[K][],
    batch: string,
  ): Promise<void> {
    if (payloads.length === 0) return;
    await bulkInsert(
      em,
      this.kind,
      'domain_event',
      ['name', 'payload', 'batch'],
      payloads.map((p) => [name, JSON.stringify(p), batch]),
    );
  }

  /**
   * One event per row of `from` (a FROM … WHERE … clause), written with one INSERT … SELECT in the caller's
   * transaction: every payload field is named, as a SQL expression over those rows or a bound value. Drained like
   * publishAll, by `batch`. Answers nothing; the caller counts its rows itself if it needs to.
   */
  async publishSelect<K extends DomainEventName>(
    em: EntityManager,
    name: K,
    payload: { [P in keyof DomainEventMap[K]]-?: EventField },
    select: { from: string; params?: unknown[]; batch: string },
  ): Promise<void> {
    const values: unknown[] = [];
    const pairs = Object.entries(payload as Record<string, EventField>).map(([key, field]) => {
      if (field !== null && typeof field === 'object') return `'${key}', ${field.sql}`;
      values.push(field);
      return `'${key}', ?`;
    });
    // JSON_OBJECT is spelled the same in MySQL, MariaDB and SQLite.
    await em.query(
      `INSERT INTO domain_event (name, payload, batch)
       SELECT ?, JSON_OBJECT(${pairs.join(', ')}), ? ${select.from}`,
      [name, ...values, select.batch, ...(select.params ?? [])],
    );
  }

  /**
   * Delivers events that were just committed, in-process. Events are grouped by name (in commit order); the handlers
   * of one name run concurrently, a batch handler (`@OnDomainEvents`) once for the group, a single one event by
   * event. Events all of whose handlers succeeded are marked delivered with one UPDATE; for the others a delivery row
   * per handler records who succeeded and who is retried (with backoff) by the sweep. Never throws: a failure here
   * is logged and left to the sweep, never turned into the failure of the committed command.
   */
  async dispatch(rows: Pick<DomainEventRow, 'id' | 'name' | 'payload'>[]): Promise<void> {
    try {
      const now = new Date();
      const byEvent = new Map<number, Outcome[]>(rows.map((r) => [r.id, []]));
      for (const [name, group] of groupBy(rows, (r) => r.name)) {
        const items = group.map((r) => ({
          id: r.id,
          payload: JSON.parse(r.payload) as unknown,
          attempt: 1,
        }));
        const results = await Promise.all(
          this.handlers.of(name).map((h) => runHandler(h, items, this.logFailure(name))),
        );
        for (const outcome of results.flat()) byEvent.get(outcome.eventId)!.push(outcome);
      }
      const complete: number[] = [];
      const partial: DeliveryRecord[] = [];
      for (const [id, outcomes] of byEvent) {
        if (outcomes.every((o) => o.error === undefined)) complete.push(id);
        else partial.push(...outcomes.map((o) => this.record(o, now)));
      }
      await this.markDispatched(complete, now);
      await bulkInsert(
        this.dataSource.manager,
        this.kind,
        'domain_event_delivery',
        ['event_id', 'handler', 'attempts', 'next_attempt_at', 'delivered_at', 'last_error'],
        partial.map((d) => [
          d.eventId,
          d.handler,
          1,
          d.nextAttemptAt && sqlInstant(this.kind, d.nextAttemptAt),
          d.deliveredAt && sqlInstant(this.kind, d.deliveredAt),
          d.lastError,
        ]),
        { ignore: true },
      );
    } catch (err) {
      this.logger.error({ err }, 'delivery after commit failed; the outbox sweep will deliver');
    }
  }

  /**
   * Delivers, in batches, the undelivered events of a set-based write (`batch`; all undelivered events without it):
   * for writers that publish thousands of events with one INSERT … SELECT (the lifecycle recompute). Events already
   * tracked per handler are left to the sweep. The id cursor only pages through rows committed before the drain,
   * so it does not depend on the order ids were allocated in. Answers how many were delivered.
   */
  async drain(batch?: string, batchSize = 500): Promise<number> {
    let delivered = 0;
    for (let from = 0; ;) {
      const rows = (await this.dataSource.query(
        `SELECT e.id, e.name, e.payload FROM domain_event e
         WHERE e.dispatched_at IS NULL AND e.id > ?${batch === undefined ? '' : ' AND e.batch = ?'}
           AND NOT EXISTS (SELECT 1 FROM domain_event_delivery d WHERE d.event_id = e.id)
         ORDER BY e.id LIMIT ${Number(batchSize)}`,
        batch === undefined ? [from] : [from, batch],
      )) as { id: number | string; name: string; payload: string }[];
      if (rows.length === 0) return delivered;
      // Events committed meanwhile by commands of this process are their queue's to deliver, not twice.
      const mine = rows
        .map((r) => ({ ...r, id: Number(r.id) }))
        .filter((r) => !this.queue?.holds(r.id));
      await this.dispatch(mine);
      delivered += mine.length;
      from = Number(rows[rows.length - 1]!.id);
    }
  }

  /**
   * Catches up on what in-process delivery left: writes the delivery rows of events nobody delivered (a crash),
   * then claims the due deliveries one by one and runs each handler alone.
   */
  sweep(now = new Date()): Promise<void> {
    this.sweeping ??= this.doSweep(now).finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  /** How far delivery is behind: undelivered events and the oldest one's age (0 when none). */
  async backlog(now = new Date()): Promise<{ undelivered: number; oldestAgeSeconds: number }> {
    const repo = this.dataSource.getRepository(DomainEventRow);
    const undelivered = await repo.countBy({ dispatchedAt: IsNull() });
    if (undelivered === 0) return { undelivered, oldestAgeSeconds: 0 };
    const [oldest] = await repo.find({
      where: { dispatchedAt: IsNull() },
      order: { id: 'ASC' },
      take: 1,
    });
    const age = oldest ? (now.getTime() - oldest.createdAt.getTime()) / 1000 : 0;
    return { undelivered, oldestAgeSeconds: Math.max(0, Math.round(age)) };
  }

  private get kind(): Dialect {
    return this.dataSource.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
  }

  private async doSweep(now: Date): Promise<void> {
    try {
      await this.materialise(now);
      // Failures move their next attempt past `now` and claimed rows are skipped, so each round finds new rows.
      for (let round = 0; round < 50; round++) {
        if ((await this.deliverDue(now)) < SWEEP_BATCH) break;
      }
      await this.prune(now);
    } catch (err) {
      this.logger.error({ err }, 'outbox sweep failed');
    }
  }

  private logFailure(event: string): HandlerFailureLog {
    return (err, c) =>
      this.logger.warn(
        { err, event, id: c.eventId, handler: c.handler, attempts: c.attempt, batch: c.batch },
        c.batch > 1
          ? 'domain event batch failed; running its events one by one'
          : 'domain event handler failed; will retry',
      );
  }

  private record(outcome: Outcome, now: Date): DeliveryRecord {
    const failed = outcome.error !== undefined;
    return {
      eventId: outcome.eventId,
      handler: outcome.handler,
      deliveredAt: failed ? null : now,
      nextAttemptAt: failed ? new Date(now.getTime() + backoffMs(outcome.attempt)) : null,
      lastError: outcome.error ?? null,
    };
  }

  private async markDispatched(ids: number[], now: Date): Promise<void> {
    // One UPDATE for a batch: a write path that publishes three events pays for one round trip.
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      await this.dataSource.query(
        `UPDATE domain_event SET dispatched_at = ? WHERE id IN (${placeholders(chunk.length)})`,
        [sqlInstant(this.kind, now), ...chunk],
      );
    }
  }

  /** Events older than the grace period with no delivery rows: the process died before delivering them. */
  private async materialise(now: Date): Promise<void> {
    const cutoff = new Date(now.getTime() - this.settings.graceMs);
    for (;;) {
      const events = (await this.dataSource.query(
        `SELECT e.id, e.name FROM domain_event e
         WHERE e.dispatched_at IS NULL AND e.created_at < ?
           AND NOT EXISTS (SELECT 1 FROM domain_event_delivery d WHERE d.event_id = e.id)
         ORDER BY e.id LIMIT ${SWEEP_BATCH}`,
        [sqlInstant(this.kind, cutoff)],
      )) as { id: number | string; name: string }[];
      const rows: unknown[][] = [];
      const unhandled: number[] = [];
      for (const e of events) {
        const handlers = this.handlers.of(e.name);
        if (handlers.length === 0) unhandled.push(Number(e.id));
        for (const h of handlers) rows.push([Number(e.id), h.name, 0]);
      }
      await this.markDispatched(unhandled, now);
      await bulkInsert(
        this.dataSource.manager,
        this.kind,
        'domain_event_delivery',
        ['event_id', 'handler', 'attempts'],
        rows,
        { ignore: true },
      );
      if (events.length < SWEEP_BATCH) return;
    }
  }

  /** Claims and runs one batch of due deliveries; answers how many it looked at. */
  private async deliverDue(now: Date): Promise<number> {
    const at = sqlInstant(this.kind, now);
    const due = (await this.dataSource.query(
      `SELECT d.event_id AS eventId, d.handler, d.attempts, e.name, e.payload
       FROM domain_event_delivery d JOIN domain_event e ON e.id = d.event_id
       WHERE d.delivered_at IS NULL AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= ?)
         AND (d.claimed_until IS NULL OR d.claimed_until < ?)
       ORDER BY d.event_id LIMIT ${SWEEP_BATCH}`,
      [at, at],
    )) as {
      eventId: number | string;
      handler: string;
      attempts: number | string;
      name: string;
      payload: string;
    }[];
    const claimed: typeof due = [];
    for (const d of due) if (await this.claim(Number(d.eventId), d.handler, now)) claimed.push(d);
    // The same batch path as after commit: each handler takes its claimed events at once, one by one on failure.
    for (const group of groupBy(claimed, (d) => `${d.name} ${d.handler}`).values()) {
      const { name, handler: handlerName } = group[0]!;
      const items = group.map((d) => ({
        id: Number(d.eventId),
        payload: JSON.parse(d.payload) as unknown,
        attempt: Number(d.attempts) + 1,
      }));
      const handler = this.handlers.named(name, handlerName);
      if (!handler) this.logger.warn({ event: name, handler: handlerName }, 'no such handler now');
      const outcomes: Outcome[] = handler
        ? await runHandler(handler, items, this.logFailure(name))
        : // Removed by a deploy: nothing to run.
          items.map((i) => ({ eventId: i.id, handler: handlerName, attempt: i.attempt }));
      await this.settleDelivered(
        handlerName,
        outcomes.filter((o) => o.error === undefined).map((o) => o.eventId),
        now,
      );
      for (const o of outcomes.filter((x) => x.error !== undefined))
        await this.settle(this.record(o, now), o.attempt);
    }
    await this.completeEvents([...new Set(claimed.map((d) => Number(d.eventId)))], now);
    return due.length;
  }

  /** A conditional UPDATE wins once, so two instances never run the same delivery at the same time. */
  private async claim(eventId: number, handler: string, now: Date): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(DomainEventDelivery)
      .set({ claimedUntil: new Date(now.getTime() + this.settings.leaseMs) })
      .where(
        `event_id = :eventId AND handler = :handler AND delivered_at IS NULL
         AND (claimed_until IS NULL OR claimed_until < :now)`,
        { eventId, handler, now: sqlInstant(this.kind, now) },
      )
      .execute();
    return result.affected === 1;
  }

  /** Records a handler's successful deliveries with one UPDATE. */
  private async settleDelivered(handler: string, ids: number[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(
      `UPDATE domain_event_delivery
       SET attempts = attempts + 1, claimed_until = NULL, delivered_at = ?, next_attempt_at = NULL,
           last_error = NULL
       WHERE handler = ? AND event_id IN (${placeholders(ids.length)})`,
      [sqlInstant(this.kind, now), handler, ...ids],
    );
  }

  private async settle(d: DeliveryRecord, attempts: number): Promise<void> {
    await this.dataSource.getRepository(DomainEventDelivery).update(
      { eventId: d.eventId, handler: d.handler },
      {
        attempts,
        claimedUntil: null,
        deliveredAt: d.deliveredAt,
        nextAttemptAt: d.nextAttemptAt,
        lastError: d.lastError,
      },
    );
  }

  /** Marks delivered the events none of whose handlers is still pending. */
  private async completeEvents(ids: number[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(
      `UPDATE domain_event SET dispatched_at = ?
       WHERE id IN (${placeholders(ids.length)}) AND dispatched_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM domain_event_delivery d
                         WHERE d.event_id = domain_event.id AND d.delivered_at IS NULL)`,
      [sqlInstant(this.kind, now), ...ids],
    );
  }

  /** Delivered events are kept a week for investigation, then pruned with their delivery rows. */
  private async prune(now: Date): Promise<void> {
    const cutoff = sqlInstant(this.kind, new Date(now.getTime() - 7 * 86_400_000));
    await this.dataSource.query(
      `DELETE FROM domain_event_delivery WHERE event_id IN
         (SELECT id FROM domain_event WHERE dispatched_at < ?)`,
      [cutoff],
    );
    await this.dataSource.query('DELETE FROM domain_event WHERE dispatched_at < ?', [cutoff]);
  }
}

interface DeliveryRecord {
  eventId: number;
  handler: string;
  deliveredAt: Date | null;
  nextAttemptAt: Date | null;
  lastError: string | null;
}

const SWEEP_BATCH = 200;

/** Back off: 10 s, 20 s, 40 s ... up to an hour between tries of one handler. */
const backoffMs = (attempts: number) =>
  Math.min(3_600_000, 10_000 * 2 ** Math.min(attempts - 1, 9));

export type { DomainEventMap, DomainEventName };
