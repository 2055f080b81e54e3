import { Text, View } from '@tarojs/components';
import { routes } from '@huoyue/shared';
import { api } from '../../api/client';
import { go } from '../../components/nav';
import { PageState } from '../../components/PageState';
import { Cell, CellGroup } from '../../components/ui';
import { usePageShow } from '../../hooks/usePageShow';
import { useRemote } from '../../hooks/useRemote';
import { formatCardNo } from '../../logic/format';
import './index.scss';

const GROUPS: Array<Array<{ title: string; url: string }>> = [
  [
    { title: '积分明细', url: '/pages/points/index' },
    { title: '会员等级与权益', url: '/pages/points/tiers/index' },
    { title: '每日签到', url: '/pages/checkin/index' },
  ],
  [
    { title: '我的券包', url: '/pages/coupons/index' },
    { title: '领券中心', url: '/pages/coupons/center/index' },
    { title: '我的兑换', url: '/pages/redeem/mine/index' },
  ],
  [
    { title: '我的勋章', url: '/pages/badges/index' },
    { title: '排行榜', url: '/pages/badges/leaderboard/index' },
  ],
  [
    { title: '消息与隐私设置', url: '/pages/member/preferences/index' },
    { title: '店员入口', url: '/pages/clerk/index' },
  ],
];

export default function Mine() {
  const me = useRemote(() => api(routes.members.me));
  usePageShow(me);
  return (
    <View className="mine">
      <PageState
        loading={me.loading}
        error={me.error}
        onRetry={me.reload}
        hasData={me.data !== undefined}
        rows={3}
      >
        {me.data && (
          <View className="mine__head">
            <View className="mine__avatar">{(me.data.nickname ?? '微')[0]}</View>
            <View>
              <Text className="mine__name">{me.data.nickname ?? '微信用户'}</Text>
              <Text className="mine__sub">
                {me.data.cardNo
                  ? `${me.data.tier?.name ?? '会员'} · ${formatCardNo(me.data.cardNo)}`
                  : '尚未开卡'}
              </Text>
            </View>
            {!me.data.cardNo && (
              <Text className="mine__join" onClick={() => go('/pages/member/join/index')}>
                去开卡 ›
              </Text>
            )}
          </View>
        )}
      </PageState>
      {GROUPS.map((group, i) => (
        <CellGroup key={i}>
          {group.map((item) => (
            <Cell
              key={item.url}
              title={item.title}
              clickable
              onClick={() => go(item.url)}
              extra="›"
            />
          ))}
        </CellGroup>
      ))}
    </View>
  );
}
