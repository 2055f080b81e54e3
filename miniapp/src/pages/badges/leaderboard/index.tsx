import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { routes, type Leaderboard as Board } from '@huoyue/shared';
import { api } from '../../../api/client';
import { showError } from '../../../components/feedback';
import { PageState } from '../../../components/PageState';
import { SegmentTabs } from '../../../components/SegmentTabs';
import { Switch } from '../../../components/ui';
import { useRemote } from '../../../hooks/useRemote';
import { formatNumber } from '../../../logic/format';
import './index.scss';

const BOARDS: Array<{ value: Board; label: string; unit: string }> = [
  { value: 'checkin-streak', label: '连签榜', unit: '天' },
  { value: 'points', label: '积分榜', unit: '积分' },
];

export default function Leaderboard() {
  const [board, setBoard] = useState<Board>('checkin-streak');
  const data = useRemote(() => api(routes.engagement.leaderboard, { params: { board } }), [board]);
  const d = data.data;
  const unit = BOARDS.find((b) => b.value === board)!.unit;

  const setShown = async (shown: boolean) => {
    try {
      await api(routes.engagement.putPrivacy, { body: { leaderboard: shown } });
      await data.reload();
    } catch (err) {
      showError(err);
    }
  };

  return (
    <View className="board">
      <SegmentTabs options={BOARDS} value={board} onChange={setBoard} />
      <PageState
        loading={data.loading}
        error={data.error}
        onRetry={data.reload}
        hasData={d !== undefined}
        rows={8}
      >
        {d && (
          <>
            <View className="panel board__me" data-testid="my-rank">
              {d.optedOut || !d.me ? (
                <Text className="muted">您已隐藏排名，打开下方开关即可上榜</Text>
              ) : (
                <>
                  <Text className="board__me-rank">
                    {d.me.rank ? `第 ${d.me.rank} 名` : '1000 名以外'}
                  </Text>
                  <Text className="muted">
                    本月 {formatNumber(d.me.score)} {unit}
                  </Text>
                </>
              )}
            </View>
            <View className="panel">
              {d.top.length === 0 && <Text className="muted">本月榜单虚位以待</Text>}
              {d.top.map((row) => (
                <View key={row.rank} className={`list-item ${row.me ? 'board__row--me' : ''}`}>
                  <Text className={`board__rank board__rank--${Math.min(row.rank, 4)}`}>
                    {row.rank}
                  </Text>
                  <Text className="list-item__main list-item__title">
                    {row.nickname}
                    {row.me ? '（我）' : ''}
                  </Text>
                  <Text>
                    {formatNumber(row.score)} {unit}
                  </Text>
                </View>
              ))}
              {d.updatedAt && <Text className="muted">榜单每隔几分钟更新一次</Text>}
            </View>
            <View className="panel row">
              <View>
                <Text className="list-item__title">在排行榜上展示我</Text>
                <Text className="list-item__sub muted">关闭后他人看不到您的昵称与排名</Text>
              </View>
              <Switch
                checked={!d.optedOut}
                onChange={(v) => void setShown(v)}
                data-testid="leaderboard-switch"
              />
            </View>
          </>
        )}
      </PageState>
    </View>
  );
}
