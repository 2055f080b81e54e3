import assert from 'node:assert/strict';
import { ApiError, routes, type ApiClient } from '@huoyue/shared';
import { ADMIN, type TestServer } from './test-server.js';

let phoneSeq = 0;
/** A phone number unique within this process. */
export const uniquePhone = () =>
  `139${String(process.pid % 10000).padStart(4, '0')}${String(++phoneSeq).padStart(4, '0')}`;

/** wx.login → POST /api/auth/wechat, as the mini-program does it. */
export async function loginVisitor(server: TestServer, openid?: string) {
  const { code } = await server.fake.loginCode(openid);
  const session = await server.client().call(routes.members.wechatLogin, { body: { code } });
  return { ...session, api: server.client(session.token) };
}

/** A visitor who joined with a phone number. */
export async function joinedMember(
  server: TestServer,
  nickname = '测试会员',
  phone = uniquePhone(),
) {
  const visitor = await loginVisitor(server);
  const { code } = await server.fake.phoneCode(phone);
  const joined = await visitor.api.call(routes.members.join, {
    body: { nickname, phoneCode: code },
  });
  return { ...joined, phone, api: server.client(joined.token) };
}

export async function staffLogin(
  server: TestServer,
  username = ADMIN.username,
  password = ADMIN.password,
): Promise<ApiClient> {
  const { token } = await server
    .client()
    .call(routes.staff.login, { body: { username, password } });
  return server.client(token);
}

/** Asserts a call fails with the documented error shape: this status and this code. */
export async function expectError(
  promise: Promise<unknown>,
  status: number,
  code: string,
): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ApiError, String(err));
    assert.equal(err.code, code, err.message);
    assert.equal(err.status, status);
    return true;
  });
}
