import Taro from '@tarojs/taro';
import type { RouteDef, RouteInput, RouteOutput } from '@huoyue/shared';
import { MemberSession, type TokenStorage } from '../services/session';
import { devCode } from './dev';
import { API_BASE_URL, taroTransport } from './transport';

const TOKEN_KEY = 'hy_token';
export const taroStorage: TokenStorage = {
  get: () => (Taro.getStorageSync(TOKEN_KEY) as string) || null,
  set: (token) =>
    token ? Taro.setStorageSync(TOKEN_KEY, token) : Taro.removeStorageSync(TOKEN_KEY),
};

/** A fresh wx.login code; in the browser build the dev server's fake WeChat hands one out for this browser. */
async function loginCode(): Promise<string> {
  if (process.env.TARO_ENV === 'h5') return devCode('login-code');
  const { code } = await Taro.login();
  return code;
}

export const session = new MemberSession({
  baseUrl: API_BASE_URL,
  storage: taroStorage,
  login: loginCode,
  transport: taroTransport,
  timeoutMs: 10_000,
});

export function api<R extends RouteDef>(route: R, input?: RouteInput<R>): Promise<RouteOutput<R>> {
  return session.call(route, input);
}
