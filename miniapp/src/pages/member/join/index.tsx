import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Button as WxButton, Picker, Text, View } from '@tarojs/components';
import { joinBody } from '@huoyue/shared';
import { session } from '../../../api/client';
import { devCode } from '../../../api/dev';
import { showError, showSuccess } from '../../../components/feedback';
import { Button, Input } from '../../../components/ui';
import './index.scss';

const today = () => new Date().toISOString().slice(0, 10);

/**
 * 开卡: nickname, birthday (for the birthday gift) and the phone number through WeChat's phone authorization.
 * A customer already known to a store by that phone keeps their points and tier: the server merges the two.
 */
export default function Join() {
  const [nickname, setNickname] = useState('');
  const [birthday, setBirthday] = useState('');
  const [phoneCode, setPhoneCode] = useState<string | null>(null);
  const [devPhone, setDevPhone] = useState('');
  const [busy, setBusy] = useState(false);

  const authorizeInBrowser = async () => {
    try {
      setPhoneCode(await devCode('phone-code', { phone: devPhone.trim() }));
      showSuccess('手机号已授权');
    } catch (err) {
      showError(err);
    }
  };

  const submit = async () => {
    const input = {
      nickname: nickname.trim() || undefined,
      birthday: birthday || undefined,
      phoneCode: phoneCode ?? undefined,
    };
    const checked = joinBody.safeParse(input);
    if (!checked.success) {
      void Taro.showToast({
        title: checked.error.issues[0]?.message ?? '请检查填写的内容',
        icon: 'none',
      });
      return;
    }
    setBusy(true);
    try {
      await session.join(checked.data);
      showSuccess('开卡成功');
      setTimeout(() => void Taro.switchTab({ url: '/pages/home/index' }), 800);
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const phoneInput =
    process.env.TARO_ENV === 'weapp' ? (
      <WxButton
        className="join-page__phone"
        openType="getPhoneNumber"
        onGetPhoneNumber={(e) => {
          const code = (e.detail as { code?: string }).code;
          if (code) setPhoneCode(code);
          else void Taro.showToast({ title: '未授权手机号，也可以稍后再绑定', icon: 'none' });
        }}
      >
        微信手机号一键授权
      </WxButton>
    ) : (
      <View className="join-page__dev">
        <Input
          className="field"
          placeholder="手机号（开发环境模拟微信授权）"
          type="digit"
          maxLength={11}
          value={devPhone}
          onChange={setDevPhone}
          data-testid="join-phone"
        />
        <Button size="small" onClick={authorizeInBrowser}>
          授权
        </Button>
      </View>
    );
  return (
    <View className="join-page">
      <View className="join-page__hero">
        <Text className="join-page__title">欢迎加入会员</Text>
        <Text className="join-page__sub">开卡即享积分、签到礼、会员日专属优惠</Text>
      </View>
      <View className="panel">
        <Text className="join-page__label">昵称</Text>
        <Input
          className="field"
          placeholder="怎么称呼您"
          value={nickname}
          maxLength={32}
          onChange={setNickname}
          data-testid="join-nickname"
        />
        <Text className="join-page__label">生日（选填，生日当月有惊喜）</Text>
        <Picker
          mode="date"
          value={birthday || '1995-01-01'}
          start="1900-01-01"
          end={today()}
          onChange={(e) => setBirthday(String(e.detail.value))}
        >
          <View className="join-page__picker">{birthday || '请选择生日'}</View>
        </Picker>
        <Text className="join-page__label">手机号</Text>
        {phoneCode ? (
          <Text className="join-page__ok">✓ 已授权，门店会员将自动合并积分与等级</Text>
        ) : (
          phoneInput
        )}
      </View>
      <View className="join-page__submit">
        <Button
          block
          type="primary"
          loading={busy}
          disabled={busy}
          onClick={submit}
          data-testid="join-submit"
        >
          立即开卡
        </Button>
        <Text className="muted join-page__note">
          开卡即表示同意会员服务协议与隐私政策；可随时在“我的”中导出或注销。
        </Text>
      </View>
    </View>
  );
}
