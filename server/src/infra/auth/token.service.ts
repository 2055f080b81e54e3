import { createSecretKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { LRUCache } from 'lru-cache';
import type { StaffRole } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { DomainError } from '../http/domain-error.js';

export interface MemberPrincipal {
  kind: 'member';
  memberId: number;
}
export interface StaffPrincipal {
  kind: 'staff';
  staffId: number;
  username: string;
  role: StaffRole;
  storeCode: string | null;
}
/** A staff token as signed: who, and which generation of the account's sessions it belongs to. */
export interface StaffTokenClaims {
  staffId: number;
  /** The account's token version when signed; a password change or a deactivation bumps it (docs/security-auth.md). */
  tokenVersion: number;
}
/** A POS or e-commerce system calling with a signed request (integration key). */
export interface IntegrationPrincipal {
  kind: 'integration';
  keyId: string;
  name: string;
}

/** Who did a staff-side write: a person or an integration. */
export type Actor = StaffPrincipal | IntegrationPrincipal;

export type Principal = MemberPrincipal | StaffPrincipal;
type Verified = MemberPrincipal | ({ kind: 'staff' } & StaffTokenClaims);

export const MEMBER_TOKEN_TTL_SECONDS = 2 * 60 * 60;
export const STAFF_TOKEN_TTL_SECONDS = 8 * 60 * 60;

/**
 * Short-lived HS256 tokens (jsonwebtoken: synchronous node:crypto, cheap on the hot path). The audience
 * separates member tokens from staff tokens.
 */
@Injectable()
export class TokenService {
  /**
   * Made once: handed a Buffer, jsonwebtoken first tries to parse it as a public key on every call, which cost
   * about 2 ms a request (docs/benchmarks.md).
   */
  private readonly key: KeyObject;
  /**
   * Tokens already verified, until they expire: a member's app sends the same token many times, and checking
   * the signature again each time was the largest cost of a simple read. Only successful checks are kept.
   */
  private readonly verified = new LRUCache<
    string,
    { principal: Verified; audience: 'member' | 'staff' }
  >({ max: 50_000, ttlAutopurge: false });

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  }

  async signMember(memberId: number): Promise<string> {
    return jwt.sign({}, this.key, {
      algorithm: 'HS256',
      subject: String(memberId),
      audience: 'member',
      expiresIn: MEMBER_TOKEN_TTL_SECONDS,
    });
  }

  /** Role and store are not in the token: the guard reads them from the account on every request. */
  async signStaff(staff: StaffTokenClaims): Promise<string> {
    return jwt.sign({ ver: staff.tokenVersion }, this.key, {
      algorithm: 'HS256',
      subject: String(staff.staffId),
      audience: 'staff',
      expiresIn: STAFF_TOKEN_TTL_SECONDS,
    });
  }

  async verify(token: string, audience: 'member'): Promise<MemberPrincipal>;
  async verify(token: string, audience: 'staff'): Promise<{ kind: 'staff' } & StaffTokenClaims>;
  async verify(token: string, audience: 'member' | 'staff'): Promise<Verified> {
    const cached = this.verified.get(token);
    if (cached) {
      if (cached.audience !== audience)
        throw new DomainError('UNAUTHENTICATED', '登录状态无效，请重新登录');
      return cached.principal;
    }
    return this.verifySignature(token, audience);
  }

  private verifySignature(token: string, audience: 'member' | 'staff'): Verified {
    let payload: jwt.JwtPayload;
    try {
      payload = jwt.verify(token, this.key, { audience, algorithms: ['HS256'] }) as jwt.JwtPayload;
    } catch (err) {
      if (err instanceof jwt.TokenExpiredError)
        throw new DomainError('TOKEN_EXPIRED', '登录已过期，请重新登录');
      throw new DomainError('UNAUTHENTICATED', '登录状态无效，请重新登录');
    }
    const id = Number(payload.sub);
    if (!Number.isInteger(id) || id <= 0)
      throw new DomainError('UNAUTHENTICATED', '登录状态无效，请重新登录');
    // Tokens signed before token versions existed carry none: they belong to no current generation.
    const version = typeof payload.ver === 'number' ? payload.ver : -1;
    const principal: Verified =
      audience === 'member'
        ? { kind: 'member', memberId: id }
        : { kind: 'staff', staffId: id, tokenVersion: version };
    const ttl = typeof payload.exp === 'number' ? payload.exp * 1000 - Date.now() : 0;
    if (ttl > 0) this.verified.set(token, { principal, audience }, { ttl });
    return principal;
  }
}
