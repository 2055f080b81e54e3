import { Text, View } from '@tarojs/components';
import { routes } from '@huoyue/shared';
import { api } from '../../api/client';
import { go } from '../../components/nav';
import { PageState } from '../../components/PageState';
import { usePaged } from '../../hooks/usePaged';
import { usePageShow } from '../../hooks/usePageShow';
import { useRemote } from '../../hooks/useRemote';
import { formatDate, formatDateTime, formatNumber, loadMoreLabel } from '../../logic/format';
import { ledgerLabel } from '../../logic/points';
import './index.scss';

export default function Points() {
  usePageShow();
  const summary = useRemote(() => api(routes.points.summary));
  const ledger = usePaged((cursor) =>
    api(routes.points.ledger, { query: cursor ? { cursor } : {} }),
  );
  const s = summary.data;
  return (
    <View className="points">
      <PageState
        loading={summary.loading}
        error={summary.error}
        onRetry={summary.reload}
        hasData={s !== undefined}
        rows={2}
      >
        {s && (
          <View className="points__head">
            <Text className="muted points__label">可用积分</Text>
            <Text className="points__balance">{formatNumber(s.balance)}</Text>
            <View className="points__meta">
              {s.pending > 0 && <Text>待生效 {formatNumber(s.pending)}</Text>}
              {s.owed > 0 && <Text>待抵扣 {formatNumber(s.owed)}</Text>}
            </View>
            {s.expiringSoon.points > 0 ? (
              <View
                className="points__expiring"
                data-testid="expiring-soon"
                onClick={() => go('/pages/mall/index')}
              >
                <Text>
                  ⏰ {formatNumber(s.expiringSoon.points)} 积分将于 {s.expiringSoon.firstDate}{' '}
                  到期，去商城兑换 ›
                </Text>
              </View>
            ) : (
              <Text className="muted">近 {s.expiringSoon.withinDays} 天没有即将到期的积分</Text>
            )}
          </View>
        )}
      </PageState>
      <View className="panel">
        <Text className="panel__title">收支明细</Text>
        <PageState
          loading={ledger.loading}
          error={ledger.error}
          onRetry={ledger.reload}
          hasData={ledger.items !== undefined}
          empty={ledger.items?.length === 0}
          emptyText="还没有积分记录，签到或消费即可获得积分"
        >
          {ledger.items?.map((e) => (
            <View key={e.id} className="list-item" data-testid="ledger-entry">
              <View className="list-item__main">
                <Text className="list-item__title">{ledgerLabel(e)}</Text>
                <Text className="list-item__sub">
                  {formatDateTime(e.at)}
                  {e.expiresAt && e.points > 0 ? ` · ${formatDate(e.expiresAt)} 到期` : ''}
                </Text>
              </View>
              <Text className={e.points >= 0 ? 'plus' : 'minus'}>
                {e.points >= 0 ? `+${formatNumber(e.points)}` : formatNumber(e.points)}
              </Text>
            </View>
          ))}
          {ledger.items && ledger.items.length > 0 && (
            <View className="load-more" onClick={ledger.more}>
              {loadMoreLabel(ledger)}
            </View>
          )}
        </PageState>
      </View>
    </View>
  );
}
