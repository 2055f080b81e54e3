import { Inject, Injectable } from '@nestjs/common';
import { errors, jwtVerify, SignJWT } from 'jose';
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
export type Principal = MemberPrincipal | StaffPrincipal;

export const MEMBER_TOKEN_TTL_SECONDS = 2 * 60 * 60;
export const STAFF_TOKEN_TTL_SECONDS = 8 * 60 * 60;

/** Short-lived HS256 tokens. The audience separates member tokens from staff tokens. */
@Injectable()
export class TokenService {
  private readonly key: Uint8Array;
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = new TextEncoder().encode(config.jwtSecret);
  }

  signMember(memberId: number): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(String(memberId))
      .setAudience('member')
      .setIssuedAt()
      .setExpirationTime(`${MEMBER_TOKEN_TTL_SECONDS}s`)
      .sign(this.key);
  }

  signStaff(staff: Omit<StaffPrincipal, 'kind'>): Promise<string> {
    return new SignJWT({ role: staff.role, store: staff.storeCode, name: staff.username })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(String(staff.staffId))
      .setAudience('staff')
      .setIssuedAt()
      .setExpirationTime(`${STAFF_TOKEN_TTL_SECONDS}s`)
      .sign(this.key);
  }

  async verify(token: string, audience: 'member' | 'staff'): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.key, { audience, algorithms: ['HS256'] });
      const id = Number(payload.sub);
      if (!Number.isInteger(id) || id <= 0) throw new DomainError('UNAUTHENTICATED', '登录状态无效，请重新登录');
      if (audience === 'member') return { kind: 'member', memberId: id };
      return {
        kind: 'staff',
        staffId: id,
        username: String(payload.name ?? ''),
        role: payload.role as StaffRole,
        storeCode: (payload.store as string | null | undefined) ?? null,
      };
    } catch (err) {
      if (err instanceof DomainError) throw err;
      if (err instanceof errors.JWTExpired) throw new DomainError('TOKEN_EXPIRED', '登录已过期，请重新登录');
      throw new DomainError('UNAUTHENTICATED', '登录状态无效，请重新登录');
    }
  }
}
