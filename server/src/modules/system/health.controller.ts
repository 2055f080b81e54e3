import { Controller, Inject, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { routes } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { Contract } from '../../infra/http/contract.js';
import { EventBus } from '../../infra/events/event-bus.js';
import { MetricsService } from '../../infra/metrics/metrics.service.js';

/** mysql2's pool keeps its connections in these lists; other drivers (SQLite) have no pool. */
interface Mysql2Pool {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
}

@Controller()
export class HealthController implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly bus: EventBus,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    // Outbox lag from idx_domain_event_pending (dispatched_at, id): the undelivered rows only.
    this.metrics.addScrapeGauge({
      name: 'huoyue_outbox_pending_events',
      help: 'Domain events not yet delivered to every handler',
      collect: async () => [{ value: (await this.bus.backlog()).undelivered }],
    });
    this.metrics.addScrapeGauge({
      name: 'huoyue_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest undelivered domain event (0 when none)',
      collect: async () => [{ value: (await this.bus.backlog()).oldestAgeSeconds }],
    });
    // Per process, so summed across cluster workers.
    this.metrics.addScrapeGauge(
      {
        name: 'huoyue_db_pool_connections',
        help: 'Database pool connections of this process by state (MySQL/MariaDB only)',
        labelNames: ['state'],
        collect: async () => {
          const pool = (this.dataSource.driver as { pool?: Mysql2Pool }).pool;
          if (!pool?._allConnections || !pool._freeConnections) return [];
          const all = pool._allConnections.length;
          const free = pool._freeConnections.length;
          return [
            { labels: { state: 'in_use' }, value: all - free },
            { labels: { state: 'idle' }, value: free },
          ];
        },
      },
      'sum',
    );
  }

  @Contract(routes.system.health)
  async health() {
    let outbox: Awaited<ReturnType<EventBus['backlog']>>;
    try {
      await this.dataSource.query('SELECT 1');
      outbox = await this.bus.backlog();
    } catch {
      throw new DomainError('SERVICE_UNAVAILABLE', '数据库不可用');
    }
    return {
      status: 'ok' as const,
      database: this.config.database.kind,
      time: new Date().toISOString(),
      outbox,
    };
  }

  /** Liveness: answering at all is the answer; a database outage must not get the process restarted. */
  @Contract(routes.system.live)
  live() {
    return { status: 'ok' as const };
  }

  /** Readiness: a load balancer sends traffic only while the database answers and the schema is current. */
  @Contract(routes.system.ready)
  async ready() {
    let pending: boolean;
    try {
      await this.dataSource.query('SELECT 1');
      pending = await this.dataSource.showMigrations();
    } catch {
      throw new DomainError('SERVICE_UNAVAILABLE', '数据库不可用');
    }
    if (pending) throw new DomainError('SERVICE_UNAVAILABLE', '数据库迁移尚未完成');
    return {
      status: 'ready' as const,
      role: this.config.role,
      database: this.config.database.kind,
    };
  }
}
