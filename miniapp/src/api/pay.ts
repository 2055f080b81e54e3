import Taro from '@tarojs/taro';
import { ApiError, routes } from '@huoyue/shared';
import { formatYuan } from '../logic/format';
import type { Redemption } from '../logic/mall';
import { api } from './client';
import { devPay } from './dev';

type PaymentParams = Record<string, string>;

/** The payment notification may be a moment behind the cashier: the server is asked once more after this. */
const NOTIFICATION_GRACE_MS = 1000;

/**
 * The cash part of points + cash: WeChat Pay with the parameters the server placed (asked for again when the
 * redemption has none: from 我的兑换, or when placing the payment failed just then), then the server asks WeChat
 * Pay itself (the client's word is never taken). Beside the fake WeChat (the browser build) a stand-in cashier
 * takes the same parameters. Null when the member cancelled: the redemption waits for payment until payBefore.
 */
export async function payForRedemption(r: Redemption): Promise<Redemption | null> {
  let params = r.paymentParams;
  if (!params) {
    const again = await api(routes.mall.payment, { params: { id: r.redemptionId } });
    if (again.status !== 'pending_payment') return again; // paid meanwhile, or cancelled
    params = again.paymentParams;
  }
  if (!params) throw new ApiError(503, 'SERVICE_UNAVAILABLE', '支付暂时无法发起，请稍后再试');
  const paid =
    process.env.TARO_ENV === 'weapp'
      ? await payInWechat(params)
      : await payAtDevCashier(params, r.cashDue);
  return paid ? confirmPaid(r.redemptionId) : null;
}

/** wx.requestPayment: false when the member cancelled; any other failure in plain words. */
async function payInWechat(params: PaymentParams): Promise<boolean> {
  try {
    await Taro.requestPayment({
      timeStamp: params.timeStamp ?? '',
      nonceStr: params.nonceStr ?? '',
      package: params.package ?? '',
      signType: (params.signType ?? 'RSA') as 'RSA',
      paySign: params.paySign ?? '',
    });
    return true;
  } catch (err) {
    const errMsg = (err as { errMsg?: unknown } | null)?.errMsg;
    if (typeof errMsg === 'string' && errMsg.includes('cancel')) return false;
    throw new ApiError(422, 'BUSINESS_RULE', '支付未完成，可稍后在「我的兑换」中继续支付');
  }
}

/** The browser build, beside the fake WeChat: a confirmation stands in for the cashier, which then pays. */
async function payAtDevCashier(params: PaymentParams, cashDue: number): Promise<boolean> {
  const { confirm } = await Taro.showModal({
    title: '微信支付（开发环境模拟收银台）',
    content: `确认支付 ${formatYuan(cashDue)}？`,
    confirmText: '确认支付',
  });
  if (!confirm) return false;
  await devPay(params);
  return true;
}

/** The server asks WeChat Pay; "not paid yet" once more after a moment, for the notification to catch up. */
async function confirmPaid(id: number): Promise<Redemption> {
  try {
    return await api(routes.mall.pay, { params: { id } });
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== 'BUSINESS_RULE') throw err;
    await new Promise((resolve) => setTimeout(resolve, NOTIFICATION_GRACE_MS));
    return api(routes.mall.pay, { params: { id } });
  }
}
