import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MetricsService } from '../../infra/metrics/metrics.service.js';

/**
 * Messages waiting to be sent, by status, read at scrape time on idx_message_due (status, due_at): only the
 * unfinished statuses, so the read stays small however many messages were ever sent. Finished ones are counted
 * by the dispatcher as it settles them (huoyue_messages_dispatched_total).
 */
@Injectable()
export class MessageMetrics implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    this.metrics.addScrapeGauge({
      name: 'huoyue_messages_pending',
      help: 'Messages not yet settled, by status (queued: waiting or due; sending: claimed by a dispatcher)',
      labelNames: ['status'],
      collect: async () => {
        const rows = (await this.dataSource.query(
          `SELECT status, COUNT(*) AS n FROM message WHERE status IN ('queued', 'sending') GROUP BY status`,
        )) as { status: string; n: number | string }[];
        const counts = new Map(rows.map((r) => [r.status, Number(r.n)]));
        return ['queued', 'sending'].map((status) => ({
          labels: { status },
          value: counts.get(status) ?? 0,
        }));
      },
    });
  }
}
