import { randomBytes, randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AcceptedMessage, FakeWechatState } from './fake-wechat-state.js';
import {
  accept,
  applyFault,
  checkToken,
  fail,
  issueToken,
  parseJson,
  send,
  validateData,
} from './fake-wechat-kit.js';

/** The mini-program side of the fake: login, access tokens, phone numbers, risk ranks, subscribe messages. */
export function registerMiniProgramApi(app: FastifyInstance, state: FakeWechatState): void {
  registerCodeToSession(app, state);
  registerStableToken(app, state);
  registerPhoneNumber(app, state);
  registerRiskRank(app, state);
  registerSubscribeSend(app, state);
}

function registerCodeToSession(app: FastifyInstance, state: FakeWechatState): void {
  app.get('/sns/jscode2session', async (req, reply) => {
    if (await applyFault(state, '/sns/jscode2session', reply)) return reply;
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
}

/** Access tokens for both kinds of app: mini-program and Official Account. */
function registerStableToken(app: FastifyInstance, state: FakeWechatState): void {
  app.post('/cgi-bin/stable_token', async (req, reply) => {
    if (await applyFault(state, '/cgi-bin/stable_token', reply)) return reply;
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
    const issued = issueToken(state, a.appId);
    state.stable.set(a.appId, issued.token);
    return send(reply, { access_token: issued.token, expires_in: issued.expiresIn });
  });
}

function registerPhoneNumber(app: FastifyInstance, state: FakeWechatState): void {
  app.post('/wxa/business/getuserphonenumber', async (req, reply) => {
    if (await applyFault(state, '/wxa/business/getuserphonenumber', reply)) return reply;
    if (!checkToken(state, req.query as Record<string, string>, reply, 'mp')) return reply;
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
}

function registerRiskRank(app: FastifyInstance, state: FakeWechatState): void {
  // 安全风控 getuserriskrank: scene 0 = registration, 1 = marketing (coupons, redemptions).
  app.post('/wxa/getuserriskrank', async (req, reply) => {
    if (await applyFault(state, '/wxa/getuserriskrank', reply)) return reply;
    if (!checkToken(state, req.query as Record<string, string>, reply, 'mp')) return reply;
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
}

function registerSubscribeSend(app: FastifyInstance, state: FakeWechatState): void {
  app.post('/cgi-bin/message/subscribe/send', async (req, reply) => {
    if (await applyFault(state, '/cgi-bin/message/subscribe/send', reply)) return reply;
    const owner = checkToken(state, req.query as Record<string, string>, reply, 'mp');
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
    const msgid = accept(state, {
      channel: 'subscribe',
      appId: owner.appId,
      touser,
      templateId: template.templateId,
      page: typeof body.page === 'string' ? body.page : undefined,
      data: body.data as AcceptedMessage['data'],
    });
    return send(reply, `{"errcode":0,"errmsg":"ok","msgid":${msgid}}`);
  });
}
