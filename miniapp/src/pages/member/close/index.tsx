import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { routes } from '@huoyue/shared';
import { api, session } from '../../../api/client';
import { showError } from '../../../components/feedback';
import { Button } from '../../../components/ui';
import './index.scss';

const ERASED = [
  '昵称、头像、手机号、生日立即删除，会员卡号作废',
  '兑换时填写的收货人、电话和地址，签到时记录的网络地址与设备信息一并删除',
  '订阅消息授权与消息偏好删除，不会再收到任何消息；排行榜上不再出现',
  '剩余积分、成长值、等级和未使用的优惠券全部作废，不可恢复',
  '微信账号与会员解除关联，之后再打开将是新访客',
];
const KEPT = ['积分明细、消费与兑换记录以匿名方式保留，仅用于财务核对，不再能识别到您'];

/**
 * 注销会员: what goes and what stays, a box to tick, then a second confirmation; after DELETE /api/me the app
 * forgets its token and comes back as a visitor.
 */
export default function CloseMembership() {
  const [understood, setUnderstood] = useState(false);
  const [busy, setBusy] = useState(false);
  const close = async () => {
    if (!understood) {
      void Taro.showToast({ title: '请先勾选“我已了解以上后果”', icon: 'none' });
      return;
    }
    const { confirm } = await Taro.showModal({
      title: '确定注销会员？',
      content: '注销后积分、优惠券和等级全部作废，且无法恢复。',
      confirmText: '确定注销',
      confirmColor: '#d9381e',
      cancelText: '再想想',
    });
    if (!confirm) return;
    setBusy(true);
    try {
      await api(routes.members.closeMe);
      session.logout();
      await Taro.showModal({
        title: '已注销',
        content: '您的会员已注销，个人信息已删除。感谢一路相伴。',
        showCancel: false,
        confirmText: '好的',
      });
      void Taro.reLaunch({ url: '/pages/home/index' });
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <View>
      <View className="panel">
        <Text className="close-page__title">注销后将删除</Text>
        {ERASED.map((l) => (
          <Text key={l} className="close-page__line">
            · {l}
          </Text>
        ))}
        <Text className="close-page__title">注销后仍会保留</Text>
        {KEPT.map((l) => (
          <Text key={l} className="close-page__line">
            · {l}
          </Text>
        ))}
        <View className="close-page__confirm" onClick={() => setUnderstood((u) => !u)}>
          <View
            className={`tick ${understood ? 'tick--on' : ''}`}
            role="checkbox"
            aria-checked={understood}
            data-testid="close-understood"
          >
            {understood ? '✓' : ''}
          </View>
          <Text>我已了解以上后果，仍要注销</Text>
        </View>
      </View>
      <View className="close-page__actions">
        <Button
          block
          type="danger"
          loading={busy}
          disabled={busy}
          onClick={close}
          data-testid="close-submit"
        >
          注销会员
        </Button>
      </View>
    </View>
  );
}
