import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { FIELD_LABELS, type RouteDef } from '@huoyue/shared';
import { DomainError } from './domain-error.js';

import { CONTRACT_ROUTE } from './contract-route.js';

type Part = 'body' | 'query' | 'params';

/** Validates body, query and params with the route's zod schemas and hands the parsed values to the handler. */
@Injectable()
export class ContractValidationInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const route = this.reflector.get<RouteDef | undefined>(CONTRACT_ROUTE, context.getHandler());
    if (route) {
      const request = context.switchToHttp().getRequest<FastifyRequest>();
      const mutable = request as unknown as Record<Part, unknown>;
      if (!route.rawBody && !isJsonBody(request, mutable.body))
        // A CSV or image body reaches a JSON route as a stream: refused by its type, never described.
        throw new DomainError('UNSUPPORTED_MEDIA_TYPE', '请求格式不支持，请使用 application/json');
      const issues: { in: Part; path: string; message: string }[] = [];
      for (const part of ['params', 'query', 'body'] as const) {
        if (part === 'body' && route.rawBody) continue;
        const schema = route[part];
        let value = mutable[part];
        if (!schema) {
          // A route that declares no body or query takes none: anything sent is refused, never silently stored.
          const empty =
            value === undefined ||
            value === null ||
            (typeof value === 'object' && Object.keys(value).length === 0);
          if (part !== 'params' && !empty)
            issues.push({ in: part, path: '', message: '此接口不接受该参数' });
          continue;
        }
        if (part === 'body' && (value === undefined || value === null)) value = {};
        const result = schema.safeParse(value);
        if (result.success && part === 'body' && route.method === 'PATCH' && isEmpty(result.data))
          // A change that names nothing to change is refused, not applied as an empty UPDATE.
          issues.push({ in: part, path: '', message: '请至少修改一项' });
        else if (result.success) mutable[part] = result.data;
        else
          for (const issue of result.error.issues)
            issues.push({ in: part, path: issue.path.join('.'), message: issue.message });
      }
      if (issues.length > 0) {
        throw new DomainError(
          'VALIDATION_FAILED',
          `请求参数有误：${issues.map(describeIssue).join('；')}`,
          { issues },
        );
      }
    }
    return next.handle();
  }
}

/** Nothing, or what JSON.parse answered for a JSON content type (not a text, CSV or picture parser's result). */
function isJsonBody(request: FastifyRequest, value: unknown): boolean {
  if (value === undefined || value === null) return true;
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) return false;
  if (typeof value !== 'object' || Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function isEmpty(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => v === undefined)
  );
}

/**
 * One problem as staff and members read it: the field by its Chinese name (`积分：…`), or not at all when the
 * schema's own message already names it (`积分调整数量必须是整数`); a field without a name keeps its path.
 */
function describeIssue(issue: { path: string; message: string }): string {
  if (!issue.path) return issue.message;
  const key = issue.path
    .split('.')
    .reverse()
    .find((p) => !/^\d+$/.test(p));
  const label = key ? FIELD_LABELS[key] : undefined;
  if (!label) return `${issue.path} ${issue.message}`;
  return issue.message.includes(label) ? issue.message : `${label}：${issue.message}`;
}
