import { Text, View } from '@tarojs/components';
import { routes } from '@huoyue/shared';
import { api } from '../../../api/client';
import { showError } from '../../../components/feedback';
import Taro from '@tarojs/taro';
import { PageState } from '../../../components/PageState';
import { Cell, CellGroup, Switch } from '../../../components/ui';
import { useRemote } from '../../../hooks/useRemote';

async function loadPreferences() {
  const [messages, privacy] = await Promise.all([
    api(routes.messaging.getPreferences),
    api(routes.engagement.getPrivacy),
  ]);
  return { ...messages, leaderboard: privacy.leaderboard };
}

const LABELS = {
  reminders: '提醒与服务通知',
  marketingSms: '优惠活动短信',
  leaderboard: '排行榜展示',
} as const;

/** What the member hears from us and what others see of them; each switch saves at once. */
export default function Preferences() {
  const prefs = useRemote(loadPreferences);
  const d = prefs.data;

  const change = async (key: 'reminders' | 'marketingSms' | 'leaderboard', value: boolean) => {
    if (!d) return;
    const before = d;
    prefs.setData(() => ({ ...d, [key]: value }));
    try {
      if (key === 'leaderboard')
        await api(routes.engagement.putPrivacy, { body: { leaderboard: value } });
      else
        await api(routes.messaging.putPreferences, {
          body: {
            reminders: key === 'reminders' ? value : d.reminders,
            marketingSms: key === 'marketingSms' ? value : d.marketingSms,
          },
        });
      void Taro.showToast({ title: `已${value ? '开启' : '关闭'}${LABELS[key]}`, icon: 'none' });
    } catch (err) {
      prefs.setData(() => before);
      showError(err);
    }
  };

  return (
    <View>
      <PageState
        loading={prefs.loading}
        error={prefs.error}
        onRetry={prefs.reload}
        hasData={d !== undefined}
      >
        {d && (
          <>
            <CellGroup title="消息通知">
              <Cell
                title="提醒与服务通知"
                description="积分或优惠券即将到期、等级保级等提醒"
                extra={
                  <Switch
                    checked={d.reminders}
                    onChange={(v) => void change('reminders', v)}
                    data-testid="pref-reminders"
                  />
                }
              />
              <Cell
                title="优惠活动短信"
                description="仅通过短信发送，可随时关闭"
                extra={
                  <Switch
                    checked={d.marketingSms}
                    onChange={(v) => void change('marketingSms', v)}
                    data-testid="pref-sms"
                  />
                }
              />
            </CellGroup>
            <CellGroup title="隐私">
              <Cell
                title="在排行榜上展示我"
                description="关闭后排行榜不再显示您的昵称与排名"
                extra={
                  <Switch
                    checked={d.leaderboard}
                    onChange={(v) => void change('leaderboard', v)}
                    data-testid="pref-leaderboard"
                  />
                }
              />
            </CellGroup>
            <View className="panel">
              <Text className="muted">
                交易通知（如兑换发货、积分变动）不受以上开关影响。订阅消息每次授权只发送一次，我们绝不滥发。
              </Text>
            </View>
          </>
        )}
      </PageState>
    </View>
  );
}
