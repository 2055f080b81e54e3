import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { askToSubscribe } from '../../../api/subscribe';
import { go } from '../../../components/nav';
import { Button } from '../../../components/ui';
import { formatNumber } from '../../../logic/format';
import { REDEMPTION_STATUS_LABELS, type Redemption } from '../../../logic/mall';
import './index.scss';

/** After a redemption: what happened, and for goods that ship, the offer to be told when they do. */
export default function Result() {
  const { params } = useRouter();
  const status = (params.status ?? 'completed') as Redemption['status'];
  const name = decodeURIComponent(params.name ?? '');
  const [subscribed, setSubscribed] = useState(false);
  const paid = status !== 'pending_payment' && status !== 'cancelled';

  const notifyMe = async () => {
    if (await askToSubscribe('redemption')) {
      setSubscribed(true);
      void Taro.showToast({ title: '发货后会通知您', icon: 'none' });
    }
  };

  return (
    <View className="result">
      <Text className="result__icon">{paid ? '🎉' : '⌛'}</Text>
      <Text className="result__title" data-testid="redeem-result">
        {resultTitle(paid, status)}
      </Text>
      <Text className="result__text">
        {name}
        {params.points ? ` · 消耗 ${formatNumber(Number(params.points))} 积分` : ''}
      </Text>
      <Text className="muted">状态：{REDEMPTION_STATUS_LABELS[status] ?? status}</Text>
      {status === 'pending_payment' && (
        <Text className="muted result__text">
          请在“我的兑换”中完成支付，超时未支付将自动取消并退回积分。
        </Text>
      )}
      {params.kind === 'coupon' && paid && (
        <Text className="muted result__text">优惠券已放入您的券包</Text>
      )}
      {params.kind === 'virtual' && paid && (
        <Text className="muted result__text">兑换券已发放，到店出示二维码即可核销</Text>
      )}
      <View className="result__actions">
        {params.kind === 'physical' && paid && !subscribed && (
          <Button type="primary" block onClick={notifyMe}>
            发货后通知我
          </Button>
        )}
        {params.kind === 'virtual' && paid && (
          <Button
            type="primary"
            block
            onClick={() => go(`/pages/redeem/voucher/index?id=${params.id}`)}
          >
            查看兑换券
          </Button>
        )}
        {params.kind === 'coupon' && paid ? (
          <Button block onClick={() => go('/pages/coupons/index')}>
            去券包查看
          </Button>
        ) : (
          <Button block onClick={() => go('/pages/redeem/mine/index')}>
            查看我的兑换
          </Button>
        )}
        <Button block fill="none" onClick={() => go('/pages/mall/index')}>
          继续逛逛
        </Button>
      </View>
    </View>
  );
}

function resultTitle(paid: boolean, status: string): string {
  if (paid) return '兑换成功';
  return status === 'pending_payment' ? '待支付' : '兑换已取消';
}
