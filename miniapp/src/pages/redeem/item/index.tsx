import { useRef, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import { routes, shippingAddress } from '@huoyue/shared';
import { api } from '../../../api/client';
import { API_BASE_URL } from '../../../api/transport';
import { assetUrl } from '../../../logic/assets';
import { payForRedemption } from '../../../api/pay';
import { showError } from '../../../components/feedback';
import { PageState } from '../../../components/PageState';
import { Button, Input, InputNumber, Tag } from '../../../components/ui';
import { useRemote } from '../../../hooks/useRemote';
import { formatDateTime, formatNumber } from '../../../logic/format';
import {
  ITEM_KIND_LABELS,
  newRequestId,
  priceLabel,
  redeemBlocker,
  type Redemption,
} from '../../../logic/mall';
import './index.scss';

/**
 * The redemption stands (points held, stock taken) whatever happens at the cashier: a cancelled or failed payment
 * leads to the result page, which says to pay in 我的兑换 before the deadline, rather than back to 立即兑换.
 */
async function payOrLater(r: Redemption): Promise<Redemption> {
  try {
    return (await payForRedemption(r)) ?? r;
  } catch (err) {
    showError(err);
    return r;
  }
}

export default function Item() {
  const { params } = useRouter();
  const id = Number(params.id);
  const page = useRemote(async () => {
    const [item, card, memberDay] = await Promise.all([
      api(routes.mall.item, { params: { id } }),
      api(routes.members.me),
      api(routes.memberDays.current),
    ]);
    return {
      item,
      balance: card.points,
      tierCode: card.tier?.code ?? null,
      memberDayNow: memberDay.current !== null,
    };
  });
  const [quantity, setQuantity] = useState(1);
  const [address, setAddress] = useState({ name: '', phone: '', address: '' });
  const [busy, setBusy] = useState(false);
  // One id per intended redemption: a retry after a timeout must not redeem twice.
  const requestId = useRef(newRequestId());

  const d = page.data;
  // The server's reason first (its coupon was switched off …), then what the page can tell itself.
  const blocker = d
    ? (d.item.unavailableReason ??
      redeemBlocker(d.item, { balance: d.balance, tierCode: d.tierCode }, quantity, d.memberDayNow))
    : null;

  const redeem = async () => {
    if (!d) return;
    let shipping: { name: string; phone: string; address: string } | undefined;
    if (d.item.kind === 'physical') {
      const checked = shippingAddress.safeParse(address);
      if (!checked.success) {
        void Taro.showToast({
          title: checked.error.issues[0]?.message ?? '请填写收货信息',
          icon: 'none',
        });
        return;
      }
      shipping = checked.data;
    }
    const total = d.item.pointsPrice * quantity;
    const { confirm } = await Taro.showModal({
      title: '确认兑换',
      content: `${d.item.name} × ${quantity}，消耗 ${formatNumber(total)} 积分${d.item.cashPrice > 0 ? '，另需支付现金' : ''}`,
      confirmText: '兑换',
    });
    if (!confirm) return;
    setBusy(true);
    try {
      let r = await api(routes.mall.redeem, {
        params: { id },
        body: { quantity, address: shipping, requestId: requestId.current },
      });
      requestId.current = newRequestId();
      if (r.status === 'pending_payment') r = await payOrLater(r);
      void Taro.redirectTo({
        url: `/pages/redeem/result/index?id=${r.redemptionId}&status=${r.status}&points=${r.pointsSpent}&kind=${d.item.kind}&name=${encodeURIComponent(d.item.name)}`,
      });
    } catch (err) {
      showError(err);
      await page.reload();
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="item page-with-footer">
      <PageState
        loading={page.loading}
        error={page.error}
        onRetry={page.reload}
        hasData={d !== undefined}
        rows={6}
      >
        {d && (
          <>
            {d.item.imageUrl ? (
              <Image
                className="item__img"
                src={assetUrl(d.item.imageUrl, API_BASE_URL)!}
                mode="aspectFill"
              />
            ) : (
              <View className="item__img item__img--blank">🎁</View>
            )}
            <View className="panel">
              <Text className="item__name">{d.item.name}</Text>
              <View className="item__tags">
                <Tag>{ITEM_KIND_LABELS[d.item.kind]}</Tag>
                {d.item.memberDayOnly && <Tag type="primary">会员日专享</Tag>}
                {d.item.tiers.length > 0 && <Tag type="warning">等级专享</Tag>}
              </View>
              <Text className="item__price">{priceLabel(d.item)}</Text>
              <Text className="muted">
                库存 {formatNumber(d.item.stock)} · 每人限兑 {d.item.perMemberLimit} 件
                {d.item.availableTo ? ` · ${formatDateTime(d.item.availableTo)} 截止` : ''}
              </Text>
            </View>
            {d.item.description && (
              <View className="panel">
                <Text className="panel__title">商品说明</Text>
                <Text className="item__desc">{d.item.description}</Text>
              </View>
            )}
            <View className="panel row">
              <Text>兑换数量</Text>
              <InputNumber
                value={quantity}
                min={1}
                max={Math.max(1, Math.min(d.item.perMemberLimit, d.item.stock, 10))}
                onChange={(v) => setQuantity(Number(v))}
              />
            </View>
            {d.item.kind === 'physical' && (
              <View className="panel">
                <Text className="panel__title">收货信息</Text>
                <Input
                  className="field"
                  placeholder="收货人"
                  value={address.name}
                  onChange={(v) => setAddress({ ...address, name: v })}
                />
                <Input
                  className="field"
                  placeholder="手机号"
                  type="digit"
                  maxLength={11}
                  value={address.phone}
                  onChange={(v) => setAddress({ ...address, phone: v })}
                />
                <Input
                  className="field"
                  placeholder="详细地址"
                  value={address.address}
                  onChange={(v) => setAddress({ ...address, address: v })}
                />
              </View>
            )}
          </>
        )}
      </PageState>
      {d && (
        <View className="footer-bar">
          <View>
            <Text className="muted">我的积分 </Text>
            <Text className="item__balance">{formatNumber(d.balance)}</Text>
            {blocker && <Text className="item__blocker">{blocker}</Text>}
          </View>
          <Button
            type="primary"
            disabled={blocker !== null || busy}
            loading={busy}
            onClick={redeem}
            data-testid="redeem-button"
          >
            立即兑换
          </Button>
        </View>
      )}
    </View>
  );
}
