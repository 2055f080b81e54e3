import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { RouteDef, StaffRole } from '@huoyue/shared';
import { CONTRACT_ROUTE } from '../http/contract-route.js';
import { DomainError } from '../http/domain-error.js';
import {
  type Actor,
  type IntegrationPrincipal,
  type MemberPrincipal,
  type Principal,
  type StaffPrincipal,
  TokenService,
} from './token.service.js';

type AuthedRequest = FastifyRequest & {
  principal?: Principal | IntegrationPrincipal;
  rawBody?: Buffer;
};

/** What the guard needs of a staff account on each request (read through a short cache). */
export interface StaffAccountState {
  username: string;
  role: StaffRole;
  storeCode: string | null;
  active: boolean;
  tokenVersion: number;
}

/**
 * Rights follow the account, not the token: the guard asks the staff module for the account's current role,
 * store, status and token version on every request (cached a few seconds, dropped in-process on every change).
 */
export abstract class StaffStatusChecker {
  abstract current(staffId: number): Promise<StaffAccountState | null>;
}

/** A closed (or merged) membership's tokens are refused on every member route; asked through a brief cache. */
export abstract class MemberStatusChecker {
  abstract isOpen(memberId: number): Promise<boolean>;
}

/** What a signed integration call is checked against: the request line, the headers, the exact bytes received. */
export interface IncomingSigned {
  method: string;
  /** The path as received, with its query string. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
}

/** Verifies a signed integration call (HMAC of method, path, timestamp and raw body) and answers who made it. */
export abstract class IntegrationVerifier {
  abstract verify(request: IncomingSigned): Promise<IntegrationPrincipal>;
}

/**
 * Every route is checked against its contract's `auth`; a route outside the contract is refused unless public
 * by design.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly staffStatus: StaffStatusChecker,
    private readonly memberStatus: MemberStatusChecker,
    private readonly integrations: IntegrationVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const route = this.reflector.get<RouteDef | undefined>(CONTRACT_ROUTE, context.getHandler());
    if (!route) return true; // only non-contract framework routes (none carry data)
    if (route.auth.kind === 'public') return true;
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!token && route.integration && request.headers['x-huoyue-key'] !== undefined) {
      request.principal = await this.integrations.verify({
        method: request.method,
        url: request.url,
        headers: request.headers,
        rawBody: request.rawBody ?? Buffer.alloc(0),
      });
      return true;
    }
    if (!token) throw new DomainError('UNAUTHENTICATED', '请先登录');
    if (route.auth.kind === 'member') {
      const member = await this.tokens.verify(token, 'member');
      if (!(await this.memberStatus.isOpen(member.memberId)))
        throw new DomainError('UNAUTHENTICATED', '会员已注销，登录状态已失效');
      request.principal = member;
      return true;
    }
    const principal = await this.staffPrincipal(token);
    if (!route.auth.roles.includes(principal.role))
      throw new DomainError('FORBIDDEN', '当前角色没有权限进行此操作');
    request.principal = principal;
    return true;
  }

  /** The staff token's account as it is now: its role and store, if it is active and the token still current. */
  private async staffPrincipal(token: string): Promise<StaffPrincipal> {
    const claims = await this.tokens.verify(token, 'staff');
    const account = await this.staffStatus.current(claims.staffId);
    if (!account?.active)
      throw new DomainError('UNAUTHENTICATED', '账号已停用或不存在，请联系管理员');
    if (account.tokenVersion !== claims.tokenVersion)
      throw new DomainError('UNAUTHENTICATED', '密码或账号状态已变更，请重新登录');
    return {
      kind: 'staff',
      staffId: claims.staffId,
      username: account.username,
      role: account.role,
      storeCode: account.storeCode,
    };
  }
}

export const CurrentMember = createParamDecorator(
  (_: unknown, context: ExecutionContext): MemberPrincipal => {
    const principal = context.switchToHttp().getRequest<AuthedRequest>().principal;
    if (principal?.kind !== 'member') throw new DomainError('UNAUTHENTICATED', '请先登录');
    return principal;
  },
);

export const CurrentStaff = createParamDecorator(
  (_: unknown, context: ExecutionContext): StaffPrincipal => {
    const principal = context.switchToHttp().getRequest<AuthedRequest>().principal;
    if (principal?.kind !== 'staff') throw new DomainError('UNAUTHENTICATED', '请先登录');
    return principal;
  },
);

/** The staff member or integration behind a staff-side write. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const principal = context.switchToHttp().getRequest<AuthedRequest>().principal;
  if (principal?.kind !== 'staff' && principal?.kind !== 'integration')
    throw new DomainError('UNAUTHENTICATED', '请先登录');
  return principal;
});
