import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, LessThan } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import type { z } from 'zod';
import type { integrationKeyView } from '@huoyue/shared';
import { type IncomingSigned, IntegrationVerifier } from '../../infra/auth/auth.guard.js';
import { findOneForUpdate } from '../../infra/database/locks.js';
import type { IntegrationPrincipal, StaffPrincipal } from '../../infra/auth/token.service.js';
import { isUniqueViolation } from '../../infra/database/errors.js';
import { DomainError } from '../../infra/http/domain-error.js';
import type { Tx } from '../../infra/events/unit-of-work.js';
import { AuditService } from './audit.service.js';
import { IntegrationKey, RequestNonce } from './entities/integration-key.entity.js';

/** How far a request's timestamp may be from our clock, either way. */
export const REPLAY_WINDOW_SECONDS = 300;

/** What a signature covers: the request line's method and path (with its query), the timestamp, the raw body. */
export interface SignedRequest {
  method: string;
  /** The path as sent, under /api, with its query string: `/api/admin/orders/123/refunds?x=1`. */
  path: string;
  timestamp: number | string;
  body: Buffer | string;
}

/**
 * The signature a caller sends: hex HMAC-SHA256 of `${METHOD}\n${path}\n${timestamp}\n${raw body}` under the
 * key's secret. Binding the method and path means a captured body cannot be replayed against another route or
 * another order's path.
 */
export function signRequest(secret: string, request: SignedRequest): string {
  return createHmac('sha256', secret)
    .update(`${request.method.toUpperCase()}\n${request.path}\n${request.timestamp}\n`)
    .update(request.body)
    .digest('hex');
}

type KeyView = z.output<typeof integrationKeyView>;
const iso = (d: Date | null) => d?.toISOString() ?? null;
/** last used is written at most this often (a busy POS would otherwise write on every call). */
const LAST_USED_EVERY_MS = 60_000;

/**
 * Integration keys for POS and e-commerce webhooks (create, list, rotate with overlap, revoke) and the check of
 * their signed requests.
 */
@Injectable()
export class IntegrationKeysService extends IntegrationVerifier {
  private readonly encryptionKey: Buffer;
  private readonly overlapHours: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super();
    this.encryptionKey = Buffer.from(
      hkdfSync('sha256', config.jwtSecret, 'huoyue', 'integration-key-secrets', 32),
    );
    this.overlapHours = config.integrationKeyOverlapHours;
  }

  /** Creates a key in the caller's transaction; its secret is answered once, never stored in clear. */
  async create(tx: Tx, actor: StaffPrincipal, name: string): Promise<KeyView & { secret: string }> {
    const secret = newSecret();
    const keyId = `ik_${randomBytes(8).toString('hex')}`;
    const key = tx.em.create(IntegrationKey, {
      keyId,
      name,
      secretEnc: this.encrypt(secret),
      secretHint: secret.slice(-4),
      active: true,
      createdBy: actor.staffId,
    });
    await tx.em.insert(IntegrationKey, key);
    await this.audit.record(tx, actor, {
      action: 'integration_key.create',
      entityType: 'integration_key',
      entityId: keyId,
      after: { keyId, name, secretHint: key.secretHint },
    });
    const saved = await tx.em.findOneByOrFail(IntegrationKey, { keyId });
    return { ...view(saved), secret };
  }

  async list(): Promise<{ items: KeyView[] }> {
    const keys = await this.dataSource
      .getRepository(IntegrationKey)
      .find({ order: { id: 'DESC' }, take: 500 });
    return { items: keys.map(view) };
  }

  /**
   * A new secret, shown once; the previous one keeps working for `overlapHours` so the POS can switch over
   * without a gap. Rotating again within the window replaces the previous secret with the one just retired.
   */
  async rotate(
    tx: Tx,
    actor: StaffPrincipal,
    keyId: string,
    overlapHours = this.overlapHours,
  ): Promise<KeyView & { secret: string }> {
    const secret = newSecret();
    const key = await findOneForUpdate(tx.em, IntegrationKey, { keyId });
    if (!key) throw new DomainError('NOT_FOUND', '对接密钥不存在');
    if (!key.active) throw new DomainError('CONFLICT', '该密钥已吊销，无法轮换，请新建一个密钥');
    const now = new Date();
    const validUntil = new Date(now.getTime() + overlapHours * 3_600_000);
    await tx.em.update(
      IntegrationKey,
      { id: key.id },
      {
        previousSecretEnc: overlapHours > 0 ? key.secretEnc : null,
        previousValidUntil: overlapHours > 0 ? validUntil : null,
        secretEnc: this.encrypt(secret),
        secretHint: secret.slice(-4),
        rotatedAt: now,
      },
    );
    await this.audit.record(tx, actor, {
      action: 'integration_key.rotate',
      entityType: 'integration_key',
      entityId: keyId,
      before: { secretHint: key.secretHint },
      after: {
        secretHint: secret.slice(-4),
        previousValidUntil: overlapHours > 0 ? validUntil : null,
      },
    });
    const saved = await tx.em.findOneByOrFail(IntegrationKey, { keyId });
    return { ...view(saved), secret };
  }

  /** Revoked at once: requests signed with either secret are refused from the next one on. */
  async revoke(tx: Tx, actor: StaffPrincipal, keyId: string): Promise<KeyView> {
    const key = await findOneForUpdate(tx.em, IntegrationKey, { keyId });
    if (!key) throw new DomainError('NOT_FOUND', '对接密钥不存在');
    if (key.active) {
      await tx.em.update(
        IntegrationKey,
        { id: key.id },
        {
          active: false,
          revokedAt: new Date(),
          previousSecretEnc: null,
          previousValidUntil: null,
        },
      );
      await this.audit.record(tx, actor, {
        action: 'integration_key.revoke',
        entityType: 'integration_key',
        entityId: keyId,
        before: { active: true },
        after: { active: false },
      });
    }
    return view(await tx.em.findOneByOrFail(IntegrationKey, { keyId }));
  }

  async verify(request: IncomingSigned): Promise<IntegrationPrincipal> {
    const { headers } = request;
    const keyId = header(headers, 'x-huoyue-key');
    const timestamp = header(headers, 'x-huoyue-timestamp');
    const signature = header(headers, 'x-huoyue-signature');
    if (!keyId || !timestamp || !signature)
      throw new DomainError(
        'SIGNATURE_INVALID',
        '签名请求缺少 x-huoyue-key、x-huoyue-timestamp 或 x-huoyue-signature',
      );
    const seconds = Number(timestamp);
    if (
      !/^\d{9,11}$/.test(timestamp) ||
      Math.abs(Date.now() / 1000 - seconds) > REPLAY_WINDOW_SECONDS
    ) {
      throw new DomainError(
        'SIGNATURE_INVALID',
        `时间戳无效或超出 ${REPLAY_WINDOW_SECONDS} 秒有效期，请校准服务器时间`,
      );
    }
    const key = await this.dataSource.getRepository(IntegrationKey).findOneBy({ keyId });
    if (!key || !key.active) throw new DomainError('SIGNATURE_INVALID', '接入密钥不存在或已吊销');
    const given = /^[0-9a-f]{64}$/i.test(signature)
      ? Buffer.from(signature, 'hex')
      : Buffer.alloc(0);
    const signed: SignedRequest = {
      method: request.method,
      path: request.url,
      timestamp,
      body: request.rawBody,
    };
    const matched = this.secretsOf(key).find((secret) => {
      const expected = Buffer.from(signRequest(secret, signed), 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
    if (matched === undefined) throw new DomainError('SIGNATURE_INVALID', '签名校验失败');
    await this.acceptOnce(given.toString('hex').toLowerCase(), seconds);
    await this.touch(key);
    return { kind: 'integration', keyId: key.keyId, name: key.name };
  }

  /** The current secret, and the previous one while its overlap window lasts. */
  private secretsOf(key: IntegrationKey): string[] {
    const secrets = [this.decrypt(key.secretEnc)];
    if (key.previousSecretEnc && key.previousValidUntil && key.previousValidUntil > new Date())
      secrets.push(this.decrypt(key.previousSecretEnc));
    return secrets;
  }

  /** Each signature is accepted once: a captured request replayed within the window is refused. */
  private async acceptOnce(signature: string, seconds: number): Promise<void> {
    const repo = this.dataSource.getRepository(RequestNonce);
    try {
      await repo.insert({
        signature,
        expiresAt: new Date((seconds + REPLAY_WINDOW_SECONDS) * 1000),
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw new DomainError('REQUEST_REPLAYED', '该签名请求已处理过，请勿重放');
      throw err;
    }
    if (Math.random() < 0.01)
      await repo.delete({ expiresAt: LessThan(new Date(Date.now() - 60_000)) });
  }

  private async touch(key: IntegrationKey): Promise<void> {
    const now = new Date();
    if (key.lastUsedAt && now.getTime() - key.lastUsedAt.getTime() < LAST_USED_EVERY_MS) return;
    await this.dataSource.getRepository(IntegrationKey).update({ id: key.id }, { lastUsedAt: now });
  }

  private encrypt(secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')).join('.');
  }

  private decrypt(stored: string): string {
    const [iv, tag, data] = stored.split('.').map((p) => Buffer.from(p, 'base64url')) as [
      Buffer,
      Buffer,
      Buffer,
    ];
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  }
}

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

function view(key: IntegrationKey): KeyView {
  return {
    keyId: key.keyId,
    name: key.name,
    active: key.active,
    secretHint: key.secretHint,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: iso(key.lastUsedAt),
    rotatedAt: iso(key.rotatedAt),
    previousValidUntil:
      key.previousValidUntil && key.previousValidUntil > new Date()
        ? key.previousValidUntil.toISOString()
        : null,
    revokedAt: iso(key.revokedAt),
  };
}

function header(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const v = headers[name];
  return typeof v === 'string' ? v.trim() : undefined;
}
