import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { AppConfig } from '../config/config.js';

const PHONE = /(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g;
/** Masks mainland mobile numbers anywhere in a string: 13812345678 → 138****5678. */
export const maskPhones = (s: string) => s.replace(PHONE, '$1****$2');

const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.token',
  '*.code',
  '*.phoneCode',
  '*.session_key',
  '*.sessionKey',
  '*.secret',
  '*.access_token',
];

/**
 * Keeps an incoming `x-request-id` when it is a plain token (so a gateway's id follows the request), else a
 * new one.
 */
export function requestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(incoming)
    ? incoming
    : randomUUID();
}

/**
 * The one pino logger of the process. Fastify gets it directly (each request's `request.log` is a child carrying
 * `reqId`), and Nest's own logging goes through {@link NestPinoLogger}. Tokens, passwords, login and phone codes are
 * never written; phone numbers are masked wherever they appear.
 */
export function createLogger(
  config: Pick<AppConfig, 'logLevel'>,
  destination?: DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service: 'huoyue', pid: process.pid },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: { method: string; url: string }) => ({
        method: req.method,
        url: maskPhones(req.url.replace(/access_token=[^&]+/, 'access_token=[redacted]')),
      }),
      err: pino.stdSerializers.err,
    },
    formatters: {
      log: (object: Record<string, unknown>) => {
        for (const key of ['phone', 'purePhoneNumber', 'phoneNumber']) {
          if (typeof object[key] === 'string') object[key] = maskPhones(object[key]);
        }
        return object;
      },
    },
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? maskPhones(a) : a)) as Parameters<typeof method>,
        );
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * Nest's `LoggerService` over the same pino logger, so `new Logger('Members').log(...)` lines share its format,
 * level and masking. Nest appends the context name as the last string argument.
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]) {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.write('fatal', message, rest);
  }

  private write(
    level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal',
    message: unknown,
    rest: unknown[],
  ) {
    if (!this.logger.isLevelEnabled(level)) return;
    const params = [...rest];
    const context =
      params.length > 0 && typeof params[params.length - 1] === 'string'
        ? (params.pop() as string)
        : undefined;
    const fields: Record<string, unknown> = context ? { context } : {};
    // Nest's error(message, stack, context): the stack arrives as a string.
    if (level === 'error' && typeof params[0] === 'string') fields.stack = params.shift();
    if (message instanceof Error) {
      this.logger[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level](
        { ...fields, ...(message as Record<string, unknown>) },
        typeof params[0] === 'string' ? params[0] : undefined,
      );
    } else {
      this.logger[level](fields, String(message));
    }
  }
}

/**
 * One line per request, written when it completes (Fastify's default writes two), with the method, the masked
 * URL, the status and the time taken. Health probes are not logged: they would drown everything else.
 */
export class RequestLogController extends LogController {
  override isLogDisabled(request: FastifyRequest): boolean {
    return request.url.startsWith('/api/health') || request.url.startsWith('/metrics');
  }

  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(request)) return;
    const fields = {
      req: request,
      res: { statusCode: reply.statusCode },
      responseTime: Math.round(reply.elapsedTime),
    };
    if (error) request.log.error({ ...fields, err: error }, 'request errored');
    else request.log.info(fields, 'request completed');
  }
}
