/**
 * What every fake endpoint shares: WeChat-shaped replies and errcodes, injected faults, access tokens,
 * template data checks and message acceptance.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { isValidValue, keywordType } from '../infra/wechat/value-rules.js';
import type {
  AcceptedMessage,
  FakeApp,
  FakeTemplate,
  FakeWechatState,
} from './fake-wechat-state.js';

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
export const openidLike = () => 'o' + randomBytes(21).toString('base64url').slice(0, 27);

export const send = (reply: FastifyReply, body: Record<string, unknown> | string) =>
  reply
    .header('content-type', 'application/json; encoding=utf-8')
    .send(typeof body === 'string' ? body : JSON.stringify(body));
export const fail = (reply: FastifyReply, errcode: number, detail = '') =>
  send(reply, {
    errcode,
    errmsg: `${ERRMSG[errcode] ?? 'error'}${detail ? ' ' + detail : ''} rid: ${rid()}`,
  });

/** Applies an injected fault for this path, if any. Returns true when the request was answered. */
export async function applyFault(
  state: FakeWechatState,
  path: string,
  reply: FastifyReply,
): Promise<boolean> {
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

export function parseJson(body: unknown): Record<string, unknown> | undefined {
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

export function issueToken(
  state: FakeWechatState,
  appId: string,
): { token: string; expiresIn: number } {
  const token = `${randomInt(10, 99)}_${randomBytes(96).toString('base64url')}`;
  state.tokens.set(token, {
    appId,
    expiresAt: state.now() + TOKEN_TTL_S * 1000,
    invalidated: false,
  });
  return { token, expiresIn: TOKEN_TTL_S };
}

/** Checks ?access_token for a business API; answers and returns undefined when it is not good. */
export function checkToken(
  state: FakeWechatState,
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

export function validateData(template: FakeTemplate, data: unknown): string | undefined {
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

export function accept(
  state: FakeWechatState,
  message: Omit<AcceptedMessage, 'msgid' | 'at'>,
): string {
  // Real msgids exceed 2^53; the reply is written by hand so JSON keeps every digit.
  const msgid = (
    BigInt(2) ** BigInt(61) +
    BigInt(randomInt(0, 2 ** 47)) * BigInt(1000) +
    BigInt(state.messages.length % 1000)
  ).toString();
  state.messages.push({ ...message, msgid, at: new Date(state.now()).toISOString() });
  return msgid;
}
