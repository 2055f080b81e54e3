import type { ThrottlerStorage } from '@nestjs/throttler';
import type { SharedCounter } from './shared-counter.js';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * @nestjs/throttler's storage over the shared counter, so "30 login attempts per client IP per minute" holds across
 * every instance (fixed windows of `ttl`; a blocked client waits for its window to end).
 */
export class SharedThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly counter: SharedCounter) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    _blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    const { total, resetAt } = await this.counter.add(
      `throttle:${throttlerName}:${key}`,
      ttl,
      1,
      now,
    );
    const seconds = Math.max(1, Math.ceil((resetAt - now) / 1000));
    const isBlocked = total > limit;
    return {
      totalHits: total,
      timeToExpire: seconds,
      isBlocked,
      timeToBlockExpire: isBlocked ? seconds : 0,
    };
  }
}
