import { Global, Injectable, Module } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { z } from 'zod';
import { activeManager } from '../events/unit-of-work.js';
import { Setting } from './setting.entity.js';

/**
 * Typed brand settings. Each module declares its key, schema and defaults; values are validated on the way in
 * and on the way out (a value written by an older version falls back to defaults field by field). Read often and
 * changed rarely, so they are cached for a few seconds per process.
 */
@Injectable()
export class SettingsService {
  private readonly cache = new Map<string, { value: unknown; at: number }>();
  constructor(private readonly dataSource: DataSource) {}

  async get<S extends z.ZodType>(key: string, schema: S, defaults: z.output<S>, em?: EntityManager): Promise<z.output<S>> {
    const cached = this.cache.get(key);
    if (!em && cached && Date.now() - cached.at < 5_000) return cached.value as z.output<S>;
    const row = await (em ?? activeManager(this.dataSource)).findOneBy(Setting, { key });
    let value: z.output<S> = defaults;
    if (row) {
      const parsed = schema.safeParse({ ...(defaults as object), ...(JSON.parse(row.value) as object) });
      if (parsed.success) value = parsed.data;
    }
    this.cache.set(key, { value, at: Date.now() });
    return value;
  }

  async set<S extends z.ZodType>(em: EntityManager, key: string, schema: S, value: z.input<S>): Promise<z.output<S>> {
    const parsed = schema.parse(value);
    await em.upsert(Setting, { key, value: JSON.stringify(parsed) }, ['key']);
    this.cache.delete(key);
    return parsed;
  }
}

@Global()
@Module({ providers: [SettingsService], exports: [SettingsService] })
export class SettingsModule {}
