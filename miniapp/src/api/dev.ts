import Taro from '@tarojs/taro';
import { ApiError, isErrorBody } from '@huoyue/shared';
import { API_BASE_URL, taroTransport } from './transport';

const OPENID_KEY = 'hy_dev_openid';

/**
 * The browser build has no wx.login and no phone button: beside the fake WeChat (`npm start` without
 * credentials) the server hands out the codes WeChat would. This browser keeps one fake openid, so it stays the
 * same "WeChat user" across visits.
 */
export async function devCode(
  kind: 'login-code' | 'phone-code',
  body: Record<string, string> = {},
): Promise<string> {
  let openid = Taro.getStorageSync(OPENID_KEY) as string;
  if (!openid) {
    openid = `oH5${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`
      .padEnd(28, '0')
      .slice(0, 28);
    Taro.setStorageSync(OPENID_KEY, openid);
  }
  const response = await taroTransport({
    method: 'POST',
    url: `${API_BASE_URL}/dev/wechat/${kind}`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(kind === 'login-code' ? { openid, ...body } : body),
    timeoutMs: 10_000,
  });
  const code = (response.data as { code?: unknown } | null)?.code;
  if (isErrorBody(response.data) && response.status === 400)
    throw new ApiError(400, 'VALIDATION_FAILED', response.data.error.message); // e.g. a mistyped phone
  if (response.status !== 200 || typeof code !== 'string') {
    throw new ApiError(
      response.status,
      'SERVICE_UNAVAILABLE',
      '浏览器版仅在开发环境（模拟微信）可登录，请在微信中打开',
    );
  }
  return code;
}
