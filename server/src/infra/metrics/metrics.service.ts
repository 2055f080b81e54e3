import { Global, Injectable, Module } from '@nestjs/common';
import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type Aggregator,
} from 'prom-client';

/** A gauge computed when scraped (a small indexed query): `collect` answers its value per label set. */
export interface ScrapeGauge {
  name: string;
  help: string;
  labelNames?: string[];
  collect(): Promise<{ labels?: Record<string, string>; value: number }[]>;
}

/**
 * This process's Prometheus registry. A registry per application (not prom-client's global one), so tests that
 * start several servers in one process keep theirs apart. Gauges read from the shared database aggregate with
 * `max` across cluster workers (every worker sees the same rows); counters and histograms add up.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly http = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly jobRuns = new Counter({
    name: 'huoyue_job_runs_total',
    help: 'Scheduled job runs in this process by job and result',
    labelNames: ['job', 'result'],
    registers: [this.registry],
  });

  readonly messagesDispatched = new Counter({
    name: 'huoyue_messages_dispatched_total',
    help: 'Messages settled by this process by outcome (sent, retried, failed, suppressed, deferred)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Adds a gauge read from the database at scrape time; a failing read leaves the gauge empty, not the scrape. */
  addScrapeGauge(gauge: ScrapeGauge, aggregator: Aggregator = 'max'): void {
    new Gauge({
      name: gauge.name,
      help: gauge.help,
      labelNames: gauge.labelNames ?? [],
      aggregator,
      registers: [this.registry],
      async collect() {
        this.reset();
        const values = await gauge.collect().catch(() => []);
        for (const v of values) {
          if (v.labels) this.set(v.labels, v.value);
          else this.set(v.value);
        }
      },
    });
  }
}

@Global()
@Module({ providers: [MetricsService], exports: [MetricsService] })
export class MetricsModule {}
