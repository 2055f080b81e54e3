import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { routes } from '@huoyue/shared';
import { api } from '../../api/client';
import { CouponCard } from '../../components/CouponCard';
import { go } from '../../components/nav';
import { PageState } from '../../components/PageState';
import { SegmentTabs } from '../../components/SegmentTabs';
import { Button } from '../../components/ui';
import { usePageShow } from '../../hooks/usePageShow';
import { useRemote } from '../../hooks/useRemote';
import { expiresSoon, WALLET_TABS, type WalletTab } from '../../logic/coupons';
import { formatDate } from '../../logic/format';

const EMPTY_TEXT: Record<WalletTab, string> = {
  available: '暂无可用的优惠券',
  used: '还没有用过优惠券',
  expired: '没有过期的优惠券',
};

export default function Wallet() {
  const [tab, setTab] = useState<WalletTab>('available');
  const wallet = useRemote(() => api(routes.coupons.wallet, { query: { status: tab } }), [tab]);
  usePageShow(wallet);
  const items = wallet.data?.items;
  return (
    <View className="wallet">
      <SegmentTabs
        options={WALLET_TABS}
        value={tab}
        onChange={setTab}
        extra={
          <Text className="link" onClick={() => go('/pages/coupons/center/index')}>
            领券中心 ›
          </Text>
        }
      />
      <PageState
        loading={wallet.loading}
        error={wallet.error}
        onRetry={wallet.reload}
        hasData={items !== undefined}
        empty={items?.length === 0}
        emptyText={EMPTY_TEXT[tab]}
        emptyAction={
          tab === 'available' ? (
            <Button type="primary" size="small" onClick={() => go('/pages/coupons/center/index')}>
              去领券
            </Button>
          ) : undefined
        }
      >
        {items?.map((c) => (
          <CouponCard
            key={c.id}
            coupon={c}
            dimmed={tab !== 'available'}
            sub={
              tab === 'used'
                ? `已于 ${formatDate(c.usedAt)} 使用`
                : `${expiresSoon(c) ? '即将过期 · ' : ''}有效期至 ${formatDate(c.validTo)}`
            }
            onClick={() => go(`/pages/coupons/detail/index?id=${c.id}`)}
            action={tab === 'available' ? <Text className="link">去使用</Text> : undefined}
          />
        ))}
      </PageState>
    </View>
  );
}
