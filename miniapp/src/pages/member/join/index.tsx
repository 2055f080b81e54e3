import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Button as WxButton, Input as WxInput, Picker, Text, View } from '@tarojs/components';
import { joinBody, routes } from '@huoyue/shared';
import { api, session } from '../../../api/client';
import { devCode } from '../../../api/dev';
import { AvatarPicker } from '../../../components/AvatarPicker';
import { showError, showSuccess } from '../../../components/feedback';
import { go } from '../../../components/nav';
import { Button, Input } from '../../../components/ui';
import { useRemote } from '../../../hooks/useRemote';
import { welcomeGiftText } from '../../../logic/membership';
import './index.scss';

const today = () => new Date().toISOString().slice(0, 10);

/** WeChat's phone authorisation; the browser build (dev only) types a number that the fake WeChat vouches for. */
function PhoneAuthorisation({ onCode }: { onCode: (code: string) => void }) {
  const [devPhone, setDevPhone] = useState('');
  if (process.env.TARO_ENV === 'weapp') {
    return (
      <WxButton
        className="join-page__phone"
        openType="getPhoneNumber"
        onGetPhoneNumber={(e) => {
          const code = (e.detail as { code?: string }).code;
          if (code) onCode(code);
          else void Taro.showToast({ title: '未授权手机号，也可以稍后再绑定', icon: 'none' });
        }}
      >
        微信手机号一键授权
      </WxButton>
    );
  }
  const authorize = async () => {
    try {
      onCode(await devCode('phone-code', { phone: devPhone.trim() }));
      showSuccess('手机号已授权');
    } catch (err) {
      showError(err);
    }
  };
  return (
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
      <Button size="small" onClick={authorize}>
        授权
      </Button>
    </View>
  );
}

/** The box to tick before joining, with the two texts one tap away. */
function Agreement({ agreed, onToggle }: { agreed: boolean; onToggle: () => void }) {
  return (
    <View className="join-page__agree">
      <View
        className={`tick ${agreed ? 'tick--on' : ''}`}
        role="checkbox"
        aria-checked={agreed}
        data-testid="join-agree"
        onClick={onToggle}
      >
        {agreed ? '✓' : ''}
      </View>
      <Text onClick={onToggle}>我已阅读并同意</Text>
      <Text className="link" onClick={() => go('/pages/member/agreement/index?kind=terms')}>
        《会员协议》
      </Text>
      <Text>和</Text>
      <Text className="link" onClick={() => go('/pages/member/agreement/index?kind=privacy')}>
        《隐私政策》
      </Text>
    </View>
  );
}

/**
 * 开卡: avatar and nickname (WeChat's own choosers), birthday (for the birthday gift) and the phone number through
 * WeChat's phone authorisation, after agreeing to the brand's terms. A customer already known to a store by that
 * phone keeps their points and tier: the server merges the two. The welcome gift is announced on the way in.
 */
export default function Join() {
  const info = useRemote(() => api(routes.membership.joinInfo));
  const [avatar, setAvatar] = useState<string | null>(null);
  const [nickname, setNickname] = useState('');
  const [birthday, setBirthday] = useState('');
  const [phoneCode, setPhoneCode] = useState<string | null>(null);
  const [agreed, setAgreed] = useState(false);
  const [busy, setBusy] = useState(false);
  const gift = info.data ? welcomeGiftText(info.data.welcomeGift) : null;

  const submit = async () => {
    if (!agreed) {
      void Taro.showToast({ title: '请先阅读并同意会员协议和隐私政策', icon: 'none' });
      return;
    }
    const checked = joinBody.safeParse({
      nickname: nickname.trim() || undefined,
      avatar: avatar ?? undefined,
      birthday: birthday || undefined,
      phoneCode: phoneCode ?? undefined,
    });
    if (!checked.success) {
      void Taro.showToast({
        title: checked.error.issues[0]?.message ?? '请检查填写的内容',
        icon: 'none',
      });
      return;
    }
    setBusy(true);
    try {
      const joined = await session.join(checked.data);
      const given = joined.welcomeGift ? welcomeGiftText(joined.welcomeGift) : null;
      await Taro.showModal({
        title: '开卡成功',
        content: given ? `开卡礼已到账：${given}` : '欢迎成为我们的会员',
        showCancel: false,
        confirmText: '去会员卡',
      });
      void Taro.switchTab({ url: '/pages/home/index' });
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="join-page">
      <View className="join-page__hero">
        <Text className="join-page__title">欢迎加入会员</Text>
        <Text className="join-page__sub">开卡即享积分、签到礼、会员日专属优惠</Text>
        {gift && (
          <Text className="join-page__gift" data-testid="join-gift">
            开卡礼：{gift}
          </Text>
        )}
      </View>
      <View className="panel">
        <AvatarPicker
          value={avatar}
          fallback={(nickname.trim() || '会')[0]!}
          onChange={setAvatar}
        />
        <Text className="join-page__label">昵称</Text>
        <WxInput
          className="join-page__input"
          type="nickname"
          placeholder="怎么称呼您"
          value={nickname}
          maxlength={32}
          onInput={(e) => setNickname(e.detail.value)}
          onBlur={(e) => setNickname(e.detail.value)}
          data-testid="join-nickname"
        />
        <Text className="join-page__label">生日（选填，生日当月有惊喜，设置后不可修改）</Text>
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
          <PhoneAuthorisation onCode={setPhoneCode} />
        )}
      </View>
      <View className="join-page__submit">
        <Agreement agreed={agreed} onToggle={() => setAgreed((a) => !a)} />
        <Button
          block
          type="primary"
          className={agreed ? '' : 'join-page__submit--off'}
          loading={busy}
          disabled={busy}
          onClick={submit}
          data-testid="join-submit"
        >
          立即开卡
        </Button>
        <Text className="muted join-page__note">
          开卡后可随时在“我的 › 我的资料”中导出数据或注销会员。
        </Text>
      </View>
    </View>
  );
}
