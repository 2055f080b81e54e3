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
import { IntegrationVerifier } from '../../infra/auth/auth.guard.js';
import type { IntegrationPrincipal, StaffPrincipal } from '../../infra/auth/token.service.js';
import { isUniqueViolation } from '../../infra/database/errors.js';
import { DomainError } from '../../infra/http/domain-error.js';
import type { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { AuditService } from './audit.service.js';
import { IntegrationKey, RequestNonce } from './entities/integration-key.entity.js';

/** How far a request's timestamp may be from our clock, either way. */
export const REPLAY_WINDOW_SECONDS = 300;

/** The signature a caller sends: hex HMAC-SHA256 of `${timestamp}.${raw body}` under the key's secret. */
export function signRequest(
  secret: string,
  timestamp: number | string,
  rawBody: Buffer | string,
): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** Integration keys for POS and e-commerce webhooks, and the check of their signed requests. */
@Injectable()
export class IntegrationKeysService extends IntegrationVerifier {
  private readonly encryptionKey: Buffer;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super();
    this.encryptionKey = Buffer.from(
      hkdfSync('sha256', config.jwtSecret, 'huoyue', 'integration-key-secrets', 32),
    );
  }

  async create(
    uow: UnitOfWork,
    actor: StaffPrincipal,
    name: string,
  ): Promise<{ key: IntegrationKey; secret: string }> {
    const secret = randomBytes(32).toString('base64url');
    const keyId = `ik_${randomBytes(8).toString('hex')}`;
    return uow.run(async (tx) => {
      const key = tx.em.create(IntegrationKey, {
        keyId,
        name,
        secretEnc: this.encrypt(secret),
        active: true,
        createdBy: actor.staffId,
      });
      await tx.em.insert(IntegrationKey, key);
      await this.audit.record(tx.em, actor, {
        action: 'integration_key.create',
        entityType: 'integration_key',
        entityId: keyId,
        after: { keyId, name },
      });
      return { key, secret };
    });
  }

  async verify(
    headers: Record<string, string | string[] | undefined>,
    rawBody: Buffer,
  ): Promise<IntegrationPrincipal> {
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
    if (!key || !key.active) throw new DomainError('SIGNATURE_INVALID', '接入密钥不存在或已停用');
    const expected = Buffer.from(
      signRequest(this.decrypt(key.secretEnc), timestamp, rawBody),
      'hex',
    );
    const given = /^[0-9a-f]{64}$/i.test(signature)
      ? Buffer.from(signature, 'hex')
      : Buffer.alloc(0);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new DomainError('SIGNATURE_INVALID', '签名校验失败');
    // Each signature is accepted once: a captured request replayed within the window is refused.
    const repo = this.dataSource.getRepository(RequestNonce);
    try {
      await repo.insert({
        signature: expected.toString('hex'),
        expiresAt: new Date((seconds + REPLAY_WINDOW_SECONDS) * 1000),
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw new DomainError('REQUEST_REPLAYED', '该签名请求已处理过，请勿重放');
      throw err;
    }
    if (Math.random() < 0.01)
      await repo.delete({ expiresAt: LessThan(new Date(Date.now() - 60_000)) });
    return { kind: 'integration', keyId: key.keyId, name: key.name };
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

function header(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const v = headers[name];
  return typeof v === 'string' ? v.trim() : undefined;
}
