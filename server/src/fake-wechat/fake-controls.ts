import { randomBytes, randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Fault, FakeTemplate, FakeWechatState } from './fake-wechat-state.js';
import { openidLike, parseJson } from './fake-wechat-kit.js';

// ---- Controls for tests and local development. Not part of WeChat. ----
const json = (body: unknown) =>
  typeof body === 'string' ? (parseJson(body) ?? {}) : ((body ?? {}) as Record<string, unknown>);

/** Registers the /__fake/* controls. */
export function registerFakeControls(app: FastifyInstance, state: FakeWechatState): void {
  registerCodeControls(app, state);
  registerTokenAndFaultControls(app, state);
  registerAudienceControls(app, state);
  registerClockAndMessageControls(app, state);
}

/** Login and phone codes to hand to the server, and per-openid risk ranks. */
function registerCodeControls(app: FastifyInstance, state: FakeWechatState): void {
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
}

function registerTokenAndFaultControls(app: FastifyInstance, state: FakeWechatState): void {
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
}

/** Who refuses which template, who follows the Official Account, and which templates exist. */
function registerAudienceControls(app: FastifyInstance, state: FakeWechatState): void {
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
}

function registerClockAndMessageControls(app: FastifyInstance, state: FakeWechatState): void {
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
}
