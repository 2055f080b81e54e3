import type { DomainEventRow } from './domain-event.entity.js';

export type QueuedEvent = Pick<DomainEventRow, 'id' | 'name' | 'payload'>;

export interface DeliveryQueueSettings {
  /** Consumers running side by side; one member's events always go to the same lane, in order. */
  lanes: number;
  /** Events a lane hands its consumers at a time. */
  batch: number;
  /** Beyond this many waiting events, new ones are left to the outbox sweep (a rush faster than its consumers). */
  maxQueued: number;
  /**
   * Under a rush (more than `perSecond` events pushed), a lane with fewer than `batch` waiting waits `ms` for more
   * before delivering: a consumer's transaction costs about the same for 3 events as for 50, so fuller batches leave
   * the database to the commands. Below that rate consumers run at once.
   */
  linger?: { ms: number; perSecond: number };
}

/** Events pushed per second, over the last 100 to 200 ms. */
export class PushRate {
  private windowStart = 0;
  private current = 0;
  private previous = 0;

  note(n: number, now = Date.now()): void {
    if (now - this.windowStart >= 100) {
      this.previous = now - this.windowStart < 200 ? this.current : 0;
      this.windowStart = now;
      this.current = 0;
    }
    this.current += n;
  }

  perSecond(now = Date.now()): number {
    const elapsed = now - this.windowStart;
    if (elapsed >= 200) return 0;
    // Early in a window, the previous one (about 100 ms) counts too: a rush is seen from its second window on.
    if (elapsed < 100) return ((this.previous + this.current) * 1000) / (100 + elapsed);
    return (this.current * 1000) / elapsed;
  }
}

/**
 * Events just committed, waiting for their consumers in this process. The command that wrote them has answered
 * already: consumers run after the answer, never inside the command's transaction or its retries. Whatever is
 * not delivered here (a crash, an overflow, a failing handler) stays undelivered in the outbox for the sweep.
 */
export class DeliveryQueue {
  private readonly lanes: QueuedEvent[][];
  private readonly running: (Promise<void> | undefined)[];
  private waiting = 0;
  private closed = false;
  /** Ids queued or being delivered here: `EventBus.drain` leaves them to this queue. */
  private readonly held = new Set<number>();
  private readonly rate = new PushRate();

  constructor(
    private readonly deliver: (rows: QueuedEvent[]) => Promise<void>,
    private readonly settings: DeliveryQueueSettings,
    private readonly onOverflow: (dropped: number) => void = () => {},
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    this.lanes = Array.from({ length: settings.lanes }, () => []);
    this.running = Array.from({ length: settings.lanes }, () => undefined);
  }

  /** Queues committed events; answers how many were taken (the rest wait for the sweep). */
  push(rows: QueuedEvent[]): number {
    if (this.closed) return 0;
    const room = Math.max(0, this.settings.maxQueued - this.waiting);
    const taken = rows.slice(0, room);
    if (taken.length < rows.length) this.onOverflow(rows.length - taken.length);
    this.rate.note(taken.length);
    for (const row of taken) {
      const lane = laneOf(row, this.lanes.length);
      this.lanes[lane]!.push(row);
      this.held.add(row.id);
      this.waiting++;
      this.start(lane);
    }
    return taken.length;
  }

  /** Resolves once nothing is waiting or being delivered, including what the delivered events caused. */
  async idle(): Promise<void> {
    for (;;) {
      const busy = this.running.filter((p): p is Promise<void> => p !== undefined);
      if (busy.length === 0) return;
      await Promise.all(busy);
    }
  }

  /** Takes no more events; finishes the batches being delivered. What was queued stays for the sweep. */
  async close(): Promise<void> {
    this.closed = true;
    for (const lane of this.lanes) {
      this.waiting -= lane.length;
      for (const row of lane) this.held.delete(row.id);
      lane.length = 0;
    }
    await this.idle();
  }

  get size(): number {
    return this.waiting;
  }

  /** Whether this event is queued or being delivered here. */
  holds(id: number): boolean {
    return this.held.has(id);
  }

  private start(lane: number): void {
    if (this.running[lane]) return;
    this.running[lane] = this.pump(lane).finally(() => {
      this.running[lane] = undefined;
      // Events pushed while the pump was finishing: start again rather than leave them waiting.
      if (this.lanes[lane]!.length > 0) this.start(lane);
    });
  }

  private async pump(lane: number): Promise<void> {
    // Let the command's answer go out before its consumers take the CPU.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const queue = this.lanes[lane]!;
    const { batch: size, linger } = this.settings;
    while (queue.length > 0) {
      if (linger && queue.length < size && this.rate.perSecond() > linger.perSecond)
        await new Promise<void>((resolve) => setTimeout(resolve, linger.ms));
      const batch = queue.splice(0, size);
      this.waiting -= batch.length;
      try {
        await this.deliver(batch);
      } catch (err) {
        // Whatever was not marked delivered stays in the outbox: the sweep finds it after the grace period.
        this.onError(err);
      } finally {
        for (const row of batch) this.held.delete(row.id);
      }
    }
  }
}

/** The lane of an event: by member, so one member's events are consumed in the order they were committed. */
function laneOf(row: QueuedEvent, lanes: number): number {
  const match = /"(?:memberId|survivorId)":(\d+)/.exec(row.payload);
  const key = match ? Number(match[1]) : row.id;
  return key % lanes;
}
