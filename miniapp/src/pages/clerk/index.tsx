import { useMemo, useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { ApiClient, ApiError, routes, type RouteOutput } from '@huoyue/shared';
import { API_BASE_URL, taroTransport } from '../../api/transport';
import { showError } from '../../components/feedback';
import { Button, Input } from '../../components/ui';
import { classifyScan } from '../../logic/clerk';
import { couponCondition, couponFace } from '../../logic/coupons';
import { formatCardNo, formatNumber } from '../../logic/format';
import './index.scss';

const STAFF_KEY = 'hy_staff_session';
type StaffSession = { token: string; name: string; storeCode: string | null };
type MemberFound = RouteOutput<typeof routes.members.adminByCardCode>;
type CouponUsed = RouteOutput<typeof routes.coupons.redeem>;

function loadStaff(): StaffSession | null {
  const saved = Taro.getStorageSync(STAFF_KEY) as StaffSession | '';
  return saved || null;
}

/**
 * Clerk mode on the store's phone: the clerk signs in with their staff account (not the member's WeChat), then
 * scans a member's card code to see who they are, or a coupon's code to use it, exactly once, for their store.
 */
export default function Clerk() {
  const [staff, setStaff] = useState<StaffSession | null>(loadStaff);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [manual, setManual] = useState('');
  const [storeCode, setStoreCode] = useState(staff?.storeCode ?? '');
  const [busy, setBusy] = useState(false);
  const [member, setMember] = useState<MemberFound | null>(null);
  const [used, setUsed] = useState<CouponUsed | null>(null);

  const client = useMemo(
    () =>
      new ApiClient({
        baseUrl: API_BASE_URL,
        transport: taroTransport,
        getToken: () => staff?.token ?? null,
      }),
    [staff],
  );

  const signOut = () => {
    Taro.removeStorageSync(STAFF_KEY);
    setStaff(null);
  };

  const fail = (err: unknown) => {
    if (err instanceof ApiError && err.status === 401) {
      signOut();
      void Taro.showToast({ title: '登录已过期，请重新登录', icon: 'none' });
    } else showError(err);
  };

  const login = async () => {
    setBusy(true);
    try {
      const res = await client.call(routes.staff.login, {
        body: { username: username.trim(), password },
      });
      const session = {
        token: res.token,
        name: res.staff.displayName ?? res.staff.username,
        storeCode: res.staff.storeCode,
      };
      Taro.setStorageSync(STAFF_KEY, session);
      setStaff(session);
      setStoreCode(res.staff.storeCode ?? '');
      setPassword('');
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const handle = async (raw: string) => {
    setMember(null);
    setUsed(null);
    const scanned = classifyScan(raw);
    if (scanned.kind === 'invalid') {
      void Taro.showToast({ title: scanned.reason, icon: 'none' });
      return;
    }
    setBusy(true);
    try {
      if (scanned.kind === 'card') {
        setMember(
          await client.call(routes.members.adminByCardCode, { params: { code: scanned.code } }),
        );
      } else {
        if (!storeCode.trim()) {
          void Taro.showToast({ title: '请先填写门店编码', icon: 'none' });
          return;
        }
        const { confirm } = await Taro.showModal({
          title: '确认核销',
          content: `券码 ${scanned.code} 将在门店 ${storeCode} 核销，核销后不可再用。`,
          confirmText: '核销',
        });
        if (!confirm) return;
        setUsed(
          await client.call(routes.coupons.redeem, {
            body: { code: scanned.code, storeCode: storeCode.trim() },
          }),
        );
        void Taro.showToast({ title: '核销成功', icon: 'success' });
      }
      setManual('');
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const scan = async () => {
    try {
      const res = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode', 'barCode'] });
      await handle(res.result);
    } catch {
      // the clerk closed the scanner
    }
  };

  if (!staff) {
    return (
      <View className="clerk">
        <View className="panel">
          <Text className="panel__title">店员登录</Text>
          <Text className="muted clerk__hint">
            使用品牌后台分配的店员账号登录，登录后可扫码识别会员、核销优惠券。
          </Text>
          <Input
            className="field"
            placeholder="账号"
            value={username}
            onChange={setUsername}
            data-testid="clerk-username"
          />
          <Input
            className="field"
            placeholder="密码"
            type="password"
            value={password}
            onChange={setPassword}
            data-testid="clerk-password"
          />
          <Button
            block
            type="primary"
            loading={busy}
            disabled={busy || !username || !password}
            onClick={login}
          >
            登录
          </Button>
        </View>
      </View>
    );
  }

  return (
    <View className="clerk">
      <View className="panel row">
        <Text>店员：{staff.name}</Text>
        <Text className="link" onClick={signOut}>
          退出
        </Text>
      </View>
      <View className="panel">
        <Text className="panel__title">扫码</Text>
        <Input
          className="field"
          placeholder="门店编码"
          value={storeCode}
          onChange={setStoreCode}
          disabled={staff.storeCode !== null}
        />
        {process.env.TARO_ENV === 'weapp' && (
          <Button block type="primary" loading={busy} onClick={scan}>
            扫会员码 / 券码
          </Button>
        )}
        <View className="clerk__manual">
          <Input
            className="field"
            placeholder="或手动输入会员码 / 券码"
            value={manual}
            onChange={setManual}
            data-testid="clerk-code"
          />
          <Button
            size="small"
            disabled={busy || !manual.trim()}
            onClick={() => void handle(manual)}
          >
            查询
          </Button>
        </View>
      </View>
      {member && (
        <View className="panel" data-testid="clerk-member">
          <Text className="panel__title">{member.nickname ?? '会员'}</Text>
          <Text className="clerk__line">卡号 {formatCardNo(member.cardNo)}</Text>
          <Text className="clerk__line">
            等级 {member.tier?.name ?? '普通会员'} · 积分 {formatNumber(member.points)}
          </Text>
          {member.phoneMasked && <Text className="clerk__line">手机 {member.phoneMasked}</Text>}
        </View>
      )}
      {used && (
        <View className="panel" data-testid="clerk-coupon">
          <Text className="panel__title">✓ 已核销：{used.name}</Text>
          <Text className="clerk__line">
            {couponFace(used)} · {couponCondition(used)}
          </Text>
        </View>
      )}
    </View>
  );
}
