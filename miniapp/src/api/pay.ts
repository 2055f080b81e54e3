import Taro from '@tarojs/taro';
import { routes } from '@huoyue/shared';
import { formatYuan } from '../logic/format';
import type { Redemption } from '../logic/mall';
import { api } from './client';

/**
 * The cash part of points + cash: WeChat Pay with the parameters the server placed, then the server asks the
 * provider itself (the client's word is never taken). Beside the fake WeChat (dev, the browser build) there is
 * no real cashier: a confirmation stands in for it.
 */
export async function payForRedemption(r: Redemption): Promise<Redemption | null> {
  const params = r.paymentParams;
  if (process.env.TARO_ENV !== 'weapp' || params?.paySign === 'fake') {
    const { confirm } = await Taro.showModal({
      title: '模拟支付',
      content: `开发环境：确认支付 ${formatYuan(r.cashDue)}？`,
      confirmText: '支付',
    });
    if (!confirm) return null;
  } else if (params) {
    try {
      await Taro.requestPayment({
        timeStamp: params.timeStamp ?? '',
        nonceStr: params.nonceStr ?? '',
        package: params.package ?? '',
        signType: (params.signType ?? 'RSA') as 'RSA',
        paySign: params.paySign ?? '',
      });
    } catch {
      return null; // cancelled: the redemption waits for payment until payBefore, then is undone
    }
  }
  // (From the list there are no cashier parameters: the server is simply asked whether it was paid meanwhile.)
  return api(routes.mall.pay, { params: { id: r.redemptionId } });
}
