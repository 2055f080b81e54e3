import Fastify, { type FastifyInstance } from 'fastify';
import { registerFakeControls } from './fake-controls.js';
import { DEFAULT_TEMPLATES, FakeWechatState, type FakeWechatOptions } from './fake-wechat-state.js';
import { registerMiniProgramApi } from './mini-program-api.js';
import { registerOfficialAccountAndSmsApi } from './official-account-api.js';
import { registerPayApi } from './pay-api.js';
import { registerPayControls } from './pay-controls.js';
import { PayState } from './pay-state.js';

export {
  DEFAULT_TEMPLATES,
  FakeWechatState,
  type AcceptedMessage,
  type FakeApp,
  type FakeTemplate,
  type FakeWechatOptions,
} from './fake-wechat-state.js';
export { PayState, type FakePayKeys, type FakePayOptions } from './pay-state.js';

/**
 * A faithful stand-in for api.weixin.qq.com: same paths, JSON and errcodes (reference/wechat.md), plus
 * /__fake/* controls for tests and local development. Business errors come back as HTTP 200 with
 * {errcode, errmsg}, msgid values exceed 2^53, errmsg carries a request id: all as the real thing does.
 * With `options.pay`, also a WeChat Pay API v3 (api.mch.weixin.qq.com, reference/wechatpay.md) on the same port:
 * /v3/* and /__fake/pay/*; its key to trust is `state.pay.keys` (startFakeWechat's `pay`).
 */
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

  registerMiniProgramApi(app, state);
  registerOfficialAccountAndSmsApi(app, state);
  registerFakeControls(app, state);
  if (options.pay) {
    const pay = new PayState(options.pay, () => state.now());
    state.pay = pay;
    registerPayApi(app, pay);
    registerPayControls(app, pay);
    app.addHook('onClose', async () => pay.close());
  }

  return { app, state };
}

export async function startFakeWechat(
  options: FakeWechatOptions & { port: number; host?: string },
) {
  const fake = await createFakeWechat(options);
  const address = await fake.app.listen({ port: options.port, host: options.host ?? '127.0.0.1' });
  return {
    ...fake,
    url: address,
    /** The "WeChat Pay public key" the server must trust (undefined when pay is not enabled). */
    pay: fake.state.pay?.keys,
    close: () => fake.app.close(),
  };
}
