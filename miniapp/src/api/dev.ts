import Taro from '@tarojs/taro';
import { ApiError, isErrorBody } from '@huoyue/shared';
import { API_BASE_URL, taroTransport } from './transport';

const OPENID_KEY = 'hy_dev_openid';

/** One of the dev server's stand-ins for WeChat (only there beside the fake WeChat). */
function devPost(path: string, body: Record<string, string>) {
  return taroTransport({
    method: 'POST',
    url: `${API_BASE_URL}/dev/wechat/${path}`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    timeoutMs: 10_000,
  });
}

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
  const response = await devPost(kind, kind === 'login-code' ? { openid, ...body } : body);
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

/**
 * The browser build has no WeChat cashier: beside the fake WeChat, the parameters wx.requestPayment would get go
 * to the fake WeChat Pay's cashier (through the dev server), which checks them as the WeChat client does and
 * pays. Its refusal (a bad signature, a closed order) comes back in its own words.
 */
export async function devPay(params: Record<string, string>): Promise<void> {
  const response = await devPost('pay', params);
  if (response.status === 200) return;
  if (isErrorBody(response.data) && (response.status === 400 || response.status === 503))
    throw new ApiError(response.status, response.data.error.code, response.data.error.message);
  throw new ApiError(
    response.status,
    'SERVICE_UNAVAILABLE',
    '浏览器版仅在开发环境（模拟微信）可支付，请在微信中打开',
  );
}
