import { Inject, Injectable, Logger } from '@nestjs/common';
import { isSafeNumber, parse } from 'lossless-json';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { AccessTokenStore } from './access-token.store.js';
import { ERRCODE_HTTP, ERRCODE_TIMEOUT, TOKEN_ERRCODES, WechatApiError } from './wechat.errors.js';

export interface WechatSession {
  openid: string;
  unionid?: string;
  /** Stays on the server; nothing in this product needs it yet (the phone flow uses a code), so it is not stored. */
  sessionKey: string;
}

export interface WechatPhone {
  phoneNumber: string;
  purePhoneNumber: string;
  countryCode: string;
}

export interface SubscribeMessage {
  touser: string;
  templateId: string;
  page?: string;
  data: Record<string, { value: string }>;
  miniprogramState?: 'developer' | 'trial' | 'formal';
}

export interface TemplateMessage {
  /** The member's openid under the Official Account (not the mini-program openid). */
  touser: string;
  templateId: string;
  miniprogram?: { appid: string; pagepath: string };
  url?: string;
  clientMsgId?: string;
  data: Record<string, { value: string }>;
}

export interface OfficialAccountCredentials {
  appId: string;
  appSecret: string;
}

/** The WeChat server APIs this product uses. The one implementation speaks real HTTP to WECHAT_API_BASE_URL. */
export abstract class WechatGateway {
  abstract code2Session(code: string): Promise<WechatSession>;
  abstract getPhoneNumber(code: string, openid?: string): Promise<WechatPhone>;
  abstract getUserRiskRank(input: {
    openid: string;
    scene: 0 | 1;
    clientIp: string;
  }): Promise<number>;
  /** Resolves to the msgid (a string: real ones exceed 2^53). */
  abstract sendSubscribeMessage(message: SubscribeMessage): Promise<string>;
  abstract sendTemplateMessage(
    account: OfficialAccountCredentials,
    message: TemplateMessage,
  ): Promise<string>;
}

type Json = Record<string, unknown>;

@Injectable()
export class HttpWechatGateway extends WechatGateway {
  private readonly logger = new Logger('Wechat');
  private readonly base: string;
  private readonly timeoutMs = 5000;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokens: AccessTokenStore,
  ) {
    super();
    this.base = config.wechat.apiBaseUrl.replace(/\/$/, '');
  }

  async code2Session(code: string): Promise<WechatSession> {
    const { appId, appSecret } = this.config.wechat;
    const qs = new URLSearchParams({
      appid: appId,
      secret: appSecret,
      js_code: code,
      grant_type: 'authorization_code',
    });
    const body = await this.request('GET', '/sns/jscode2session', qs);
    if (typeof body.openid !== 'string' || typeof body.session_key !== 'string') {
      throw new WechatApiError(
        ERRCODE_HTTP,
        'jscode2session answered without openid',
        '/sns/jscode2session',
      );
    }
    return {
      openid: body.openid,
      unionid: typeof body.unionid === 'string' ? body.unionid : undefined,
      sessionKey: body.session_key,
    };
  }

  async getPhoneNumber(code: string, openid?: string): Promise<WechatPhone> {
    const body = await this.withToken(
      this.config.wechat.appId,
      this.config.wechat.appSecret,
      (token) =>
        this.request(
          'POST',
          '/wxa/business/getuserphonenumber',
          new URLSearchParams({ access_token: token }),
          { code, ...(openid ? { openid } : {}) },
        ),
    );
    const info = body.phone_info as Json | undefined;
    if (!info || typeof info.purePhoneNumber !== 'string') {
      throw new WechatApiError(
        ERRCODE_HTTP,
        'getuserphonenumber answered without phone_info',
        '/wxa/business/getuserphonenumber',
      );
    }
    // countryCode is documented as a string but arrives as a number: accept both.
    return {
      phoneNumber: String(info.phoneNumber),
      purePhoneNumber: info.purePhoneNumber,
      countryCode: String(info.countryCode),
    };
  }

  /** WeChat's risk rank of a user for a scene (1 = marketing: coupons, redemptions): 0 normal … 4 highest. */
  async getUserRiskRank(input: {
    openid: string;
    scene: 0 | 1;
    clientIp: string;
  }): Promise<number> {
    const { appId, appSecret } = this.config.wechat;
    const body = await this.withToken(appId, appSecret, (token) =>
      this.request('POST', '/wxa/getuserriskrank', new URLSearchParams({ access_token: token }), {
        appid: appId,
        openid: input.openid,
        scene: input.scene,
        client_ip: input.clientIp,
      }),
    );
    if (typeof body.risk_rank !== 'number')
      throw new WechatApiError(
        ERRCODE_HTTP,
        'getuserriskrank answered without risk_rank',
        '/wxa/getuserriskrank',
      );
    return body.risk_rank;
  }

  async sendSubscribeMessage(message: SubscribeMessage): Promise<string> {
    const body = await this.withToken(
      this.config.wechat.appId,
      this.config.wechat.appSecret,
      (token) =>
        this.request(
          'POST',
          '/cgi-bin/message/subscribe/send',
          new URLSearchParams({ access_token: token }),
          {
            touser: message.touser,
            template_id: message.templateId,
            ...(message.page ? { page: message.page } : {}),
            miniprogram_state: message.miniprogramState ?? 'formal',
            lang: 'zh_CN',
            data: message.data,
          },
        ),
    );
    return String(body.msgid);
  }

  async sendTemplateMessage(
    account: OfficialAccountCredentials,
    message: TemplateMessage,
  ): Promise<string> {
    const body = await this.withToken(account.appId, account.appSecret, (token) =>
      this.request(
        'POST',
        '/cgi-bin/message/template/send',
        new URLSearchParams({ access_token: token }),
        {
          touser: message.touser,
          template_id: message.templateId,
          ...(message.url ? { url: message.url } : {}),
          ...(message.miniprogram ? { miniprogram: message.miniprogram } : {}),
          ...(message.clientMsgId ? { client_msg_id: message.clientMsgId } : {}),
          data: message.data,
        },
      ),
    );
    return String(body.msgid);
  }

  /** Calls with the shared token; on 40001/40014/42001 forgets it, gets a fresh one and tries once more. */
  private async withToken(
    appId: string,
    secret: string,
    call: (token: string) => Promise<Json>,
  ): Promise<Json> {
    const fetchToken = () => this.fetchStableToken(appId, secret);
    const token = await this.tokens.get(appId, fetchToken);
    try {
      return await call(token);
    } catch (err) {
      if (!(err instanceof WechatApiError) || !TOKEN_ERRCODES.has(err.errcode)) throw err;
      this.logger.warn(
        { errcode: err.errcode, path: err.path },
        'access token refused; refreshing once',
      );
      await this.tokens.invalidate(appId, token);
      return call(await this.tokens.get(appId, fetchToken));
    }
  }

  private async fetchStableToken(
    appId: string,
    secret: string,
  ): Promise<{ token: string; expiresIn: number }> {
    const body = await this.request('POST', '/cgi-bin/stable_token', undefined, {
      grant_type: 'client_credential',
      appid: appId,
      secret,
      force_refresh: false,
    });
    if (typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
      throw new WechatApiError(
        ERRCODE_HTTP,
        'stable_token answered without a token',
        '/cgi-bin/stable_token',
      );
    }
    return { token: body.access_token, expiresIn: body.expires_in };
  }

  /** One HTTP call. Non-zero errcode, non-2xx, timeouts and unparsable bodies all become WechatApiError. */
  private async request(
    method: 'GET' | 'POST',
    path: string,
    query?: URLSearchParams,
    json?: unknown,
  ): Promise<Json> {
    const url = `${this.base}${path}${query ? `?${query.toString()}` : ''}`;
    let text: string;
    try {
      const response = await fetch(url, {
        method,
        headers: json === undefined ? {} : { 'content-type': 'application/json' },
        body: json === undefined ? undefined : JSON.stringify(json),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
      if (!response.ok) throw new WechatApiError(ERRCODE_HTTP, `HTTP ${response.status}`, path);
    } catch (err) {
      if (err instanceof WechatApiError) throw err;
      const timeout = (err as Error).name === 'TimeoutError';
      throw new WechatApiError(
        timeout ? ERRCODE_TIMEOUT : ERRCODE_HTTP,
        timeout ? 'timeout' : String(err),
        path,
      );
    }
    let body: Json;
    try {
      // msgid exceeds 2^53: numbers that do not fit a double stay strings.
      body = parse(text, null, (value: string) =>
        isSafeNumber(value) ? Number(value) : value,
      ) as Json;
    } catch {
      throw new WechatApiError(ERRCODE_HTTP, 'unparsable response', path);
    }
    const errcode = typeof body.errcode === 'number' ? body.errcode : 0;
    if (errcode !== 0) throw new WechatApiError(errcode, String(body.errmsg ?? ''), path);
    return body;
  }
}
