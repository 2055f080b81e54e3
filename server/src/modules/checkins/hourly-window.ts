/** Counts per key in fixed one-hour windows, in memory, for at most `capacity` keys (oldest forgotten first). */
export class HourlyWindow {
  private readonly counts = new Map<string, { window: number; n: number }>();
  constructor(private readonly capacity: number) {}

  /** Counts one for `key` and answers whether it is still within `limit` this hour. */
  take(key: string, limit: number, nowMs: number): boolean {
    const window = Math.floor(nowMs / 3_600_000);
    const entry = this.counts.get(key);
    const n = entry && entry.window === window ? entry.n : 0;
    if (n >= limit) return false;
    this.counts.delete(key); // re-insert: Map order is then least recently used first
    this.counts.set(key, { window, n: n + 1 });
    if (this.counts.size > this.capacity) this.counts.delete(this.counts.keys().next().value!);
    return true;
  }
}
