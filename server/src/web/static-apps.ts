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

/**
 * Only beside the fake WeChat: the browser build has no wx.login and no phone button, so the server hands out
 * the one-time codes WeChat would (for the openid this browser keeps). Never registered with real credentials.
 */
export function devWechatRoutes(fastify: FastifyInstance, fakeUrl: string): void {
  const bad = (message: string) => ({ error: { code: 'VALIDATION_FAILED', message } });
  const ask = async (reply: FastifyReply, path: string, body: Record<string, string>) => {
    try {
      const res = await fetch(`${fakeUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      });
      return { code: ((await res.json()) as { code: string }).code };
    } catch {
      return reply
        .code(503)
        .send({ error: { code: 'SERVICE_UNAVAILABLE', message: '模拟微信暂不可用，请稍后再试' } });
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
}
