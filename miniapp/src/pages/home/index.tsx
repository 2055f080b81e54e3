import { useEffect, useState } from 'react';
import Taro, { useDidHide, useDidShow } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { routes } from '@huoyue/shared';
import { api } from '../../api/client';
import { CodeImage } from '../../components/CodeImage';
import { go } from '../../components/nav';
import { PageState } from '../../components/PageState';
import { Button, Progress } from '../../components/ui';
import { usePageShow } from '../../hooks/usePageShow';
import { useRemote } from '../../hooks/useRemote';
import { growthView } from '../../logic/card';
import { cardTheme } from '../../logic/membership';
import { UpgradeCelebration } from './UpgradeCelebration';
import { formatCardNo, formatDate, formatNumber, formatWindow } from '../../logic/format';
import './index.scss';

async function loadHome() {
  const [card, tiers, points, current, next] = await Promise.all([
    api(routes.members.me),
    api(routes.points.tiers),
    api(routes.points.summary),
    api(routes.memberDays.current),
    api(routes.memberDays.next),
  ]);
  return { card, tiers, points, memberDay: current.current, nextMemberDay: next.next };
}

const SHORTCUTS = [
  { icon: '📅', label: '每日签到', url: '/pages/checkin/index' },
  { icon: '🎁', label: '积分商城', url: '/pages/mall/index' },
  { icon: '🎫', label: '我的券包', url: '/pages/coupons/index' },
  { icon: '🏅', label: '我的勋章', url: '/pages/badges/index' },
];

/** Whether this page is the one on screen (a hidden tab page keeps running in the mini-program). */
function usePageVisible(): boolean {
  const [visible, setVisible] = useState(true);
  useDidShow(() => setVisible(true));
  useDidHide(() => setVisible(false));
  return visible;
}

/** The card code refreshes itself: a new one each `refreshInSeconds`, so a photo of it is worthless. */
function useCardCode(enabled: boolean) {
  const [code, setCode] = useState<{ code: string; secondsLeft: number } | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fetchCode = async () => {
      try {
        const c = await api(routes.members.cardCode);
        if (stopped) return;
        setFailed(false);
        setCode({ code: c.code, secondsLeft: c.refreshInSeconds });
        timer = setTimeout(() => void fetchCode(), Math.max(5, c.refreshInSeconds) * 1000);
      } catch {
        if (stopped) return;
        setFailed(true);
        timer = setTimeout(() => void fetchCode(), 5000);
      }
    };
    void fetchCode();
    const tick = setInterval(
      () => setCode((c) => (c && c.secondsLeft > 0 ? { ...c, secondsLeft: c.secondsLeft - 1 } : c)),
      1000,
    );
    return () => {
      stopped = true;
      clearTimeout(timer);
      clearInterval(tick);
    };
  }, [enabled]);
  return { code, failed };
}

/** While the code is on screen the screen is bright (scanners struggle with dim phones); put back after. */
function useBrightScreen(active: boolean) {
  useEffect(() => {
    if (!active || process.env.TARO_ENV !== 'weapp') return;
    let previous: number | undefined;
    Taro.getScreenBrightness()
      .then((r) => {
        previous = r.value;
        return Taro.setScreenBrightness({ value: Math.max(r.value, 0.9) });
      })
      .catch(() => undefined);
    return () => {
      if (previous !== undefined)
        void Taro.setScreenBrightness({ value: previous }).catch(() => undefined);
    };
  }, [active]);
}

export default function Home() {
  const home = useRemote(loadHome);
  const joined = Boolean(home.data?.card.cardNo);
  const [showCode, setShowCode] = useState(false);
  const visible = usePageVisible();
  const { code, failed } = useCardCode(joined && showCode && visible);
  useBrightScreen(showCode && visible);
  usePageShow(home);

  const d = home.data;
  const growth = d ? growthView(d.tiers, joined) : null;
  const theme = d
    ? cardTheme(joined ? (d.card.tier?.code ?? null) : null, d.tiers.ladder)
    : 'visitor';
  return (
    <View className="home">
      <PageState
        loading={home.loading}
        error={home.error}
        onRetry={home.reload}
        hasData={d !== undefined}
        rows={6}
      >
        {d && growth && (
          <>
            {joined && (
              <UpgradeCelebration
                memberId={d.card.id}
                tierCode={d.card.tier?.code ?? null}
                ladder={d.tiers.ladder}
              />
            )}
            <View className={`card card--${theme}`} data-testid="member-card" data-theme={theme}>
              <View className="card__top">
                <View>
                  <Text className="card__tier">{growth.tierName}</Text>
                  <Text className="card__name">
                    {d.card.nickname ?? (joined ? '会员' : '欢迎光临')}
                  </Text>
                </View>
                <Text className="card__no">{formatCardNo(d.card.cardNo)}</Text>
              </View>
              <View className="card__points" onClick={() => go('/pages/points/index')}>
                <Text className="card__points-value" data-testid="points-balance">
                  {formatNumber(d.points.balance)}
                </Text>
                <Text className="card__points-label">可用积分 ›</Text>
              </View>
              {d.points.expiringSoon.points > 0 && (
                <Text className="card__warn">
                  {formatNumber(d.points.expiringSoon.points)} 积分将于{' '}
                  {d.points.expiringSoon.firstDate} 到期，快去商城兑换吧
                </Text>
              )}
              <View className="card__growth" onClick={() => go('/pages/points/tiers/index')}>
                <Progress
                  percent={growth.percent}
                  strokeWidth="6"
                  color="#ffd36b"
                  background="rgba(255,255,255,0.3)"
                />
                <Text className="card__growth-label">
                  成长值 {formatNumber(d.tiers.current.growth)} · {growth.toNextLabel}
                </Text>
                {growth.keepLabel && <Text className="card__growth-label">{growth.keepLabel}</Text>}
              </View>
            </View>

            {joined ? (
              <View className="panel code" data-testid="card-code">
                {showCode ? (
                  <CardCode code={code} failed={failed} onHide={() => setShowCode(false)} />
                ) : (
                  <Button block type="primary" onClick={() => setShowCode(true)}>
                    出示会员码
                  </Button>
                )}
              </View>
            ) : (
              <View className="panel join" data-testid="join-invite">
                <Text className="join__title">开通会员卡，立享积分与会员日礼遇</Text>
                <Button block type="primary" onClick={() => go('/pages/member/join/index')}>
                  免费开卡
                </Button>
              </View>
            )}

            <View className="panel member-day" data-testid="member-day">
              <MemberDayPanel current={d.memberDay} next={d.nextMemberDay} />
            </View>

            <View className="panel shortcuts">
              {SHORTCUTS.map((s) => (
                <View key={s.url} className="shortcuts__item" onClick={() => go(s.url)}>
                  <Text className="shortcuts__icon">{s.icon}</Text>
                  <Text className="shortcuts__label">{s.label}</Text>
                </View>
              ))}
            </View>
          </>
        )}
      </PageState>
    </View>
  );
}

function CardCode({
  code,
  failed,
  onHide,
}: {
  code: { code: string; secondsLeft: number } | null;
  failed: boolean;
  onHide: () => void;
}) {
  if (!code) {
    return (
      <Text className="code__hint">{failed ? '会员码获取失败，正在重试…' : '会员码生成中…'}</Text>
    );
  }
  return (
    <View className="code__body" onClick={onHide}>
      <CodeImage className="code__bar" kind="bar" value={code.code} />
      <CodeImage className="code__qr" kind="qr" value={code.code} />
      <Text className="code__hint">
        {code.secondsLeft > 0 ? `${code.secondsLeft} 秒后自动刷新 · 仅供门店扫码使用` : '正在刷新…'}
      </Text>
    </View>
  );
}

type HomeData = Awaited<ReturnType<typeof loadHome>>;

function MemberDayPanel({
  current,
  next,
}: {
  current: HomeData['memberDay'];
  next: HomeData['nextMemberDay'];
}) {
  if (current) {
    return (
      <>
        <Text className="member-day__badge">进行中</Text>
        <Text className="member-day__name">{current.name}</Text>
        <Text className="member-day__text">
          今天 {formatWindow(current.startsAt, current.endsAt)}
          {current.benefits.pointsMultiplier > 1
            ? ` · 消费积分 ${current.benefits.pointsMultiplier} 倍`
            : ''}
          {current.benefits.checkinBonusPoints > 0
            ? ` · 签到多得 ${formatNumber(current.benefits.checkinBonusPoints)} 积分`
            : ''}
        </Text>
      </>
    );
  }
  if (next) {
    return (
      <>
        <Text className="member-day__badge member-day__badge--next">下次会员日</Text>
        <Text className="member-day__name">{next.name}</Text>
        <Text className="member-day__text">
          {formatDate(next.startsAt)} {formatWindow(next.startsAt, next.endsAt)}
          {next.benefits.pointsMultiplier > 1 ? ` · 积分 ${next.benefits.pointsMultiplier} 倍` : ''}
        </Text>
      </>
    );
  }
  return <Text className="member-day__text">会员日即将公布，敬请期待</Text>;
}
