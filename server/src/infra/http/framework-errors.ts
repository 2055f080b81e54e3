import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '@huoyue/shared';

/**
 * Errors Fastify and Node answer before a route runs (a bad URL, a path parameter over the router's limit,
 * headers too large, a request that never finishes), in the one error shape: never echoing the URL or anything
 * internal.
 */
const ROUTER_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_BAD_URL: { code: 'BAD_REQUEST', message: '请求地址无效' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'URI_TOO_LONG', message: '请求地址过长' },
};

function errorJson(code: ErrorCode, message: string): string {
  const body: ErrorBody = { error: { code, message } };
  return JSON.stringify(body);
}

/** Fastify's `frameworkErrors`: the router's own refusals (bad URL encoding, a path parameter too long). */
export function frameworkErrors(
  error: { code?: string },
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const known = ROUTER_ERRORS[error.code ?? ''] ?? { code: 'BAD_REQUEST', message: '请求有误' };
  void reply
    .status(ERROR_STATUS[known.code])
    .header('content-type', 'application/json; charset=utf-8')
    .header('x-request-id', request.id)
    // Hooks (and so the security headers) do not run for these: the one that matters for a JSON error.
    .header('x-content-type-options', 'nosniff')
    .send(errorJson(known.code, known.message));
}

/** Node's `clientError` (Fastify's `clientErrorHandler`): malformed requests, headers too large, timeouts. */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  let code: ErrorCode = 'BAD_REQUEST';
  let message = '请求格式有误';
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    code = 'HEADERS_TOO_LARGE';
    message = '请求头过大';
  } else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    code = 'REQUEST_TIMEOUT';
    message = '请求超时';
  } else if (error.code === 'HPE_URI_TOO_LONG') {
    code = 'URI_TOO_LONG';
    message = '请求地址过长';
  }
  const status = ERROR_STATUS[code];
  const body = errorJson(code, message);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
