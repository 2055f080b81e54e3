import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { WechatApiError } from '../../infra/wechat/wechat.errors.js';

/**
 * How a failed send is handled: `transient` is retried with backoff; `unreachable` means this channel cannot reach
 * this member (no consent left, not following, no valid id): the next channel in the fallback order is tried;
 * `permanent` is recorded and never retried unchanged.
 */
export type FailureKind = 'transient' | 'unreachable' | 'permanent';

export class SendFailure extends Error {
  constructor(
    readonly reason: string,
    readonly kind: FailureKind,
  ) {
    super(reason);
  }
}

const UNREACHABLE = new Set([43101, 43004, 40003]);

/** WeChat's errcodes sorted into what the dispatcher does about them (reference/wechat.md §3.3, §4.4). */
export function classifyWechat(err: WechatApiError): SendFailure {
  if (err.transient) return new SendFailure(String(err.errcode), 'transient');
  // Token errors that survived the gateway's one refresh-and-retry: try again later.
  if ([40001, 40014, 42001, 41001].includes(err.errcode))
    return new SendFailure(String(err.errcode), 'transient');
  if (UNREACHABLE.has(err.errcode)) return new SendFailure(String(err.errcode), 'unreachable');
  return new SendFailure(String(err.errcode), 'permanent');
}

/** Any error from a send as a SendFailure: WeChat's errcodes classified, anything unknown transient. */
export function toSendFailure(err: unknown): SendFailure {
  if (err instanceof SendFailure) return err;
  if (err instanceof WechatApiError) return classifyWechat(err);
  return new SendFailure('error', 'transient');
}

/** A brand's SMS provider. The built-in one speaks a plain HTTP JSON API ({ phone, text } → { ok, id }). */
export abstract class SmsGateway {
  abstract readonly available: boolean;
  abstract send(phone: string, text: string): Promise<string>;
}

@Injectable()
export class HttpSmsGateway extends SmsGateway {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
  }

  get available(): boolean {
    return this.config.smsApiUrl !== null;
  }

  async send(phone: string, text: string): Promise<string> {
    if (!this.config.smsApiUrl) throw new SendFailure('sms_unavailable', 'unreachable');
    let response: Response;
    try {
      response = await fetch(this.config.smsApiUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phone, text }),
        signal: AbortSignal.timeout(5000),
      });
    } catch (err) {
      throw new SendFailure(
        (err as Error).name === 'TimeoutError' ? 'sms_timeout' : 'sms_network',
        'transient',
      );
    }
    if (response.status >= 500) throw new SendFailure(`sms_http_${response.status}`, 'transient');
    const body = (await response.json().catch(() => null)) as { ok?: boolean; id?: string } | null;
    if (!response.ok || !body?.ok)
      throw new SendFailure(`sms_http_${response.status}`, 'permanent');
    return String(body.id ?? '');
  }
}
