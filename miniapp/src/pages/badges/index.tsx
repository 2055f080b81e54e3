import { Image, Text, View } from '@tarojs/components';
import { routes } from '@huoyue/shared';
import { api } from '../../api/client';
import { go } from '../../components/nav';
import { PageState } from '../../components/PageState';
import { Progress } from '../../components/ui';
import { useRemote } from '../../hooks/useRemote';
import { formatDate } from '../../logic/format';
import './index.scss';

function Artwork({ url, locked }: { url: string | null; locked?: boolean }) {
  return url ? (
    <Image
      className={`badge__art ${locked ? 'badge__art--locked' : ''}`}
      src={url}
      mode="aspectFit"
    />
  ) : (
    <Text className={`badge__art badge__emoji ${locked ? 'badge__art--locked' : ''}`}>🏅</Text>
  );
}

export default function Badges() {
  const badges = useRemote(() => api(routes.engagement.myBadges));
  const d = badges.data;
  return (
    <View className="badges">
      <View className="row badges__head">
        <Text className="panel__title">已获得 {d?.earned.length ?? 0} 枚</Text>
        <Text className="link" onClick={() => go('/pages/badges/leaderboard/index')}>
          排行榜 ›
        </Text>
      </View>
      <PageState
        loading={badges.loading}
        error={badges.error}
        onRetry={badges.reload}
        hasData={d !== undefined}
        empty={d !== undefined && d.earned.length + d.locked.length === 0}
        emptyText="勋章即将上线"
      >
        {d && (
          <>
            <View className="badge-grid">
              {d.earned.length === 0 && (
                <Text className="muted badges__none">还没有勋章，签到和消费都能解锁哦</Text>
              )}
              {d.earned.map((b) => (
                <View key={b.code} className="badge" data-testid="badge-earned">
                  <Artwork url={b.artworkUrl} />
                  <Text className="badge__name">
                    {b.name}
                    {b.levels > 1 ? ` · ${b.level} 级` : ''}
                  </Text>
                  <Text className="badge__sub">{formatDate(b.awardedAt)} 获得</Text>
                </View>
              ))}
            </View>
            {d.locked.length > 0 && (
              <Text className="panel__title badges__locked-title">待解锁</Text>
            )}
            <View className="badge-grid">
              {d.locked.map((b) => (
                <View key={b.code} className="badge" data-testid="badge-locked">
                  <Artwork url={b.artworkUrl} locked />
                  <Text className="badge__name">
                    {b.name}
                    {b.levels > 1 ? ` · ${b.nextLevel} 级` : ''}
                  </Text>
                  <Progress
                    percent={Math.min(
                      100,
                      Math.floor((b.progress.current / Math.max(1, b.progress.target)) * 100),
                    )}
                    strokeWidth="4"
                  />
                  <Text className="badge__sub">
                    {b.progress.current}/{b.progress.target} · {b.description || '继续加油'}
                  </Text>
                </View>
              ))}
            </View>
          </>
        )}
      </PageState>
    </View>
  );
}
