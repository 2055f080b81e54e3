import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WechatAccessToken } from './access-token.entity.js';

/** A token is refreshed when less than this is left (WeChat rotates stable tokens 5 minutes before expiry). */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;
/** How long an instance trusts its in-memory copy before looking at the shared row again. */
const MEMORY_TTL_MS = 60 * 1000;

/**
 * The 中控 (central) access token: one per app id, kept in the database so every server instance uses the
 * same one; each instance caches it for a minute. Fetching goes through stable_token, whose normal mode is
 * idempotent, so two instances refreshing at once get the same token rather than invalidating each other.
 */
@Injectable()
export class AccessTokenStore {
  private readonly memory = new Map<
    string,
    { token: string; expiresAt: number; cachedAt: number }
  >();
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(private readonly dataSource: DataSource) {}

  async get(
    appId: string,
    fetchToken: () => Promise<{ token: string; expiresIn: number }>,
  ): Promise<string> {
    const now = Date.now();
    const cached = this.memory.get(appId);
    if (
      cached &&
      cached.expiresAt - now > REFRESH_MARGIN_MS &&
      now - cached.cachedAt < MEMORY_TTL_MS
    )
      return cached.token;
    const pending = this.inflight.get(appId);
    if (pending) return pending;
    const work = this.load(appId, fetchToken).finally(() => this.inflight.delete(appId));
    this.inflight.set(appId, work);
    return work;
  }

  /** Forget a token WeChat refused, unless another instance already replaced it. */
  async invalidate(appId: string, token: string): Promise<void> {
    const cached = this.memory.get(appId);
    if (cached?.token === token) this.memory.delete(appId);
    await this.dataSource.getRepository(WechatAccessToken).delete({ appId, token });
  }

  private async load(
    appId: string,
    fetchToken: () => Promise<{ token: string; expiresIn: number }>,
  ): Promise<string> {
    const repo = this.dataSource.getRepository(WechatAccessToken);
    const now = Date.now();
    const row = await repo.findOneBy({ appId });
    if (row && row.expiresAt.getTime() - now > REFRESH_MARGIN_MS) {
      this.memory.set(appId, {
        token: row.token,
        expiresAt: row.expiresAt.getTime(),
        cachedAt: now,
      });
      return row.token;
    }
    const fresh = await fetchToken();
    const expiresAt = new Date(Date.now() + fresh.expiresIn * 1000);
    await repo.upsert({ appId, token: fresh.token, expiresAt, updatedAt: new Date() }, ['appId']);
    this.memory.set(appId, {
      token: fresh.token,
      expiresAt: expiresAt.getTime(),
      cachedAt: Date.now(),
    });
    return fresh.token;
  }
}
