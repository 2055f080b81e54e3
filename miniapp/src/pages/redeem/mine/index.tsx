import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { routes } from '@huoyue/shared';
import { api } from '../../../api/client';
import { payForRedemption } from '../../../api/pay';
import { showError, showSuccess } from '../../../components/feedback';
import { go } from '../../../components/nav';
import { PageState } from '../../../components/PageState';
import { Button, Tag } from '../../../components/ui';
import { usePaged } from '../../../hooks/usePaged';
import { formatDateTime, formatNumber, formatYuan, loadMoreLabel } from '../../../logic/format';
import { CASH_REFUND_LABELS, REDEMPTION_STATUS_LABELS, type Redemption } from '../../../logic/mall';
import { vouchersLabel } from '../../../logic/vouchers';

const STATUS_TAG: Record<Redemption['status'], 'primary' | 'success' | 'warning' | 'default'> = {
  pending_payment: 'warning',
  pending_shipment: 'primary',
  shipped: 'primary',
  delivered: 'success',
  completed: 'success',
  cancelled: 'default',
};

export default function MyRedemptions() {
  const list = usePaged((cursor) => api(routes.mall.mine, { query: cursor ? { cursor } : {} }));
  const [paying, setPaying] = useState<number | null>(null);
  const pay = async (r: Redemption) => {
    setPaying(r.redemptionId);
    try {
      const after = await payForRedemption(r);
      if (!after) return;
      if (after.status === 'pending_payment')
        void Taro.showToast({ title: '暂未查到支付结果，请稍后再试', icon: 'none' });
      else if (after.status === 'cancelled')
        void Taro.showToast({ title: '该兑换已超时取消，积分已退回', icon: 'none' });
      else showSuccess('支付成功');
      await list.reload();
    } catch (err) {
      showError(err);
      await list.reload(); // it may have been paid or cancelled meanwhile
    } finally {
      setPaying(null);
    }
  };
  return (
    <View className="panel">
      <PageState
        loading={list.loading}
        error={list.error}
        onRetry={list.reload}
        hasData={list.items !== undefined}
        empty={list.items?.length === 0}
        emptyText="还没有兑换记录"
        emptyAction={
          <Button type="primary" size="small" onClick={() => go('/pages/mall/index')}>
            去积分商城看看
          </Button>
        }
      >
        {list.items?.map((r) => (
          <View key={r.redemptionId} className="list-item" data-testid="redemption">
            <View className="list-item__main">
              <Text className="list-item__title">
                {r.itemName} × {r.quantity}
              </Text>
              <Text className="list-item__sub">
                {formatDateTime(r.createdAt)} · {formatNumber(r.pointsSpent)} 积分
                {r.cashDue > 0 ? ` + ${formatYuan(r.cashDue)}` : ''}
              </Text>
              {r.trackingNo && <Text className="list-item__sub">快递单号 {r.trackingNo}</Text>}
              {r.vouchers.length > 0 && (
                <Text className="list-item__sub">{vouchersLabel(r.vouchers)}</Text>
              )}
              {r.cashRefundStatus && (
                <Text className="list-item__sub">
                  {CASH_REFUND_LABELS[r.cashRefundStatus]}（{formatYuan(r.cashDue)}）
                </Text>
              )}
              {r.status === 'pending_payment' && r.payBefore && (
                <Text className="list-item__sub">请在 {formatDateTime(r.payBefore)} 前支付</Text>
              )}
            </View>
            {r.status === 'pending_payment' && (
              <Button
                size="small"
                type="primary"
                loading={paying === r.redemptionId}
                disabled={paying !== null}
                onClick={() => void pay(r)}
              >
                去支付
              </Button>
            )}
            {r.status !== 'pending_payment' && r.vouchers.length > 0 && (
              <Button
                size="small"
                type="primary"
                onClick={() => go(`/pages/redeem/voucher/index?id=${r.redemptionId}`)}
              >
                查看兑换券
              </Button>
            )}
            {r.status !== 'pending_payment' && r.vouchers.length === 0 && (
              <Tag type={STATUS_TAG[r.status]}>{REDEMPTION_STATUS_LABELS[r.status]}</Tag>
            )}
          </View>
        ))}
        {list.items && list.items.length > 0 && (
          <View className="load-more" onClick={list.more}>
            {loadMoreLabel(list)}
          </View>
        )}
      </PageState>
    </View>
  );
}
