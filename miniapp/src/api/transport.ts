import Taro from '@tarojs/taro';
import { ApiError, type Transport } from '@huoyue/shared';

declare const HUOYUE_API_URL: string;
export const API_BASE_URL: string = HUOYUE_API_URL;

/** Taro.request as the shared client's transport: the same typed routes in WeChat and in the browser. */
export const taroTransport: Transport = async (request) => {
  try {
    const response = await Taro.request<unknown>({
      url: request.url,
      method: request.method,
      header: request.headers,
      data: request.body,
      timeout: request.timeoutMs,
      dataType: 'json',
    });
    return { status: response.statusCode, data: response.data };
  } catch (err) {
    throw new ApiError(
      0,
      'NETWORK_ERROR',
      '网络不太稳定，请稍后再试',
      String((err as { errMsg?: string })?.errMsg ?? err),
    );
  }
};
