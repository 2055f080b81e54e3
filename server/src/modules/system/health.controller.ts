import { Controller, Inject } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { routes } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { Contract } from '../../infra/http/contract.js';

@Controller()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Contract(routes.system.health)
  async health() {
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      throw new DomainError('SERVICE_UNAVAILABLE', '数据库不可用');
    }
    return {
      status: 'ok' as const,
      database: this.config.database.kind,
      time: new Date().toISOString(),
    };
  }
}
