import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/config.js';

const PHONE = /(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g;
/** Masks mainland mobile numbers anywhere in a string: 13812345678 → 138****5678. */
export const maskPhones = (s: string) => s.replace(PHONE, '$1****$2');

/**
 * Structured logs with a request id on every line; tokens, passwords, login and phone codes are never written,
 * phone numbers are masked wherever they appear.
 */
export function loggerParams(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      genReqId: (req: IncomingMessage) => {
        const incoming = req.headers['x-request-id'];
        return typeof incoming === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(incoming) ? incoming : randomUUID();
      },
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token', '*.code', '*.phoneCode', '*.session_key', '*.sessionKey', '*.secret', '*.access_token'],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: maskPhones(req.url.replace(/access_token=[^&]+/, 'access_token=[redacted]')) }),
      },
      formatters: {
        log: (object: Record<string, unknown>) => {
          for (const key of ['phone', 'purePhoneNumber', 'phoneNumber']) {
            if (typeof object[key] === 'string') object[key] = maskPhones(object[key] as string);
          }
          return object;
        },
      },
      hooks: {
        logMethod(args: unknown[], method: (...a: unknown[]) => void) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? maskPhones(a) : a)));
        },
      },
      customProps: () => ({ service: 'huoyue' }),
      autoLogging: { ignore: (req: IncomingMessage) => req.url === '/api/health' },
    },
  } as Params;
}
