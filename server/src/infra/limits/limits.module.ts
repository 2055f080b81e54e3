import { Global, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { DatabaseCounter, RedisCounter, SharedCounter } from './shared-counter.js';

/** Closes the counter's connection when the application stops. */
@Injectable()
class CounterShutdown implements OnApplicationShutdown {
  constructor(private readonly counter: SharedCounter) {}

  async onApplicationShutdown(): Promise<void> {
    await this.counter.close();
  }
}

/** The shared counter: Redis when REDIS_URL is set, else the database (docs/ARCHITECTURE.md, "Shared limits"). */
@Global()
@Module({
  providers: [
    {
      provide: SharedCounter,
      inject: [APP_CONFIG, DataSource],
      useFactory: (config: AppConfig, dataSource: DataSource): SharedCounter =>
        config.redis
          ? new RedisCounter(
              new Redis(config.redis.url, {
                // While Redis is down a hit waits at most a second before the limit is skipped (RedisCounter).
                maxRetriesPerRequest: 1,
                connectTimeout: 2000,
                commandTimeout: 1000,
              }),
              config.redis.keyPrefix,
            )
          : new DatabaseCounter(dataSource),
    },
    CounterShutdown,
  ],
  exports: [SharedCounter],
})
export class LimitsModule {}
