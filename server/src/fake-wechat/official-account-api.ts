import type { FastifyInstance } from 'fastify';
import type { AcceptedMessage, FakeWechatState } from './fake-wechat-state.js';
import {
  accept,
  applyFault,
  checkToken,
  fail,
  parseJson,
  send,
  validateData,
} from './fake-wechat-kit.js';

/** The Official Account's template messages, and the fake SMS provider that sits beside them. */
export function registerOfficialAccountAndSmsApi(
  app: FastifyInstance,
  state: FakeWechatState,
): void {
  registerTemplateSend(app, state);
  registerFakeSms(app, state);
}

function registerTemplateSend(app: FastifyInstance, state: FakeWechatState): void {
  app.post('/cgi-bin/message/template/send', async (req, reply) => {
    if (await applyFault(state, '/cgi-bin/message/template/send', reply)) return reply;
    const owner = checkToken(state, req.query as Record<string, string>, reply, 'oa');
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
    const msgid = accept(state, {
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
}

function registerFakeSms(app: FastifyInstance, state: FakeWechatState): void {
  // A fake SMS provider (not WeChat): { phone, text } → { ok, id }. Faults apply to its path like to WeChat's.
  app.post('/fake-sms/send', async (req, reply) => {
    if (await applyFault(state, '/fake-sms/send', reply)) return reply;
    const body = parseJson(req.body);
    const phone = typeof body?.phone === 'string' ? body.phone : '';
    const text = typeof body?.text === 'string' ? body.text : '';
    if (!/^1[3-9]\d{9}$/.test(phone) || text.length === 0 || text.length > 500)
      return reply.status(400).send({ ok: false, error: 'invalid phone or text' });
    const msgid = accept(state, {
      channel: 'sms',
      appId: 'sms',
      touser: phone,
      templateId: '',
      data: { text: { value: text } },
    });
    return send(reply, `{"ok":true,"id":"${msgid}"}`);
  });
}
