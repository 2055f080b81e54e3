/**
 * Batch writes running while the next batch is parsed: at most `limit` at once. The first failure is kept; the
 * reader stops launching once there is one, and `finish` rethrows it after the writes still running have settled.
 */
export class InFlightBatches {
  private readonly running = new Set<Promise<void>>();
  private failure: unknown;

  constructor(private readonly limit: number) {}

  get failed(): boolean {
    return Boolean(this.failure);
  }

  /** Waits until fewer than `limit` writes are running. */
  async waitForRoom(): Promise<void> {
    while (this.running.size >= this.limit) await Promise.race(this.running);
  }

  launch(write: () => Promise<void>): void {
    const p: Promise<void> = write()
      .catch((err) => {
        this.failure ??= err;
      })
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  /** Waits for the writes still running, then throws the first failure, if any. */
  async finish(): Promise<void> {
    await Promise.all(this.running);
    if (this.failed) throw this.failure;
  }
}
