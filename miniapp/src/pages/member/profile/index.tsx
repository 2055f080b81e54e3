import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Input as WxInput, Picker, View } from '@tarojs/components';
import { profileBody, routes } from '@huoyue/shared';
import { api } from '../../../api/client';
import { AvatarPicker } from '../../../components/AvatarPicker';
import { showError, showSuccess } from '../../../components/feedback';
import { go } from '../../../components/nav';
import { PageState } from '../../../components/PageState';
import { Cell, CellGroup } from '../../../components/ui';
import { useRemote } from '../../../hooks/useRemote';
import { formatCardNo, formatDate } from '../../../logic/format';
import './index.scss';

const today = () => new Date().toISOString().slice(0, 10);

/**
 * 我的资料: avatar and nickname (changed at will), birthday (set once, as most brands allow: it decides the
 * birthday gift), the phone masked; and the member's data rights: export everything, close the membership.
 */
export default function Profile() {
  const profile = useRemote(() => api(routes.membership.profile));
  const [nickname, setNickname] = useState<string | null>(null);
  const p = profile.data;

  const save = async (body: Record<string, string>, done: string) => {
    const checked = profileBody.safeParse(body);
    if (!checked.success) {
      void Taro.showToast({
        title: checked.error.issues[0]?.message ?? '请检查填写的内容',
        icon: 'none',
      });
      return;
    }
    try {
      const next = await api(routes.membership.updateProfile, { body: checked.data });
      profile.setData(() => next);
      showSuccess(done);
    } catch (err) {
      showError(err);
    }
  };

  const setBirthday = async (birthday: string) => {
    const { confirm } = await Taro.showModal({
      title: `生日设为 ${birthday}？`,
      content: '生日设置后不能自行修改，生日当月可领取生日礼。',
      confirmText: '确定',
    });
    if (confirm) await save({ birthday }, '生日已保存');
  };

  const saveNickname = (value: string) => {
    setNickname(null);
    if (p && value.trim() && value.trim() !== p.nickname)
      void save({ nickname: value }, '昵称已保存');
  };

  return (
    <View className="profile">
      <PageState
        loading={profile.loading}
        error={profile.error}
        onRetry={profile.reload}
        hasData={p !== undefined}
        rows={6}
      >
        {p && (
          <>
            <View className="profile__head">
              <AvatarPicker
                value={p.avatar}
                fallback={(p.nickname ?? '会')[0]!}
                onChange={(avatar) => void save({ avatar }, '头像已更新')}
              />
            </View>
            <CellGroup>
              <Cell
                title="昵称"
                extra={
                  <WxInput
                    className="profile__input"
                    type="nickname"
                    placeholder="怎么称呼您"
                    value={nickname ?? p.nickname ?? ''}
                    maxlength={32}
                    onInput={(e) => setNickname(e.detail.value)}
                    onBlur={(e) => saveNickname(e.detail.value)}
                    onConfirm={(e) => saveNickname(e.detail.value)}
                    data-testid="profile-nickname"
                  />
                }
              />
              {p.birthdayLocked ? (
                <Cell
                  title="生日"
                  extra={p.birthday ?? ''}
                  description="已设置，如需更正请联系门店"
                />
              ) : (
                <Picker
                  mode="date"
                  value="1995-01-01"
                  start="1900-01-01"
                  end={today()}
                  onChange={(e) => void setBirthday(String(e.detail.value))}
                >
                  <Cell title="生日" extra="去设置 ›" description="设置后生日当月可领生日礼" />
                </Picker>
              )}
              <Cell title="手机号" extra={p.phoneMasked ?? '未绑定'} />
              <Cell title="会员卡号" extra={formatCardNo(p.cardNo)} />
              {p.joinedAt && <Cell title="入会日期" extra={formatDate(p.joinedAt)} />}
            </CellGroup>
            <CellGroup title="我的数据">
              <Cell
                title="导出我的数据"
                description="查看并下载我们保存的关于您的全部信息"
                clickable
                extra="›"
                onClick={() => go('/pages/member/export/index')}
              />
              <Cell
                title="注销会员"
                className="profile__danger"
                description="删除个人信息，积分、优惠券和等级作废"
                clickable
                extra="›"
                onClick={() => go('/pages/member/close/index')}
              />
            </CellGroup>
          </>
        )}
      </PageState>
    </View>
  );
}
