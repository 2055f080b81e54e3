/**
 * Sold-out marks: once an item (a mall item, a coupon template) has no stock left, the rest of a rush is refused
 * without a transaction. Each instance keeps its own marks; the stock row itself is the shared signal: a mark older
 * than `recheckMs` is confirmed by one plain read of what is left (shared by every request waiting on it), so a
 * restock or a cancel made on another instance is seen within about that long. Here, clearing happens at once.
 *
 * A mark is only ever a shortcut: the conditional stock UPDATE stays the authority, so a mark set too late (a
 * refusal racing a restock) costs at most `recheckMs` of refusals, and a missing mark only costs a transaction.
 */
export const SOLD_OUT_RECHECK_MS = 1000;

interface Mark {
  checkedAt: number;
  /** The recheck in flight, shared by the requests that found the mark stale. */
  pending?: Promise<boolean>;
}

export class SoldOutMarks {
  private readonly marks = new Map<number, Mark>();
  /** Bumped by each clear: a refusal observed before a clear must not mark the item after it. */
  private readonly clears = new Map<number, number>();

  constructor(
    private readonly recheckMs = SOLD_OUT_RECHECK_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Taken before the write path; passed to `mark` when that write finds no stock. */
  generation(id: number): number {
    return this.clears.get(id) ?? 0;
  }

  /**
   * Whether a request for `id` is refused now without a transaction. `left` reads what is left (null when the
   * item is gone or has no limit); it runs at most once per `recheckMs` per item on this instance.
   */
  async isSoldOut(id: number, left: () => Promise<number | null>): Promise<boolean> {
    const mark = this.marks.get(id);
    if (!mark) return false;
    if (this.clock() - mark.checkedAt < this.recheckMs) return true;
    mark.pending ??= (async () => {
      try {
        const n = await left();
        if (n !== null && n <= 0) {
          mark.checkedAt = this.clock();
          return true;
        }
        if (this.marks.get(id) === mark) this.marks.delete(id);
        return false;
      } catch {
        return false; // the write path answers instead
      } finally {
        mark.pending = undefined;
      }
    })();
    return mark.pending;
  }

  /** The write path found nothing left (its conditional UPDATE took no row). */
  mark(id: number, generation: number): void {
    if (this.generation(id) !== generation) return;
    this.marks.set(id, { checkedAt: this.clock() });
  }

  /** Stock came back (restock, edit, a cancel giving it back): the next request takes the write path again. */
  clear(id: number): void {
    this.marks.delete(id);
    this.clears.set(id, this.generation(id) + 1);
  }
}

/**
 * At most `limit` holders per key at once on this instance; the others wait in memory, in arrival order. A rush on
 * one item queues here instead of on the database's row lock and pool, and whoever waits past the last sale sees the
 * sold-out mark for free.
 */
export class KeyedLimiter {
  private readonly queues = new Map<number, { active: number; waiting: (() => void)[] }>();

  constructor(private readonly limit: number) {}

  async run<T>(key: number, work: () => Promise<T>): Promise<T> {
    let queue = this.queues.get(key);
    if (!queue) this.queues.set(key, (queue = { active: 0, waiting: [] }));
    const q = queue;
    if (q.active >= this.limit) await new Promise<void>((wake) => q.waiting.push(wake));
    else q.active++;
    try {
      return await work();
    } finally {
      const next = q.waiting.shift();
      if (next) next();
      else if (--q.active === 0) this.queues.delete(key);
    }
  }
}
