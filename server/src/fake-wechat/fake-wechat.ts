import { randomBytes, randomInt } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { isValidValue, keywordType } from '../infra/wechat/value-rules.js';

/**
 * A faithful stand-in for api.weixin.qq.com: same paths, JSON and errcodes (reference/wechat.md), plus
 * /__fake/* controls for tests and local development. Business errors come back as HTTP 200 with
 * {errcode, errmsg}, msgid values exceed 2^53, errmsg carries a request id: all as the real thing does.
 */
export interface FakeApp {
  appId: string;
  secret: string;
  /** 'mp' = mini-program, 'oa' = Official Account (tokens are not interchangeable: 48001). */
  kind: 'mp' | 'oa';
}

export interface FakeTemplate {
  templateId: string;
  title: string;
  kind: 'one_time' | 'long_term';
  /** Keyword names such as thing1, date2; types come from the prefix. */
  keys: string[];
}

export interface AcceptedMessage {
  /** `sms`: the fake SMS provider below (not WeChat; the built-in stand-in for a brand's SMS API). */
  channel: 'subscribe' | 'template' | 'sms';
  msgid: string;
  appId: string;
  touser: string;
  templateId: string;
  page?: string;
  data: Record<string, { value: string }>;
  clientMsgId?: string;
  at: string;
}

interface Fault {
  path: string;
  errcode?: number;
  delayMs?: number;
  /** HTTP status instead of a WeChat errcode (502, 503 ...). */
  httpStatus?: number;
  remaining: number;
}

interface TokenInfo {
  appId: string;
  expiresAt: number;
  invalidated: boolean;
}

const TOKEN_TTL_S = 7200;
const ERRMSG: Record<number, string> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40002: 'invalid grant_type',
  40003: 'invalid openid',
  40013: 'invalid appid',
  40014: 'invalid access_token',
  40029: 'invalid code',
  40037: 'invalid template_id',
  40125: 'invalid appsecret',
  40163: 'code been used',
  41001: 'access_token missing',
  41002: 'appid missing',
  41004: 'appsecret missing',
  42001: 'access_token expired',
  43004: 'require subscribe',
  43101: 'user refuse to accept the msg',
  45009: 'reach max api daily quota limit',
  45011: 'api minute-quota reach limit mustslower retry next minute',
  47001: 'data format error',
  47003: 'argument invalid!',
  48001: 'api unauthorized',
};

const rid = () =>
  `${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}`;
const openidLike = () => 'o' + randomBytes(21).toString('base64url').slice(0, 27);

export class FakeWechatState {
  apps = new Map<string, FakeApp>();
  loginCodes = new Map<
    string,
    { openid: string; unionid?: string; appId: string; expiresAt: number; used: boolean }
  >();
  phoneCodes = new Map<string, { phone: string; expiresAt: number; used: boolean }>();
  tokens = new Map<string, TokenInfo>();
  stable = new Map<string, string>();
  templates = new Map<string, FakeTemplate>();
  /** openid → template ids (or '*') whose sends are refused with 43101. */
  refusals = new Map<string, Set<string>>();
  /** unionids that follow the Official Account (template messages need it: 43004 otherwise). */
  followers = new Set<string>();
  /** OA openid → unionid */
  oaOpenids = new Map<string, string>();
  /** openid → risk rank (0 normal … 4 highest) answered by /wxa/getuserriskrank; unknown openids are 0. */
  riskRanks = new Map<string, number>();
  faults: Fault[] = [];
  messages: AcceptedMessage[] = [];
  clientMsgIds = new Map<string, string>();
  calls = new Map<string, number>();
  clockOffsetMs = 0;

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }
}

export interface FakeWechatOptions {
  apps: FakeApp[];
  templates?: FakeTemplate[];
  logger?: boolean;
}

export const DEFAULT_TEMPLATES: FakeTemplate[] = [
  {
    templateId: 'tpl_points_expiring_00000000000000000000000',
    title: '积分到期提醒',
    kind: 'one_time',
    keys: ['thing1', 'number2', 'date3'],
  },
  {
    templateId: 'tpl_coupon_expiring_00000000000000000000000',
    title: '优惠券到期提醒',
    kind: 'one_time',
    keys: ['thing1', 'date2', 'thing3'],
  },
  {
    templateId: 'tpl_checkin_reminder_0000000000000000000000',
    title: '签到提醒',
    kind: 'one_time',
    keys: ['thing1', 'number2', 'thing3'],
  },
  {
    templateId: 'tpl_tier_retention_000000000000000000000000',
    title: '会员等级变动提醒',
    kind: 'one_time',
    keys: ['thing1', 'phrase2', 'date3'],
  },
  {
    templateId: 'tpl_oa_service_notice_0000000000000000000000',
    title: '会员服务通知',
    kind: 'long_term',
    keys: ['thing1', 'time2'],
  },
  {
    templateId: 'tpl_shipping_update_00000000000000000000000',
    title: '发货通知',
    kind: 'one_time',
    keys: ['thing1', 'character_string2', 'time3'],
  },
];

export async function createFakeWechat(
  options: FakeWechatOptions,
): Promise<{ app: FastifyInstance; state: FakeWechatState }> {
  const state = new FakeWechatState();
  for (const a of options.apps) state.apps.set(a.appId, a);
  for (const t of options.templates ?? DEFAULT_TEMPLATES) state.templates.set(t.templateId, t);

  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 1024 * 1024 });
  // WeChat parses JSON bodies whatever the content type says; so does the fake.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  const send = (reply: FastifyReply, body: Record<string, unknown> | string) =>
    reply
      .header('content-type', 'application/json; encoding=utf-8')
      .send(typeof body === 'string' ? body : JSON.stringify(body));
  const fail = (reply: FastifyReply, errcode: number, detail = '') =>
    send(reply, {
      errcode,
      errmsg: `${ERRMSG[errcode] ?? 'error'}${detail ? ' ' + detail : ''} rid: ${rid()}`,
    });

  /** Applies an injected fault for this path, if any. Returns true when the request was answered. */
  async function applyFault(path: string, reply: FastifyReply): Promise<boolean> {
    state.calls.set(path, (state.calls.get(path) ?? 0) + 1);
    const fault = state.faults.find((f) => (f.path === path || f.path === '*') && f.remaining > 0);
    if (!fault) return false;
    fault.remaining--;
    if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault.httpStatus) {
      await reply.status(fault.httpStatus).send('<html>bad gateway</html>');
      return true;
    }
    if (fault.errcode !== undefined) {
      await fail(reply, fault.errcode);
      return true;
    }
    return false;
  }

  function parseJson(body: unknown): Record<string, unknown> | undefined {
    if (typeof body !== 'string' || body.length === 0) return undefined;
    try {
      const parsed = JSON.parse(body) as unknown;
      return typeof parsed === 'object' && parsed !== null
        ? (parsed as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  }

  function issueToken(appId: string): { token: string; expiresIn: number } {
    const token = `${randomInt(10, 99)}_${randomBytes(96).toString('base64url')}`;
    state.tokens.set(token, {
      appId,
      expiresAt: state.now() + TOKEN_TTL_S * 1000,
      invalidated: false,
    });
    return { token, expiresIn: TOKEN_TTL_S };
  }

  /** Checks ?access_token for a business API; answers and returns undefined when it is not good. */
  function checkToken(
    query: Record<string, string | undefined>,
    reply: FastifyReply,
    kind: 'mp' | 'oa',
  ): FakeApp | undefined {
    const token = query.access_token;
    if (!token) return void fail(reply, 41001);
    const info = state.tokens.get(token);
    if (!info) return void fail(reply, 40014);
    if (info.invalidated) return void fail(reply, 40001);
    if (info.expiresAt <= state.now()) return void fail(reply, 42001);
    const owner = state.apps.get(info.appId);
    if (!owner || owner.kind !== kind) return void fail(reply, 48001);
    return owner;
  }

  app.get('/sns/jscode2session', async (req, reply) => {
    if (await applyFault('/sns/jscode2session', reply)) return reply;
    const q = req.query as Record<string, string | undefined>;
    const a = q.appid ? state.apps.get(q.appid) : undefined;
    if (!a) return fail(reply, 40013);
    if (q.secret !== a.secret) return fail(reply, 40125);
    if (q.grant_type !== 'authorization_code') return fail(reply, 40002);
    const entry = q.js_code ? state.loginCodes.get(q.js_code) : undefined;
    if (!entry || entry.appId !== a.appId || entry.expiresAt <= state.now())
      return fail(reply, 40029);
    if (entry.used) return fail(reply, 40163);
    entry.used = true;
    const body: Record<string, string> = {
      openid: entry.openid,
      session_key: randomBytes(16).toString('base64'),
    };
    if (entry.unionid) body.unionid = entry.unionid;
    return send(reply, body);
  });

  app.post('/cgi-bin/stable_token', async (req, reply) => {
    if (await applyFault('/cgi-bin/stable_token', reply)) return reply;
    const body = parseJson(req.body);
    if (!body?.appid) return fail(reply, 41002);
    if (!body.secret) return fail(reply, 41004);
    if (body.grant_type !== 'client_credential') return fail(reply, 40002);
    const a = state.apps.get(String(body.appid));
    if (!a) return fail(reply, 40013);
    if (body.secret !== a.secret) return fail(reply, 40125);
    const current = state.stable.get(a.appId);
    const info = current ? state.tokens.get(current) : undefined;
    // Normal mode is idempotent: the same token with its remaining life, until 5 minutes before expiry.
    if (
      current &&
      info &&
      !info.invalidated &&
      !body.force_refresh &&
      info.expiresAt - state.now() > 300_000
    ) {
      return send(reply, {
        access_token: current,
        expires_in: Math.floor((info.expiresAt - state.now()) / 1000),
      });
    }
    if (current && info && body.force_refresh) info.invalidated = true;
    const issued = issueToken(a.appId);
    state.stable.set(a.appId, issued.token);
    return send(reply, { access_token: issued.token, expires_in: issued.expiresIn });
  });

  app.post('/wxa/business/getuserphonenumber', async (req, reply) => {
    if (await applyFault('/wxa/business/getuserphonenumber', reply)) return reply;
    if (!checkToken(req.query as Record<string, string>, reply, 'mp')) return reply;
    const body = parseJson(req.body);
    const entry = body?.code ? state.phoneCodes.get(String(body.code)) : undefined;
    if (!entry || entry.used || entry.expiresAt <= state.now()) return fail(reply, 40029);
    entry.used = true;
    return send(reply, {
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: `+86${entry.phone}`,
        purePhoneNumber: entry.phone,
        countryCode: 86,
        watermark: {
          timestamp: Math.floor(state.now() / 1000),
          appid: [...state.apps.values()].find((x) => x.kind === 'mp')?.appId,
        },
      },
    });
  });

  // 安全风控 getuserriskrank: scene 0 = registration, 1 = marketing (coupons, redemptions).
  app.post('/wxa/getuserriskrank', async (req, reply) => {
    if (await applyFault('/wxa/getuserriskrank', reply)) return reply;
    if (!checkToken(req.query as Record<string, string>, reply, 'mp')) return reply;
    const body = parseJson(req.body);
    if (!body?.appid || !body.openid || (body.scene !== 0 && body.scene !== 1) || !body.client_ip)
      return fail(reply, 40003);
    return send(reply, {
      errcode: 0,
      errmsg: 'getuserriskrank succ',
      risk_rank: state.riskRanks.get(String(body.openid)) ?? 0,
      unoin_id: randomInt(1, 2 ** 31),
    });
  });

  function validateData(template: FakeTemplate, data: unknown): string | undefined {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'data';
    const entries = data as Record<string, unknown>;
    for (const key of template.keys) {
      const v = entries[key] as { value?: unknown } | undefined;
      const type = keywordType(key);
      if (!v || typeof v.value !== 'string' || !type || !isValidValue(type, v.value))
        return `data.${key}.value`;
    }
    for (const key of Object.keys(entries)) if (!template.keys.includes(key)) return `data.${key}`;
    return undefined;
  }

  function accept(message: Omit<AcceptedMessage, 'msgid' | 'at'>): string {
    // Real msgids exceed 2^53; the reply is written by hand so JSON keeps every digit.
    const msgid = (
      BigInt(2) ** BigInt(61) +
      BigInt(randomInt(0, 2 ** 47)) * BigInt(1000) +
      BigInt(state.messages.length % 1000)
    ).toString();
    state.messages.push({ ...message, msgid, at: new Date(state.now()).toISOString() });
    return msgid;
  }

  app.post('/cgi-bin/message/subscribe/send', async (req, reply) => {
    if (await applyFault('/cgi-bin/message/subscribe/send', reply)) return reply;
    const owner = checkToken(req.query as Record<string, string>, reply, 'mp');
    if (!owner) return reply;
    const body = parseJson(req.body);
    if (!body) return fail(reply, 47001);
    const touser = typeof body.touser === 'string' ? body.touser : '';
    if (!/^o[A-Za-z0-9_-]{20,40}$/.test(touser)) return fail(reply, 40003);
    const template = state.templates.get(String(body.template_id ?? ''));
    if (!template || template.kind !== 'one_time') return fail(reply, 40037);
    const refused = state.refusals.get(touser);
    if (refused && (refused.has('*') || refused.has(template.templateId)))
      return fail(reply, 43101);
    const invalid = validateData(template, body.data);
    if (invalid) return fail(reply, 47003, `${invalid} invalid`);
    const msgid = accept({
      channel: 'subscribe',
      appId: owner.appId,
      touser,
      templateId: template.templateId,
      page: typeof body.page === 'string' ? body.page : undefined,
      data: body.data as AcceptedMessage['data'],
    });
    return send(reply, `{"errcode":0,"errmsg":"ok","msgid":${msgid}}`);
  });

  app.post('/cgi-bin/message/template/send', async (req, reply) => {
    if (await applyFault('/cgi-bin/message/template/send', reply)) return reply;
    const owner = checkToken(req.query as Record<string, string>, reply, 'oa');
    if (!owner) return reply;
    const body = parseJson(req.body);
    if (!body) return fail(reply, 47001);
    const touser = typeof body.touser === 'string' ? body.touser : '';
    const unionid = state.oaOpenids.get(touser);
    if (!unionid) return fail(reply, 40003);
    if (!state.followers.has(unionid)) return fail(reply, 43004);
    const template = state.templates.get(String(body.template_id ?? ''));
    if (!template) return fail(reply, 40037);
    const invalid = validateData(template, body.data);
    if (invalid) return fail(reply, 47003, `${invalid} invalid`);
    const clientMsgId = typeof body.client_msg_id === 'string' ? body.client_msg_id : undefined;
    const dedupeKey = clientMsgId ? `${touser}:${clientMsgId}` : undefined;
    const previous = dedupeKey ? state.clientMsgIds.get(dedupeKey) : undefined;
    if (previous) return send(reply, `{"errcode":0,"errmsg":"ok","msgid":${previous}}`);
    const miniprogram = body.miniprogram as { pagepath?: string } | undefined;
    const msgid = accept({
      channel: 'template',
      appId: owner.appId,
      touser,
      templateId: template.templateId,
      page: miniprogram?.pagepath,
      data: body.data as AcceptedMessage['data'],
      clientMsgId,
    });
    if (dedupeKey) state.clientMsgIds.set(dedupeKey, msgid);
    return send(reply, `{"errcode":0,"errmsg":"ok","msgid":${msgid}}`);
  });

  // A fake SMS provider (not WeChat): { phone, text } → { ok, id }. Faults apply to its path like to WeChat's.
  app.post('/fake-sms/send', async (req, reply) => {
    if (await applyFault('/fake-sms/send', reply)) return reply;
    const body = parseJson(req.body);
    const phone = typeof body?.phone === 'string' ? body.phone : '';
    const text = typeof body?.text === 'string' ? body.text : '';
    if (!/^1[3-9]\d{9}$/.test(phone) || text.length === 0 || text.length > 500)
      return reply.status(400).send({ ok: false, error: 'invalid phone or text' });
    const msgid = accept({
      channel: 'sms',
      appId: 'sms',
      touser: phone,
      templateId: '',
      data: { text: { value: text } },
    });
    return send(reply, `{"ok":true,"id":"${msgid}"}`);
  });

  // ---- Controls for tests and local development. Not part of WeChat. ----
  const json = (body: unknown) =>
    typeof body === 'string' ? (parseJson(body) ?? {}) : ((body ?? {}) as Record<string, unknown>);

  app.post('/__fake/login-code', async (req) => {
    const b = json(req.body);
    const mp = [...state.apps.values()].find((x) => x.kind === 'mp');
    const appId = typeof b.appId === 'string' ? b.appId : (mp?.appId ?? '');
    const openid = typeof b.openid === 'string' ? b.openid : openidLike();
    const unionid = typeof b.unionid === 'string' ? b.unionid : undefined;
    const code = randomBytes(16).toString('hex');
    const ttl = typeof b.ttlSeconds === 'number' ? b.ttlSeconds : 300;
    state.loginCodes.set(code, {
      openid,
      unionid,
      appId,
      expiresAt: state.now() + ttl * 1000,
      used: false,
    });
    return { code, openid, unionid: unionid ?? null };
  });

  app.post('/__fake/phone-code', async (req) => {
    const b = json(req.body);
    const phone =
      typeof b.phone === 'string' ? b.phone : `139${String(randomInt(0, 1e8)).padStart(8, '0')}`;
    const code = randomBytes(32).toString('hex');
    state.phoneCodes.set(code, { phone, expiresAt: state.now() + 300_000, used: false });
    return { code, phone };
  });

  app.post('/__fake/risk-rank', async (req) => {
    const b = json(req.body);
    state.riskRanks.set(String(b.openid), Number(b.rank));
    return { ok: true };
  });

  app.post('/__fake/tokens/expire-all', async () => {
    for (const info of state.tokens.values())
      info.expiresAt = Math.min(info.expiresAt, state.now());
    return { ok: true };
  });

  app.post('/__fake/tokens/invalidate-all', async () => {
    for (const info of state.tokens.values()) info.invalidated = true;
    state.stable.clear();
    return { ok: true };
  });

  app.post('/__fake/faults', async (req) => {
    const b = json(req.body);
    const fault: Fault = {
      path: String(b.path ?? '*'),
      errcode: typeof b.errcode === 'number' ? b.errcode : undefined,
      delayMs: typeof b.delayMs === 'number' ? b.delayMs : undefined,
      httpStatus: typeof b.httpStatus === 'number' ? b.httpStatus : undefined,
      remaining: typeof b.times === 'number' ? b.times : 1,
    };
    state.faults.push(fault);
    return { ok: true };
  });

  app.delete('/__fake/faults', async () => {
    state.faults = [];
    return { ok: true };
  });

  app.post('/__fake/refusals', async (req) => {
    const b = json(req.body);
    const openid = String(b.openid ?? '');
    const set = state.refusals.get(openid) ?? new Set<string>();
    set.add(typeof b.templateId === 'string' ? b.templateId : '*');
    state.refusals.set(openid, set);
    return { ok: true };
  });

  app.post('/__fake/followers', async (req) => {
    const b = json(req.body);
    const unionid = String(b.unionid ?? '');
    const oaOpenid = typeof b.oaOpenid === 'string' ? b.oaOpenid : openidLike();
    // following: false makes an OA user who unfollowed (template sends answer 43004).
    if (b.following === false) state.followers.delete(unionid);
    else state.followers.add(unionid);
    state.oaOpenids.set(oaOpenid, unionid);
    return { oaOpenid, unionid };
  });

  app.post('/__fake/templates', async (req) => {
    const b = json(req.body) as unknown as FakeTemplate;
    state.templates.set(b.templateId, b);
    return { ok: true };
  });

  app.post('/__fake/clock', async (req) => {
    const b = json(req.body);
    state.clockOffsetMs = typeof b.offsetMs === 'number' ? b.offsetMs : 0;
    return { ok: true, now: new Date(state.now()).toISOString() };
  });

  app.get('/__fake/messages', async () => ({ items: state.messages }));
  app.delete('/__fake/messages', async () => {
    state.messages = [];
    state.clientMsgIds.clear();
    return { ok: true };
  });
  app.get('/__fake/stats', async () => ({
    calls: Object.fromEntries(state.calls),
    messages: state.messages.length,
    tokens: state.tokens.size,
  }));

  return { app, state };
}

export async function startFakeWechat(
  options: FakeWechatOptions & { port: number; host?: string },
) {
  const fake = await createFakeWechat(options);
  const address = await fake.app.listen({ port: options.port, host: options.host ?? '127.0.0.1' });
  return { ...fake, url: address, close: () => fake.app.close() };
}
