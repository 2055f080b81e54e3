import { randomUUID } from 'node:crypto';
import { Global, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MetricsService } from '../metrics/metrics.service.js';
import { JobLease } from './job-lease.entity.js';

export interface JobDefinition {
  name: string;
  /** How often the job is attempted; each run must be idempotent and catch up on what it missed. */
  everyMs: number;
  /** Does the work as of a moment; answers how many things it changed. */
  run(asOf: Date): Promise<number>;
}

/**
 * Runs registered jobs on an interval. Before each run an instance takes the job's lease with one conditional
 * UPDATE (only when the lease has lapsed), so with several instances each run happens once. A job that crashes
 * mid-way is simply run again later: every job is written to be idempotent.
 */
@Injectable()
export class JobScheduler implements OnApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly jobs = new Map<string, JobDefinition>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly owner = randomUUID();
  private running = new Set<Promise<unknown>>();
  private started = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: MetricsService,
  ) {}

  register(job: JobDefinition): void {
    this.jobs.set(job.name, job);
    if (this.started) this.schedule(job);
  }

  /** Starts the timers (not in tests, which run jobs by hand through the admin endpoint). */
  start(): void {
    this.started = true;
    for (const job of this.jobs.values()) this.schedule(job);
  }

  names(): string[] {
    return [...this.jobs.keys()];
  }

  /** Runs a job now in this instance, holding its lease; `asOf` lets staff backfill or test at a moment. */
  async runNow(name: string, asOf = new Date()): Promise<number> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`unknown job ${name}`);
    return this.exclusive(name, () => this.execute(job, asOf), false);
  }

  /**
   * Runs `work` holding the named lease (waiting up to 30 s for another instance to finish), so work that also
   * runs as a scheduled job (a recompute asked for by staff) never overlaps it on any instance.
   */
  async exclusive<T>(name: string, work: () => Promise<T>, release = true): Promise<T> {
    const leaseMs = 10 * 60_000;
    for (let waited = 0; !(await this.acquire(name, leaseMs)); waited += 200) {
      if (waited > 30_000) throw new Error(`job ${name} is held by another instance`);
      await new Promise((r) => setTimeout(r, 200));
    }
    if (!release) return work(); // execute() records the run and releases the lease
    try {
      return await work();
    } finally {
      await this.dataSource
        .getRepository(JobLease)
        .update({ name, owner: this.owner }, { leaseUntil: new Date(), owner: null });
    }
  }

  private schedule(job: JobDefinition): void {
    const timer = setInterval(() => {
      const p = this.tick(job).finally(() => this.running.delete(p));
      this.running.add(p);
    }, job.everyMs);
    timer.unref();
    this.timers.push(timer);
  }

  private async tick(job: JobDefinition): Promise<void> {
    try {
      if (!(await this.acquire(job.name, Math.max(job.everyMs, 60_000)))) return;
      await this.execute(job, new Date());
    } catch (err) {
      this.logger.error({ err, job: job.name }, 'job failed');
    }
  }

  private async execute(job: JobDefinition, asOf: Date): Promise<number> {
    const repo = this.dataSource.getRepository(JobLease);
    try {
      const affected = await job.run(asOf);
      await repo.update(
        { name: job.name, owner: this.owner },
        {
          lastRunAt: new Date(),
          lastResult: `ok: ${affected}`,
          leaseUntil: new Date(),
          owner: null,
        },
      );
      if (affected > 0) this.logger.log({ job: job.name, affected }, 'job ran');
      this.metrics.jobRuns.inc({ job: job.name, result: 'ok' });
      return affected;
    } catch (err) {
      await repo.update(
        { name: job.name, owner: this.owner },
        {
          lastResult: `failed: ${String((err as Error).message).slice(0, 180)}`,
          leaseUntil: new Date(),
          owner: null,
        },
      );
      this.metrics.jobRuns.inc({ job: job.name, result: 'failed' });
      throw err;
    }
  }

  private async acquire(name: string, leaseMs: number): Promise<boolean> {
    const now = new Date();
    const repo = this.dataSource.getRepository(JobLease);
    await repo
      .createQueryBuilder()
      .insert()
      .values({ name, owner: null, leaseUntil: new Date(0), lastRunAt: null, lastResult: null })
      .orIgnore()
      .execute();
    const result = await repo
      .createQueryBuilder()
      .update()
      .set({ owner: this.owner, leaseUntil: new Date(now.getTime() + leaseMs) })
      .where('name = :name AND lease_until < :now', { name, now })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  /**
   * Stops the timers and lets running jobs finish (each releases its lease); a job still running after
   * SHUTDOWN_WAIT_MS is abandoned with the process, so its lease is released here rather than left to lapse (up to
   * 10 minutes): every job is idempotent and picks up where it stopped.
   */
  async onApplicationShutdown(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.running]),
      new Promise((r) => (timer = setTimeout(r, SHUTDOWN_WAIT_MS))),
    ]);
    clearTimeout(timer);
    if (!this.dataSource.isInitialized) return;
    await this.dataSource
      .getRepository(JobLease)
      .update({ owner: this.owner }, { leaseUntil: new Date(), owner: null })
      .catch((err: unknown) => this.logger.warn({ err }, 'could not release job leases'));
  }
}

/** How long shutdown waits for running jobs before releasing their leases. */
const SHUTDOWN_WAIT_MS = 10_000;

@Global()
@Module({ providers: [JobScheduler], exports: [JobScheduler] })
export class JobsModule {}
