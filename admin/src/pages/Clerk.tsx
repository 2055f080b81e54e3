import {
  Alert,
  Button,
  Card,
  Descriptions,
  Input,
  type InputRef,
  Modal,
  Result,
  Select,
  Space,
  Tag,
  Typography,
  message as toast,
} from 'antd';
import { formatYuan, routes, type RouteOutput } from '@huoyue/shared';
import { useEffect, useRef, useState } from 'react';
import { call, message } from '../api';
import { Loadable, useLoad } from '../components/Loadable';

type Found = RouteOutput<typeof routes.desk.lookup>;
type Ticket = Extract<Found, { kind: 'coupon' | 'voucher' }>;
const STORE_KEY = 'huoyue.desk.store';

const date = (iso: string) => new Date(iso).toLocaleDateString('zh-CN');

const STATUS_LABELS: Record<Ticket['status'], string> = {
  available: '可使用',
  used: '已核销',
  expired: '已过期',
  revoked: '已作废',
  void: '已作废',
};

/**
 * The clerk desk: scan or type a code; the desk first shows what it is (a coupon with its face, threshold, validity
 * and holder; a voucher; a member by card code, card number or phone), and only then verifies, after a confirm.
 * The field clears after every action, ready for the next scan. A clerk works at their own store (shown, not
 * editable); owners and operators pick one.
 */
export function ClerkPage() {
  const me = useLoad(() => call(routes.staff.me));
  const stores = useLoad(() => call(routes.staff.listStores));
  return (
    <Loadable state={me}>
      {(staff) => (
        <Desk
          clerkStore={staff.role === 'clerk' ? staff.storeCode : null}
          stores={stores.data?.items ?? []}
        />
      )}
    </Loadable>
  );
}

function Desk({
  clerkStore,
  stores,
}: {
  clerkStore: string | null;
  stores: { code: string; name: string }[];
}) {
  const [picked, setPicked] = useState<string | null>(
    clerkStore ?? localStorage.getItem(STORE_KEY),
  );
  const storeCode = clerkStore ?? (stores.some((s) => s.code === picked) ? picked : null);
  const storeName = stores.find((s) => s.code === storeCode)?.name ?? storeCode;
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useState<Found | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const input = useRef<InputRef>(null);
  const ready = () => {
    setCode('');
    setTimeout(() => input.current?.focus(), 0);
  };
  useEffect(() => input.current?.focus(), []);

  const lookup = async () => {
    const value = code.trim();
    if (!value) return;
    if (!storeCode && !/^\d+$/.test(value)) {
      setError('请先选择核销门店');
      return;
    }
    setBusy(true);
    setError(null);
    setDone(null);
    setFound(null);
    try {
      setFound(
        await call(routes.desk.lookup, {
          query: { code: value, ...(clerkStore || !storeCode ? {} : { storeCode }) },
        }),
      );
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
      ready();
    }
  };

  const verify = (ticket: Ticket) => {
    const what = ticket.kind === 'coupon' ? ticket.name : ticket.itemName;
    Modal.confirm({
      title: `确认核销「${what}」？`,
      content: `持有人：${ticket.holder.nickname}${ticket.holder.phoneMasked ? `（${ticket.holder.phoneMasked}）` : ''}，核销门店：${storeName ?? ''}。核销后不能再次使用。`,
      okText: '确认核销',
      cancelText: '取消',
      onOk: async () => {
        const body = { code: ticket.code, ...(clerkStore ? {} : { storeCode: storeCode! }) };
        try {
          if (ticket.kind === 'coupon') await call(routes.coupons.redeem, { body });
          else await call(routes.mall.redeemVoucher, { body });
          const text = `核销成功：${what}（${storeName ?? ''}）`;
          void toast.success(text);
          setDone(text);
          setFound(null);
        } catch (err) {
          setError(message(err));
          setFound(null);
        } finally {
          ready();
        }
      },
      onCancel: ready,
    });
  };

  return (
    <Space direction="vertical" size={16} style={{ width: '100%', maxWidth: 720 }}>
      <Card title="核销台">
        <Space direction="vertical" style={{ width: '100%' }}>
          <div data-testid="desk-store">
            核销门店：
            {clerkStore ? (
              <Tag color="orange">{storeName}（本店）</Tag>
            ) : (
              <Select
                style={{ width: 240 }}
                placeholder="请选择门店"
                value={storeCode ?? undefined}
                options={stores.map((s) => ({ value: s.code, label: s.name }))}
                onChange={(v: string) => {
                  setPicked(v);
                  localStorage.setItem(STORE_KEY, v);
                  ready();
                }}
                notFoundContent="还没有门店，请先在「员工与门店」中添加"
              />
            )}
          </div>
          <Space.Compact style={{ width: '100%' }}>
            <Input
              ref={input}
              size="large"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              onPressEnter={() => void lookup()}
              placeholder="扫码枪扫描，或输入券码、会员码、会员卡号、手机号"
              aria-label="券码或会员码"
              allowClear
            />
            <Button size="large" type="primary" loading={busy} onClick={() => void lookup()}>
              查询
            </Button>
          </Space.Compact>
          <Typography.Text type="secondary">
            先查询，确认券和持有人后再核销。扫码枪扫完会自动查询。
          </Typography.Text>
        </Space>
      </Card>
      {error && (
        <Alert
          type="error"
          showIcon
          message={error}
          data-testid="desk-error"
          closable
          onClose={() => setError(null)}
        />
      )}
      {done && <Result status="success" title={done} data-testid="desk-done" />}
      {found && found.kind === 'member' && <MemberCard m={found} />}
      {found && found.kind !== 'member' && (
        <TicketCard t={found} onVerify={() => verify(found)} storeName={storeName} />
      )}
    </Space>
  );
}

function holderText(h: Ticket['holder']): string {
  return [h.nickname, h.phoneMasked, h.cardNo ? `卡号 ${h.cardNo}` : null]
    .filter(Boolean)
    .join(' · ');
}

function TicketCard({
  t,
  onVerify,
  storeName,
}: {
  t: Ticket;
  onVerify: () => void;
  storeName: string | null;
}) {
  const isCoupon = t.kind === 'coupon';
  return (
    <Card title={isCoupon ? '优惠券' : '兑换券'} data-testid="desk-ticket">
      <Descriptions column={1} size="small" bordered>
        {t.kind === 'coupon' ? (
          <>
            <Descriptions.Item label="券名">{t.name}</Descriptions.Item>
            <Descriptions.Item label="面额">{t.face}</Descriptions.Item>
            <Descriptions.Item label="使用门槛">
              {t.threshold > 0 ? `满 ${formatYuan(t.threshold)} 可用` : '无门槛'}
            </Descriptions.Item>
            <Descriptions.Item label="有效期">
              {date(t.validFrom)} 至 {date(t.validTo)}
            </Descriptions.Item>
          </>
        ) : (
          <>
            <Descriptions.Item label="兑换商品">{t.itemName}</Descriptions.Item>
            <Descriptions.Item label="有效期至">{date(t.validTo)}</Descriptions.Item>
          </>
        )}
        <Descriptions.Item label="持有人">{holderText(t.holder)}</Descriptions.Item>
        <Descriptions.Item label="适用门店">
          {t.storeNames.length === 0 ? '全部门店' : t.storeNames.join('、')}
        </Descriptions.Item>
        <Descriptions.Item label="状态">
          {STATUS_LABELS[t.status]}
          {t.usedStoreName && `（${t.usedStoreName}）`}
        </Descriptions.Item>
      </Descriptions>
      <div style={{ marginTop: 16 }}>
        {t.usable ? (
          <Button type="primary" size="large" onClick={onVerify}>
            核销（{storeName}）
          </Button>
        ) : (
          <Alert type="warning" showIcon message={`不能核销：${t.reason ?? ''}`} />
        )}
      </div>
    </Card>
  );
}

function MemberCard({ m }: { m: Extract<Found, { kind: 'member' }> }) {
  const by = { card_code: '会员码', card_no: '会员卡号', phone: '手机号' }[m.foundBy];
  return (
    <Card title={`会员（按${by}找到）`} data-testid="desk-member">
      <Descriptions column={2} size="small" bordered>
        <Descriptions.Item label="昵称">{m.nickname}</Descriptions.Item>
        <Descriptions.Item label="卡号">{m.cardNo ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="手机">{m.phoneMasked ?? '未绑定'}</Descriptions.Item>
        <Descriptions.Item label="等级">{m.tierName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="可用积分">{m.points.toLocaleString('zh-CN')}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
