import type { Logger } from '@nestjs/common';

/**
 * Work started in the background by id (a job row: a simulation, an import), at most once per id in this process;
 * its failure is logged, never thrown at the caller. At shutdown no new work starts and the running work is
 * awaited (what a crash leaves is picked up by the owner's resume job).
 */
export class BackgroundRuns {
  private readonly running = new Map<number, Promise<void>>();
  private stopping = false;

  constructor(
    private readonly logger: Logger,
    private readonly what: string,
  ) {}

  start(id: number, work: () => Promise<void>): void {
    if (this.running.has(id) || this.stopping) return;
    const run = work()
      .catch((err) => this.logger.error({ err, id }, `${this.what} failed`))
      .finally(() => this.running.delete(id));
    this.running.set(id, run);
  }

  /** Resolves when the work is no longer running in this process (tests and benchmarks wait on it). */
  async settled(id: number): Promise<void> {
    await this.running.get(id);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running.values()]);
  }
}
