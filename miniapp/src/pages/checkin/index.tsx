import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { routes } from '@huoyue/shared';
import { api } from '../../api/client';
import { askToSubscribe } from '../../api/subscribe';
import { showError } from '../../components/feedback';
import { PageState } from '../../components/PageState';
import { Button, Switch } from '../../components/ui';
import { usePageShow } from '../../hooks/usePageShow';
import { useRemote } from '../../hooks/useRemote';
import { ladderSteps, makeupCostLabel, monthGrid, shiftMonth } from '../../logic/checkin';
import { formatNumber } from '../../logic/format';
import './index.scss';

const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];

/**
 * The month, and whether a reminder will really come: the check-in reminder is sent as a reminder message, so it
 * is on only when the member's 提醒与服务通知 (messaging preferences) are on too.
 */
async function loadCheckin(month: string | undefined) {
  const [m, prefs] = await Promise.all([
    api(routes.engagement.checkinMonth, { query: month ? { month } : {} }),
    api(routes.messaging.getPreferences),
  ]);
  return { ...m, remindersAllowed: prefs.reminders, reminderOn: m.reminder && prefs.reminders };
}

/** Turning the check-in reminder on also allows reminder messages, or it could never arrive. */
async function saveReminder(enabled: boolean, remindersAllowed: boolean) {
  if (enabled && !remindersAllowed) {
    const prefs = await api(routes.messaging.getPreferences);
    await api(routes.messaging.putPreferences, {
      body: { reminders: true, marketingSms: prefs.marketingSms },
    });
  }
  await api(routes.engagement.reminder, { body: { enabled } });
}

export default function Checkin() {
  const [month, setMonth] = useState<string | undefined>(undefined);
  const data = useRemote(() => loadCheckin(month), [month]);
  const [busy, setBusy] = useState(false);
  const [justChecked, setJustChecked] = useState<{ points: number; badges: string[] } | null>(null);
  // Back from the preferences page the reminder may have changed there: show what is stored.
  usePageShow(data);
  const d = data.data;

  const checkIn = async () => {
    setBusy(true);
    try {
      const result = await api(routes.engagement.checkin, { body: {} });
      setJustChecked({ points: result.points, badges: result.badges.map((b) => b.name) });
      await data.reload();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  // "Remind me tomorrow": the natural moment for the reminder's subscribe consent (needs this tap).
  const remindTomorrow = async () => {
    const accepted = await askToSubscribe('checkin');
    if (!accepted) return;
    try {
      await saveReminder(true, d?.remindersAllowed ?? true);
      void Taro.showToast({ title: '明天会提醒您签到', icon: 'none' });
      await data.reload();
    } catch (err) {
      showError(err);
    }
  };

  const setReminder = async (enabled: boolean) => {
    try {
      if (enabled && !(await askToSubscribe('checkin'))) return;
      await saveReminder(enabled, d?.remindersAllowed ?? true);
      void Taro.showToast({
        title: enabled ? '已开启签到提醒' : '已关闭签到提醒',
        icon: 'none',
      });
      await data.reload();
    } catch (err) {
      showError(err);
    }
  };

  const makeup = async (date: string) => {
    if (!d) return;
    const { confirm } = await Taro.showModal({
      title: `补签 ${date.slice(5)}？`,
      content: `${makeupCostLabel(d)}，本月还可补签 ${d.makeup.remainingThisMonth} 次。`,
      confirmText: '补签',
    });
    if (!confirm) return;
    try {
      await api(routes.engagement.makeup, { body: { date } });
      void Taro.showToast({ title: '补签成功', icon: 'success' });
      await data.reload();
    } catch (err) {
      showError(err);
    }
  };

  const isCurrentMonth = d ? d.month === d.today.slice(0, 7) : true;
  return (
    <View className="checkin">
      <PageState
        loading={data.loading}
        error={data.error}
        onRetry={data.reload}
        hasData={d !== undefined}
        rows={8}
      >
        {d && (
          <>
            <View className="checkin__hero">
              <Text className="checkin__streak-label">已连续签到</Text>
              <Text className="checkin__streak" data-testid="streak">
                {d.streak}
              </Text>
              <Text className="checkin__streak-label">天</Text>
              <View className="checkin__action">
                {d.checkedToday ? (
                  <Button type="default" disabled block>
                    今日已签到
                  </Button>
                ) : (
                  <Button
                    type="primary"
                    block
                    loading={busy}
                    disabled={busy}
                    onClick={checkIn}
                    data-testid="checkin-button"
                  >
                    签到领 {formatNumber(d.nextReward.points)} 积分
                  </Button>
                )}
              </View>
              {justChecked && (
                <View className="checkin__done" data-testid="checkin-result">
                  <Text>
                    签到成功，获得 {formatNumber(justChecked.points)} 积分
                    {justChecked.badges.length
                      ? `，解锁勋章「${justChecked.badges.join('」「')}」`
                      : ''}
                  </Text>
                  {!d.reminderOn && (
                    <Text className="link checkin__remind" onClick={remindTomorrow}>
                      明天提醒我 ›
                    </Text>
                  )}
                </View>
              )}
            </View>

            <View className="panel">
              <Text className="panel__title">连签奖励（{d.ladder.cycleDays} 天一轮）</Text>
              <View className="ladder">
                {ladderSteps(d).map((s) => (
                  <View key={s.cycleDay} className={`ladder__step ladder__step--${s.state}`}>
                    <Text className="ladder__points">+{formatNumber(s.points)}</Text>
                    {s.badgeCode && <Text className="ladder__badge">🏅</Text>}
                    <Text className="ladder__day">第{s.cycleDay}天</Text>
                  </View>
                ))}
              </View>
            </View>

            <View className="panel">
              <View className="row">
                <Text className="link" onClick={() => setMonth(shiftMonth(d.month, -1))}>
                  ‹ 上月
                </Text>
                <Text className="panel__title calendar__title">
                  {d.month.replace('-', ' 年 ')} 月
                </Text>
                <Text
                  className={`link ${isCurrentMonth ? 'calendar__nav--off' : ''}`}
                  onClick={() => !isCurrentMonth && setMonth(shiftMonth(d.month, 1))}
                >
                  下月 ›
                </Text>
              </View>
              <View className="calendar__week">
                {WEEKDAYS.map((w) => (
                  <Text key={w} className="calendar__weekday">
                    {w}
                  </Text>
                ))}
              </View>
              {monthGrid(d).map((week, i) => (
                <View key={i} className="calendar__week">
                  {week.map((cell, j) =>
                    cell ? (
                      <View
                        key={cell.date}
                        className={`calendar__day ${cell.mark ? `calendar__day--${cell.mark}` : ''} ${cell.today ? 'calendar__day--today' : ''} ${cell.canMakeup ? 'calendar__day--makeup-able' : ''} ${cell.future ? 'calendar__day--future' : ''}`}
                        onClick={() => cell.canMakeup && void makeup(cell.date)}
                      >
                        <Text>{cell.day}</Text>
                        <Text className="calendar__mark">{dayMark(cell)}</Text>
                      </View>
                    ) : (
                      <View key={`blank-${j}`} className="calendar__day calendar__day--blank" />
                    ),
                  )}
                </View>
              ))}
              {d.makeup.enabled && (
                <Text className="muted calendar__hint">
                  点击“补签”日期可补签（{makeupCostLabel(d)}，本月剩余 {d.makeup.remainingThisMonth}{' '}
                  次）
                </Text>
              )}
            </View>

            <View className="panel row">
              <View>
                <Text className="list-item__title">签到提醒</Text>
                <Text className="list-item__sub muted">每天提醒一次，不错过连签奖励</Text>
              </View>
              <Switch
                checked={d.reminderOn}
                onChange={(v) => void setReminder(v)}
                data-testid="checkin-reminder"
              />
            </View>
          </>
        )}
      </PageState>
    </View>
  );
}

function dayMark(cell: { mark?: string | null; canMakeup: boolean }): string {
  if (cell.mark === 'daily') return '✓';
  if (cell.mark === 'makeup') return '补';
  return cell.canMakeup ? '补签' : '';
}
