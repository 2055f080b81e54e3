import { useState } from 'react';
import { Image, Text, View } from '@tarojs/components';
import { routes } from '@huoyue/shared';
import { api } from '../../api/client';
import { API_BASE_URL } from '../../api/transport';
import { assetUrl } from '../../logic/assets';
import { go } from '../../components/nav';
import { PageState } from '../../components/PageState';
import { SegmentTabs } from '../../components/SegmentTabs';
import { Tag } from '../../components/ui';
import { usePageShow } from '../../hooks/usePageShow';
import { useRemote } from '../../hooks/useRemote';
import { formatNumber } from '../../logic/format';
import {
  filterItems,
  ITEM_KIND_LABELS,
  MALL_FILTERS,
  priceLabel,
  type MallFilter,
} from '../../logic/mall';
import './index.scss';

async function loadMall() {
  const [items, card, memberDay] = await Promise.all([
    api(routes.mall.items),
    api(routes.members.me),
    api(routes.memberDays.current),
  ]);
  return {
    items: items.items,
    balance: card.points,
    tierCode: card.tier?.code ?? null,
    memberDayNow: memberDay.current !== null,
  };
}

export default function Mall() {
  const mall = useRemote(loadMall);
  const [filter, setFilter] = useState<MallFilter>('all');
  usePageShow(mall);
  const d = mall.data;
  const shown = d ? filterItems(d.items, filter, d) : [];
  return (
    <View className="mall">
      <View className="mall__head">
        <View>
          <Text className="muted">我的积分</Text>
          <Text className="mall__balance" data-testid="mall-balance">
            {d ? formatNumber(d.balance) : '--'}
          </Text>
        </View>
        <Text className="link" onClick={() => go('/pages/redeem/mine/index')}>
          我的兑换 ›
        </Text>
      </View>
      <SegmentTabs options={MALL_FILTERS} value={filter} onChange={setFilter} variant="chips" />
      <PageState
        loading={mall.loading}
        error={mall.error}
        onRetry={mall.reload}
        hasData={d !== undefined}
        empty={d !== undefined && shown.length === 0}
        emptyText={
          filter === 'all' ? '商城正在上新，过几天再来看看吧' : '没有符合条件的商品，换个筛选试试'
        }
      >
        <View className="mall__grid">
          {shown.map((item) => (
            <View
              key={item.id}
              className="goods"
              data-testid="mall-item"
              onClick={() => go(`/pages/redeem/item/index?id=${item.id}`)}
            >
              {item.imageUrl ? (
                <Image
                  className="goods__img"
                  src={assetUrl(item.imageUrl, API_BASE_URL)!}
                  mode="aspectFill"
                  lazyLoad
                />
              ) : (
                <View className="goods__img goods__img--blank">🎁</View>
              )}
              <View className="goods__body">
                <Text className="goods__name">{item.name}</Text>
                <View className="goods__tags">
                  <Tag type="default">{ITEM_KIND_LABELS[item.kind]}</Tag>
                  {item.memberDayOnly && <Tag type="primary">会员日</Tag>}
                  {item.stock === 0 && <Tag type="default">已兑完</Tag>}
                </View>
                <Text className="goods__price">{priceLabel(item)}</Text>
              </View>
            </View>
          ))}
        </View>
      </PageState>
    </View>
  );
}
