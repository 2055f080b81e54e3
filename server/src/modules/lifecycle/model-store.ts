import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SwrCache } from '../../infra/settings/swr-cache.js';
import { LifecycleModel } from './lifecycle.entities.js';

export type ModelName = 'bgnbd' | 'mbgnbd';

/** The latest fit per churn model, cached per process (read on every member page and every recompute). */
@Injectable()
export class ModelStore {
  private readonly cache: SwrCache<Map<ModelName, LifecycleModel>>;

  constructor(private readonly dataSource: DataSource) {
    this.cache = new SwrCache(() => this.load(), 60_000);
  }

  async latest(model: ModelName): Promise<LifecycleModel | null> {
    return (await this.cache.get()).get(model) ?? null;
  }

  async save(rows: Omit<LifecycleModel, 'id' | 'fittedAt'>[]): Promise<LifecycleModel[]> {
    const repo = this.dataSource.getRepository(LifecycleModel);
    const saved = [];
    for (const row of rows) saved.push(await repo.save(repo.create(row)));
    this.cache.set(await this.load());
    return saved;
  }

  private async load(): Promise<Map<ModelName, LifecycleModel>> {
    const repo = this.dataSource.getRepository(LifecycleModel);
    const latest = new Map<ModelName, LifecycleModel>();
    for (const model of ['bgnbd', 'mbgnbd'] as const) {
      const row = await repo.findOne({ where: { model }, order: { id: 'DESC' } });
      if (row) latest.set(model, row);
    }
    return latest;
  }
}
