import { Image, Text, View } from '@tarojs/components';
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
  const me = useRemote(async () => {
    const [card, profile] = await Promise.all([
      api(routes.members.me),
      api(routes.membership.profile),
    ]);
    return { ...card, avatar: profile.avatar };
  });
  usePageShow(me);
  const joined = Boolean(me.data?.cardNo);
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
            {me.data.avatar ? (
              <Image className="mine__avatar" src={me.data.avatar} mode="aspectFill" />
            ) : (
              <View className="mine__avatar">{(me.data.nickname ?? '访')[0]}</View>
            )}
            <View onClick={() => joined && go('/pages/member/profile/index')}>
              <Text className="mine__name">{me.data.nickname ?? (joined ? '会员' : '访客')}</Text>
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
      {joined && (
        <CellGroup>
          <Cell
            title="我的资料"
            description="头像、昵称、生日、手机号"
            clickable
            onClick={() => go('/pages/member/profile/index')}
            extra="›"
          />
        </CellGroup>
      )}
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
      {joined && (
        <CellGroup>
          <Cell
            title="导出我的数据"
            clickable
            onClick={() => go('/pages/member/export/index')}
            extra="›"
          />
          <Cell
            title="注销会员"
            clickable
            onClick={() => go('/pages/member/close/index')}
            extra="›"
          />
        </CellGroup>
      )}
    </View>
  );
}
