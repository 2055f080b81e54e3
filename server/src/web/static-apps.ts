import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const notBuilt = (what: string) =>
  `<!doctype html><meta charset="utf-8"><p>${what}尚未构建：请先运行 npm run build。</p>`;

/** The staff console (admin/dist) at /admin/. */
export async function serveConsole(fastify: FastifyInstance): Promise<void> {
  const root = join(repoRoot, 'admin/dist');
  if (existsSync(join(root, 'index.html'))) {
    await fastify.register(fastifyStatic, { root, prefix: '/admin/', redirect: true });
  } else {
    fastify.get('/admin/*', async (_req, reply) =>
      reply.code(503).type('text/html; charset=utf-8').send(notBuilt('后台')),
    );
  }
  fastify.get('/admin', async (_req, reply) => reply.redirect('/admin/'));
}

/**
 * The member app's browser build (miniapp/dist/h5) at /, beside the API, so a newcomer sees it at once. Hashed
 * assets are cached for a year; index.html never, so a new build is picked up on the next visit.
 */
export async function serveMemberApp(fastify: FastifyInstance): Promise<void> {
  const root = join(repoRoot, 'miniapp/dist/h5');
  if (!existsSync(join(root, 'index.html'))) {
    fastify.get('/', async (_req, reply) =>
      reply.code(503).type('text/html; charset=utf-8').send(notBuilt('会员端（H5）')),
    );
    return;
  }
  await fastify.register(fastifyStatic, {
    root,
    prefix: '/',
    decorateReply: false,
    wildcard: true,
    setHeaders: (res, path) => {
      res.setHeader(
        'cache-control',
        path.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
      );
    },
  });
}

const OPENID = /^[A-Za-z0-9_-]{16,64}$/;
const PHONE = /^1[3-9]\d{9}$/;
/** What wx.requestPayment receives, as the server placed it. */
const PAY_FIELDS = ['appId', 'timeStamp', 'nonceStr', 'package', 'signType', 'paySign'] as const;
const bad = (message: string) => ({ error: { code: 'VALIDATION_FAILED', message } });
const unavailable = (message: string) => ({ error: { code: 'SERVICE_UNAVAILABLE', message } });
const postJson = (url: string, body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });

/**
 * Only beside the fake WeChat: the browser build has no wx.login and no phone button, so the server hands out
 * the one-time codes WeChat would (for the openid this browser keeps). Never registered with real credentials.
 */
export function devWechatRoutes(fastify: FastifyInstance, fakeUrl: string): void {
  const ask = async (reply: FastifyReply, path: string, body: Record<string, string>) => {
    try {
      const res = await postJson(`${fakeUrl}${path}`, body);
      return { code: ((await res.json()) as { code: string }).code };
    } catch {
      return reply.code(503).send(unavailable('模拟微信暂不可用，请稍后再试'));
    }
  };
  fastify.post('/api/dev/wechat/login-code', async (req, reply) => {
    const openid = (req.body as { openid?: unknown } | null)?.openid;
    if (typeof openid !== 'string' || !OPENID.test(openid))
      return reply.code(400).send(bad('openid 格式不正确'));
    return ask(reply, '/__fake/login-code', { openid });
  });
  fastify.post('/api/dev/wechat/phone-code', async (req, reply) => {
    const phone = (req.body as { phone?: unknown } | null)?.phone;
    if (typeof phone !== 'string' || !PHONE.test(phone))
      return reply.code(400).send(bad('手机号格式不正确'));
    return ask(reply, '/__fake/phone-code', { phone });
  });
  devPayRoute(fastify, fakeUrl);
}

/**
 * The browser build has no WeChat cashier: the member confirms in a stand-in, and the parameters
 * wx.requestPayment would receive go to the fake WeChat Pay's cashier, which checks them as the WeChat client
 * does, marks the trade paid and notifies the server. The server's own word on payment still comes from asking
 * WeChat Pay (POST /mall/redemptions/:id/pay); this only plays the member's part.
 */
function devPayRoute(fastify: FastifyInstance, fakeUrl: string): void {
  fastify.post('/api/dev/wechat/pay', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const params: Record<string, string> = {};
    for (const field of PAY_FIELDS) {
      const value = body[field];
      if (typeof value !== 'string' || value.length === 0 || value.length > 1024)
        return reply.code(400).send(bad(`支付参数 ${field} 不正确`));
      params[field] = value;
    }
    let res: Response;
    let answer: { code?: unknown; message?: unknown } | null;
    try {
      res = await postJson(`${fakeUrl}/__fake/pay/cashier`, params);
      answer = (await res.json().catch(() => null)) as typeof answer;
    } catch {
      return reply.code(503).send(unavailable('模拟微信暂不可用，请稍后再试'));
    }
    if (res.status === 200) return { ok: true };
    // The cashier's refusal ({code, message}, in Chinese) is the member's to read; anything else (no cashier
    // on this fake, a crash) is not.
    const refused = res.status >= 400 && res.status < 500 && typeof answer?.code === 'string';
    if (refused && typeof answer?.message === 'string' && answer.message.length > 0)
      return reply.code(400).send({ error: { code: 'BUSINESS_RULE', message: answer.message } });
    return reply.code(503).send(unavailable('模拟微信支付暂不可用，请稍后再试'));
  });
}
