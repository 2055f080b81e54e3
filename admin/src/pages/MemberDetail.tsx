import {
  Alert,
  Button,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
  message as toast,
} from 'antd';
import {
  adjustBody,
  ENGAGEMENT_TYPE_LABELS,
  LEDGER_SOURCE_LABELS,
  LEDGER_TYPE_LABELS,
  LIFECYCLE_STAGE_LABELS,
  MEMBER_SOURCE_LABELS,
  MEMBER_STATUS_LABELS,
  RFM_SEGMENT_LABELS,
  routes,
  type RouteOutput,
} from '@huoyue/shared';
import { useState } from 'react';
import { call, message } from '../api';
import { confirmAsync } from '../components/confirm';
import { RecordPurchase } from '../components/RecordPurchase';
import { Loadable, useLoad } from '../components/Loadable';
import { useBrandTime, useStaffSession } from '../session';

type Member = RouteOutput<typeof routes.members.adminDetail>;
type LedgerEntry = RouteOutput<typeof routes.points.memberLedger>['items'][number];

const n = (v: number) => v.toLocaleString('zh-CN');

/** One member in the drawer: profile, lifecycle, the manual adjustment, the ledger, coupons and badges. */
export function MemberDetail({ id, onChanged }: { id: number; onChanged?: () => void }) {
  const time = useBrandTime();
  const detail = useLoad(() => call(routes.members.adminDetail, { params: { id } }), [id]);
  const [ledgerVersion, setLedgerVersion] = useState(0);
  return (
    <Loadable state={detail}>
      {(m) => (
        <>
          <Descriptions column={2} size="small" bordered>
            <Descriptions.Item label="昵称">{m.nickname ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="卡号">{m.cardNo ?? '未开卡'}</Descriptions.Item>
            <Descriptions.Item label="手机号">{m.phoneMasked ?? '未绑定'}</Descriptions.Item>
            <Descriptions.Item label="生日">{m.birthday ?? '未填写'}</Descriptions.Item>
            <Descriptions.Item label="会员等级">{m.tier?.name ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="成长值">{n(m.growth)}</Descriptions.Item>
            <Descriptions.Item label="积分">{n(m.points)}</Descriptions.Item>
            <Descriptions.Item label="归属门店">{m.homeStore?.name ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="入会时间">{time(m.joinedAt)}</Descriptions.Item>
            <Descriptions.Item label="首次访问">{time(m.firstSeenAt)}</Descriptions.Item>
            <Descriptions.Item label="状态">{MEMBER_STATUS_LABELS[m.status]}</Descriptions.Item>
            <Descriptions.Item label="来源">{MEMBER_SOURCE_LABELS[m.source]}</Descriptions.Item>
            <Descriptions.Item label="阶段">
              {LIFECYCLE_STAGE_LABELS[m.stage]}
              {m.lowFrequency ? '（低频）' : ''}
            </Descriptions.Item>
            <Descriptions.Item label="RFM">
              {m.rfm
                ? `R${m.rfm.r} F${m.rfm.f} M${m.rfm.m} · ${RFM_SEGMENT_LABELS[m.rfm.segment]}`
                : '—'}
            </Descriptions.Item>
            <Descriptions.Item label="消费天数">{m.purchaseDays}</Descriptions.Item>
            <Descriptions.Item label="仍活跃概率">
              {m.pAlive === null ? '—' : `${(m.pAlive * 100).toFixed(0)}%`}
            </Descriptions.Item>
            <Descriptions.Item label="预计 90 天购买">
              {m.expectedPurchases90d?.toFixed(2) ?? '—'}
            </Descriptions.Item>
            <Descriptions.Item label="流失预警日">
              {m.driftDate ?? '—'}
              {m.atRisk ? (
                <Tag color="red" style={{ marginLeft: 8 }}>
                  已预警
                </Tag>
              ) : null}
            </Descriptions.Item>
          </Descriptions>
          {m.status === 'member' && (
            <>
              <h4 style={{ marginTop: 24 }}>补录消费</h4>
              <RecordPurchase
                memberId={id}
                onDone={() => {
                  detail.reload();
                  setLedgerVersion((v) => v + 1);
                  onChanged?.();
                }}
              />
            </>
          )}
          {m.status === 'member' && (
            <AdjustPoints
              member={m}
              onDone={() => {
                detail.reload();
                setLedgerVersion((v) => v + 1);
                onChanged?.();
              }}
            />
          )}
          <h4 style={{ marginTop: 24 }}>阶段变化</h4>
          {m.stageHistory.length === 0 ? (
            <Typography.Text type="secondary">暂无阶段变化</Typography.Text>
          ) : (
            <Timeline
              items={m.stageHistory.map((h) => ({
                children: `${h.day} ${LIFECYCLE_STAGE_LABELS[h.from]} → ${LIFECYCLE_STAGE_LABELS[h.to]}`,
              }))}
            />
          )}
          <h4>最近动态</h4>
          {m.recentEvents.length === 0 ? (
            <Typography.Text type="secondary">暂无动态</Typography.Text>
          ) : (
            <Timeline
              items={m.recentEvents.map((e) => ({
                children: `${time(e.occurredAt)} ${ENGAGEMENT_TYPE_LABELS[e.type] ?? '其他互动'}`,
              }))}
            />
          )}
          <h4>积分明细</h4>
          <Ledger id={id} version={ledgerVersion} />
          <h4 style={{ marginTop: 24 }}>优惠券与勋章</h4>
          <CouponsAndBadges id={id} />
        </>
      )}
    </Loadable>
  );
}

/**
 * Manual adjustment: whole numbers only, a confirmation naming the member and the amount, the brand's limit per
 * adjustment (operators stop there; owners may go beyond after a second confirmation); cleared after success.
 */
function AdjustPoints({ member, onDone }: { member: Member; onDone: () => void }) {
  const me = useStaffSession();
  const rules = useLoad(() => call(routes.points.getRules));
  const limit = rules.data?.adjustLimit;
  const [form] = Form.useForm<{ points: number; reason: string }>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async ({ points, reason }: { points: number; reason: string }) => {
    setError(null);
    const amount = Math.abs(points);
    const over = limit !== undefined && amount > limit;
    if (over && me.role !== 'owner')
      return setError(
        `单次调整不能超过 ${n(limit)} 积分（品牌设置的积分单次调整上限），请联系店长处理`,
      );
    const who = `${member.nickname ?? '会员'}（卡号 ${member.cardNo ?? '—'}）`;
    const verb = points > 0 ? '增加' : '扣减';
    const ok = await confirmAsync({
      title: '确认调整积分',
      content: (
        <div data-testid="adjust-confirm">
          为 {who}{' '}
          <b>
            {verb} {n(amount)} 积分
          </b>
          <div>原因：{reason}</div>
          <div>
            当前余额 {n(member.points)}，调整后 {n(member.points + points)}
          </div>
        </div>
      ),
      okText: `确认${verb}`,
    });
    if (!ok) return;
    if (over) {
      const again = await confirmAsync({
        title: '超出单次调整上限，请再次确认',
        content: `本次${verb} ${n(amount)} 积分，超过品牌设置的单次上限 ${n(limit)} 积分。店长可以继续，此次调整会在操作日志中标注“超出单次上限”。`,
        okText: '我已核实，继续调整',
        danger: true,
      });
      if (!again) return;
    }
    setBusy(true);
    try {
      await call(routes.points.adjust, {
        params: { id: member.id },
        body: {
          points,
          reason,
          requestId: crypto.randomUUID(),
          ...(over ? { confirmOverLimit: true } : {}),
        },
      });
      toast.success(`已为 ${member.nickname ?? '会员'} ${verb} ${n(amount)} 积分`);
      form.resetFields();
      onDone();
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <h4 style={{ marginTop: 24 }}>手动调整积分</h4>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="inline" onFinish={submit}>
        <Form.Item
          name="points"
          rules={[
            {
              validator: async (_, value: unknown) => {
                if (value === undefined || value === null) throw new Error('请填写积分调整数量');
                const checked = adjustBody.shape.points.safeParse(value);
                if (!checked.success) throw new Error(checked.error.issues[0]!.message);
              },
            },
          ]}
        >
          <InputNumber
            aria-label="积分调整数量"
            placeholder="正数增加，负数扣减"
            style={{ width: 180 }}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          rules={[
            { required: true, message: '请填写调整原因' },
            { min: 2, message: '调整原因至少 2 个字' },
          ]}
        >
          <Input
            aria-label="调整原因"
            placeholder="原因（必填，会记入操作日志）"
            style={{ width: 240 }}
          />
        </Form.Item>
        <Button htmlType="submit" loading={busy}>
          调整积分
        </Button>
      </Form>
      {limit !== undefined && (
        <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
          积分单次调整上限 {n(limit)}
          {me.role === 'owner' ? '，店长超出上限需再次确认' : '，超出请联系店长'}
        </Typography.Text>
      )}
    </>
  );
}

function Ledger({ id, version }: { id: number; version: number }) {
  const time = useBrandTime();
  const [extra, setExtra] = useState<{ items: LedgerEntry[]; cursor: string | null } | null>(null);
  const ledger = useLoad(async () => {
    setExtra(null);
    return call(routes.points.memberLedger, { params: { id }, query: { limit: 20 } });
  }, [id, version]);
  const more = async (cursor: string) => {
    const page = await call(routes.points.memberLedger, {
      params: { id },
      query: { limit: 20, cursor },
    });
    setExtra((e) => ({ items: [...(e?.items ?? []), ...page.items], cursor: page.nextCursor }));
  };
  return (
    <Loadable state={ledger}>
      {(page) => {
        const items = [...page.items, ...(extra?.items ?? [])];
        const cursor = extra ? extra.cursor : page.nextCursor;
        return (
          <>
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={items}
              locale={{ emptyText: '暂无积分记录' }}
              data-testid="member-ledger"
              columns={[
                { title: '时间', render: (_: unknown, e) => time(e.at) },
                { title: '类型', render: (_: unknown, e) => LEDGER_TYPE_LABELS[e.type] },
                {
                  title: '来源',
                  render: (_: unknown, e) => LEDGER_SOURCE_LABELS[e.sourceType] ?? '其他',
                },
                {
                  title: '积分',
                  render: (_: unknown, e) => (
                    <span style={{ color: e.points < 0 ? '#cf1322' : '#389e0d' }}>
                      {e.points > 0 ? `+${n(e.points)}` : n(e.points)}
                    </span>
                  ),
                },
                { title: '余额', render: (_: unknown, e) => n(e.balanceAfter) },
                { title: '说明', render: (_: unknown, e) => e.reason ?? '—' },
              ]}
            />
            {cursor && (
              <Button size="small" style={{ marginTop: 8 }} onClick={() => more(cursor)}>
                加载更多
              </Button>
            )}
          </>
        );
      }}
    </Loadable>
  );
}

function CouponsAndBadges({ id }: { id: number }) {
  const data = useLoad(
    async () => ({
      coupons: (await call(routes.coupons.memberCoupons, { params: { id }, query: {} })).items,
      badges: await call(routes.engagement.memberBadges, { params: { id } }),
    }),
    [id],
  );
  return (
    <Loadable state={data}>
      {(d) => (
        <Space direction="vertical">
          <div>
            可用优惠券：
            {d.coupons.length === 0
              ? '无'
              : d.coupons.map((c) => (
                  <Tag key={c.id}>
                    {c.name}（至 {c.validTo.slice(0, 10)}）
                  </Tag>
                ))}
          </div>
          <div>
            已获勋章：
            {d.badges.earned.length === 0
              ? '无'
              : d.badges.earned.map((b) => (
                  <Tag color="gold" key={b.code}>
                    {b.name}
                    {b.levels > 1 ? ` ${b.level} 级` : ''}
                  </Tag>
                ))}
          </div>
        </Space>
      )}
    </Loadable>
  );
}
