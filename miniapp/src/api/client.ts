import Taro from '@tarojs/taro';
import { ApiError, type RouteDef, type RouteInput, type RouteOutput, type Transport } from '@huoyue/shared';
import { MemberSession, type TokenStorage } from '../services/session';
import { devCode } from './dev';

declare const HUOYUE_API_URL: string;
export const API_BASE_URL: string = HUOYUE_API_URL;

/** Taro.request as the shared client's transport: the same typed routes in WeChat and in the browser. */
export const taroTransport: Transport = async (request) => {
  try {
    const response = await Taro.request<unknown>({
      url: request.url,
      method: request.method as keyof Taro.request.Method,
      header: request.headers,
      data: request.body,
      timeout: request.timeoutMs,
      dataType: 'json',
    });
    return { status: response.statusCode, data: response.data };
  } catch (err) {
    throw new ApiError(0, 'NETWORK_ERROR', '网络不太稳定，请稍后再试', String((err as { errMsg?: string })?.errMsg ?? err));
  }
};

const TOKEN_KEY = 'hy_token';
export const taroStorage: TokenStorage = {
  get: () => (Taro.getStorageSync(TOKEN_KEY) as string) || null,
  set: (token) => (token ? Taro.setStorageSync(TOKEN_KEY, token) : Taro.removeStorageSync(TOKEN_KEY)),
};

/** A fresh wx.login code; in the browser build the dev server's fake WeChat hands one out for this browser. */
async function loginCode(): Promise<string> {
  if (process.env.TARO_ENV === 'h5') return devCode('login-code');
  const { code } = await Taro.login();
  return code;
}

export const session = new MemberSession({ baseUrl: API_BASE_URL, storage: taroStorage, login: loginCode, transport: taroTransport, timeoutMs: 10_000 });

export function api<R extends RouteDef>(route: R, input?: RouteInput<R>): Promise<RouteOutput<R>> {
  return session.call(route, input);
}
