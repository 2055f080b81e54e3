import { useState } from 'react';
import Taro from '@tarojs/taro';
import { routes } from '@huoyue/shared';
import { View } from '@tarojs/components';
import { api } from '../../../api/client';
import { askToSubscribe } from '../../../api/subscribe';
import { CouponCard } from '../../../components/CouponCard';
import { showError } from '../../../components/feedback';
import { go } from '../../../components/nav';
import { PageState } from '../../../components/PageState';
import { Button } from '../../../components/ui';
import { useRemote } from '../../../hooks/useRemote';
import { formatNumber } from '../../../logic/format';
import { claimLabel, validityLabel, type Claimable } from '../../../logic/coupons';

export default function Center() {
  const center = useRemote(() => api(routes.coupons.center));
  const [busy, setBusy] = useState<number | null>(null);

  const claim = async (c: Claimable) => {
    setBusy(c.id);
    try {
      const coupon = await api(routes.coupons.claim, { body: { templateId: c.id } });
      await center.reload();
      // Right after claiming is when "tell me before it expires" makes sense (and this is still the tap).
      const { confirm } = await Taro.showModal({
        title: '领取成功',
        content: `「${coupon.name}」已放入券包。到期前提醒您？`,
        confirmText: '提醒我',
        cancelText: '查看券',
      });
      if (confirm) await askToSubscribe('coupon');
      else go(`/pages/coupons/detail/index?id=${coupon.id}`);
    } catch (err) {
      showError(err);
      await center.reload(); // sold out or over the limit meanwhile: show the center as it is now
    } finally {
      setBusy(null);
    }
  };

  const items = center.data?.items;
  return (
    <View>
      <PageState
        loading={center.loading}
        error={center.error}
        onRetry={center.reload}
        hasData={items !== undefined}
        empty={items?.length === 0}
        emptyText="暂时没有可领的券，过几天再来看看"
      >
        {items?.map((c) => (
          <CouponCard
            key={c.id}
            coupon={c}
            sub={`${validityLabel(c)}${c.remaining !== null ? ` · 剩余 ${formatNumber(c.remaining)} 张` : ''}`}
            dimmed={!c.canClaim}
            action={
              <Button
                size="small"
                type="primary"
                disabled={!c.canClaim || busy !== null}
                loading={busy === c.id}
                onClick={() => void claim(c)}
                data-testid="claim-button"
              >
                {claimLabel(c)}
              </Button>
            }
          />
        ))}
      </PageState>
    </View>
  );
}
