import Taro from '@tarojs/taro';
import { ApiError } from '@huoyue/shared';

declare const HUOYUE_API_URL: string;

const OPENID_KEY = 'hy_dev_openid';

/**
 * The browser build has no wx.login and no phone button: beside the fake WeChat (`npm start` without
 * credentials) the server hands out the codes WeChat would. This browser keeps one fake openid, so it stays the
 * same "WeChat user" across visits.
 */
export async function devCode(kind: 'login-code' | 'phone-code', body: Record<string, string> = {}): Promise<string> {
  let openid = Taro.getStorageSync(OPENID_KEY) as string;
  if (!openid) {
    openid = `oH5${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`.padEnd(28, '0').slice(0, 28);
    Taro.setStorageSync(OPENID_KEY, openid);
  }
  const response = await Taro.request<{ code?: string }>({
    url: `${HUOYUE_API_URL}/dev/wechat/${kind}`,
    method: 'POST',
    header: { 'content-type': 'application/json' },
    data: JSON.stringify(kind === 'login-code' ? { openid, ...body } : body),
    timeout: 10_000,
  }).catch((err: unknown) => {
    throw new ApiError(0, 'NETWORK_ERROR', '网络不太稳定，请稍后再试', String(err));
  });
  if (response.statusCode !== 200 || !response.data?.code) {
    throw new ApiError(response.statusCode, 'SERVICE_UNAVAILABLE', '浏览器版仅在开发环境（模拟微信）可登录，请在微信中打开');
  }
  return response.data.code;
}
