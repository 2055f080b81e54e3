import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody, ErrorCode } from '@huoyue/shared';
import { isUniqueViolation } from '../database/errors.js';
import { DomainError } from './domain-error.js';

const FASTIFY_CODES: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', message: '请求内容过大' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: '请求格式不支持，请使用 application/json',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'VALIDATION_FAILED', message: '请求内容不能为空' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'VALIDATION_FAILED', message: '请求内容不是有效的 JSON' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'BAD_REQUEST', message: '请求长度不正确' },
};

const HTTP_CODES: Record<number, { code: ErrorCode; message: string }> = {
  400: { code: 'BAD_REQUEST', message: '请求有误' },
  401: { code: 'UNAUTHENTICATED', message: '请先登录' },
  403: { code: 'FORBIDDEN', message: '没有权限进行此操作' },
  404: { code: 'NOT_FOUND', message: '请求的资源不存在' },
  405: { code: 'METHOD_NOT_ALLOWED', message: '不支持该请求方法' },
  413: { code: 'PAYLOAD_TOO_LARGE', message: '请求内容过大' },
  415: { code: 'UNSUPPORTED_MEDIA_TYPE', message: '请求格式不支持' },
  429: { code: 'RATE_LIMITED', message: '操作太频繁，请稍后再试' },
};

/**
 * Maps every failure to `{ error: { code, message, details? } }`; unexpected ones are logged and never leak
 * internals.
 */
@Catch()
export class GlobalErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const { status, body } = this.toBody(exception, request);
    // request.log carries the request id.
    if (status >= 500) request.log.error({ err: exception }, 'unexpected error');
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private toBody(exception: unknown, request: FastifyRequest): { status: number; body: ErrorBody } {
    if (exception instanceof DomainError) {
      const error: ErrorBody['error'] = { code: exception.code, message: exception.message };
      if (exception.details !== undefined) error.details = exception.details;
      return { status: exception.status, body: { error } };
    }
    const fastifyCode = (exception as { code?: string } | null)?.code;
    if (fastifyCode && FASTIFY_CODES[fastifyCode]) {
      const known = FASTIFY_CODES[fastifyCode];
      const status = (exception as { statusCode?: number }).statusCode ?? 400;
      return { status, body: { error: { code: known.code, message: known.message } } };
    }
    // Fastify's own 4xx errors (a body that is not JSON, say) carry a statusCode.
    const statusCode = (exception as { statusCode?: number } | null)?.statusCode;
    if (exception instanceof SyntaxError && statusCode === 400) {
      return {
        status: 400,
        body: { error: { code: 'VALIDATION_FAILED', message: '请求内容不是有效的 JSON' } },
      };
    }
    if (
      exception instanceof HttpException &&
      exception.getStatus() === 400 &&
      /JSON/i.test(exception.message)
    ) {
      return {
        status: 400,
        body: { error: { code: 'VALIDATION_FAILED', message: '请求内容不是有效的 JSON' } },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const known = HTTP_CODES[status];
      if (known) return { status, body: { error: { ...known } } };
    }
    if (isUniqueViolation(exception)) {
      // A race the service did not name: another request wrote the same thing first. Logged to be named.
      request.log.warn({ err: exception }, 'unique key refused a write');
      return {
        status: 409,
        body: { error: { code: 'CONFLICT', message: '该内容刚被其他操作占用，请刷新后重试' } },
      };
    }
    return {
      status: 500,
      body: { error: { code: 'INTERNAL', message: `服务器开小差了，请稍后再试（${request.id}）` } },
    };
  }
}
