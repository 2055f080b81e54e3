import type { SharedCounter } from './shared-counter.js';

/**
 * A per-second budget shared by every instance ("at most `rate` WeChat sends a second on this channel"). Tokens
 * are taken from the shared counter in batches (a fifth of a second's worth), so a busy channel costs a few counter
 * writes a second per instance rather than one per send. Tokens left when their second ends are dropped: they
 * belong to that second's budget.
 */
export class SharedRateBudget {
  private tokens = 0;
  private second = 0;
  private refilling: Promise<boolean> | undefined;

  constructor(
    private readonly counter: SharedCounter,
    private readonly key: string,
    private rate: number,
  ) {}

  setRate(rate: number): void {
    this.rate = rate;
  }

  /** Waits for one token of the current second's budget. */
  async take(): Promise<void> {
    for (;;) {
      const now = Date.now();
      const second = Math.floor(now / 1000);
      if (second !== this.second) {
        this.second = second;
        this.tokens = 0;
      }
      if (this.tokens > 0) {
        this.tokens--;
        return;
      }
      // One refill at a time: the sends waiting here share its batch instead of each taking one.
      this.refilling ??= this.refill(second, now).finally(() => (this.refilling = undefined));
      if (!(await this.refilling))
        await new Promise((r) => setTimeout(r, (second + 1) * 1000 - Date.now() + 1));
    }
  }

  /** Takes a batch of this second's budget; answers whether any was granted. */
  private async refill(second: number, now: number): Promise<boolean> {
    const batch = Math.max(1, Math.ceil(this.rate / 5));
    const granted = await this.counter.take(this.key, 1000, this.rate, batch, now);
    if (Math.floor(Date.now() / 1000) !== second || this.second !== second) return granted > 0;
    this.tokens += granted;
    return granted > 0;
  }
}
