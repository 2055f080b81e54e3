/**
 * A value read often and changed rarely (settings, the tier ladder, badge definitions), served from memory. When
 * it is older than `ttlMs` the stale value is still served while one refresh runs in the background; only the very
 * first read waits (services warm their caches at start-up). So code inside a transaction never waits for a
 * second pool connection: with every connection held by a transaction waiting for one more, the pool would wait
 * forever (it did, under 20 concurrent orders at a cache expiry).
 */
export class SwrCache<T> {
  private value: { v: T; at: number } | undefined;
  private refreshing: Promise<T> | undefined;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly ttlMs: number,
  ) {}

  async get(): Promise<T> {
    if (!this.value) return this.refresh();
    if (Date.now() - this.value.at > this.ttlMs) void this.refresh().catch(() => undefined);
    return this.value.v;
  }

  /** Loads now (once at a time) and keeps the result. */
  refresh(): Promise<T> {
    this.refreshing ??= this.load()
      .then((v) => {
        this.value = { v, at: Date.now() };
        return v;
      })
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** The value this instance just wrote: served at once, other instances see it within `ttlMs`. */
  set(v: T): void {
    this.value = { v, at: Date.now() };
  }
}
