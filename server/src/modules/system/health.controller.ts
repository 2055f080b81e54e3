import { Controller, Inject } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { routes } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { Contract } from '../../infra/http/contract.js';
import { EventBus } from '../../infra/events/event-bus.js';

@Controller()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly bus: EventBus,
  ) {}

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
}
