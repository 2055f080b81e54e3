import { Global, Injectable, Module } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { z } from 'zod';
import type { Tx } from '../events/unit-of-work.js';
import { SwrCache } from './swr-cache.js';
import { Setting } from './setting.entity.js';

/**
 * Typed brand settings. Each module declares its key, schema and defaults; values are validated on the way in
 * and on the way out (a value written by an older version falls back to defaults field by field). Read often and
 * changed rarely, so they are cached for a second per process.
 */
@Injectable()
export class SettingsService {
  private readonly caches = new Map<string, SwrCache<unknown>>();
  constructor(private readonly dataSource: DataSource) {}

  /**
   * A setting's value. With `tx`, read in that transaction (fresh, for an audit's "before"); without, from the
   * cache (see SwrCache: stale values are served while a refresh runs, so no caller waits inside a transaction).
   */
  async get<S extends z.ZodType>(
    key: string,
    schema: S,
    defaults: z.output<S>,
    tx?: Tx,
  ): Promise<z.output<S>> {
    if (tx) return this.read(tx.em, key, schema, defaults);
    return (await this.cache(key, schema, defaults).get()) as z.output<S>;
  }

  async set<S extends z.ZodType>(
    tx: Tx,
    key: string,
    schema: S,
    value: z.input<S>,
  ): Promise<z.output<S>> {
    const parsed = schema.parse(value);
    await tx.em.upsert(Setting, { key, value: JSON.stringify(parsed) }, ['key']);
    this.cache(key, schema, parsed).set(parsed);
    return parsed;
  }

  private cache<S extends z.ZodType>(
    key: string,
    schema: S,
    defaults: z.output<S>,
  ): SwrCache<unknown> {
    let cache = this.caches.get(key);
    if (!cache) {
      // One second: a change made on another instance is seen here within about a second (issue 21: 2 s at most).
      cache = new SwrCache(() => this.read(this.dataSource.manager, key, schema, defaults), 1_000);
      this.caches.set(key, cache);
    }
    return cache;
  }

  private async read<S extends z.ZodType>(
    em: EntityManager,
    key: string,
    schema: S,
    defaults: z.output<S>,
  ): Promise<z.output<S>> {
    const row = await em.findOneBy(Setting, { key });
    if (!row) return defaults;
    // A value written by an older version falls back to defaults field by field.
    const parsed = schema.safeParse({
      ...(defaults as object),
      ...(JSON.parse(row.value) as object),
    });
    return parsed.success ? parsed.data : defaults;
  }
}

@Global()
@Module({ providers: [SettingsService], exports: [SettingsService] })
export class SettingsModule {}
