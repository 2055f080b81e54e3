import {
  Button,
  Card,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Space,
  Table,
  Tag,
  Timeline,
  message as toast,
} from 'antd';
import { LIFECYCLE_STAGE_LABELS, RFM_SEGMENT_LABELS, routes } from '@huoyue/shared';
import { useState } from 'react';
import { call, message } from '../api';
import { downloadCsv } from '../components/csv';
import { Loadable, useLoad } from '../components/Loadable';
import { RecordPurchase } from '../components/RecordPurchase';

export function MembersPage() {
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState<number | null>(null);
  const list = useLoad(
    () => call(routes.members.adminSearch, { query: { query: query || undefined, limit: 50 } }),
    [query],
  );
  return (
    <Card title="会员">
      <Space style={{ marginBottom: 16 }}>
        <Input.Search
          placeholder="卡号、手机号或昵称"
          allowClear
          enterButton="搜索"
          onSearch={setQuery}
          style={{ width: 420 }}
        />
        <Button
          disabled={!list.data?.items.length}
          onClick={() =>
            downloadCsv(
              'members.csv',
              ['卡号', '昵称', '手机', '等级', '阶段', '入会时间'],
              (list.data?.items ?? []).map((m) => [
                m.cardNo,
                m.nickname,
                m.phoneMasked,
                m.tier?.name,
                LIFECYCLE_STAGE_LABELS[m.stage],
                m.joinedAt,
              ]),
            )
          }
        >
          导出 CSV
        </Button>
      </Space>
      <Loadable state={list} empty={(d) => d.items.length === 0}>
        {(page) => (
          <Table
            rowKey="id"
            dataSource={page.items}
            pagination={false}
            onRow={(m) => ({ onClick: () => setOpen(m.id) })}
            columns={[
              { title: '卡号', dataIndex: 'cardNo' },
              { title: '昵称', dataIndex: 'nickname' },
              { title: '手机', dataIndex: 'phoneMasked' },
              { title: '等级', render: (_: unknown, m) => m.tier?.name ?? '—' },
              {
                title: '阶段',
                render: (_: unknown, m) => <Tag>{LIFECYCLE_STAGE_LABELS[m.stage]}</Tag>,
              },
            ]}
          />
        )}
      </Loadable>
      <Drawer
        open={open !== null}
        width={680}
        title="会员详情"
        onClose={() => setOpen(null)}
        destroyOnHidden
      >
        {open !== null && <MemberDetail id={open} />}
      </Drawer>
    </Card>
  );
}

const EVENT_LABELS: Record<string, string> = {
  app_open: '打开小程序',
  join: '开卡',
  checkin: '签到',
  purchase: '消费',
  refund: '退款',
  redemption: '积分兑换',
  coupon_claim: '领券',
  coupon_use: '用券',
  message_sent: '收到消息',
  message_opened: '打开消息',
};

function Ledger({ id }: { id: number }) {
  const ledger = useLoad(
    () => call(routes.points.memberLedger, { params: { id }, query: { limit: 50 } }),
    [id],
  );
  return (
    <Loadable state={ledger} empty={(d) => d.items.length === 0}>
      {(page) => (
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={page.items}
          columns={[
            { title: '时间', render: (_: unknown, e) => new Date(e.at).toLocaleString('zh-CN') },
            { title: '类型', dataIndex: 'type' },
            { title: '积分', dataIndex: 'points' },
            { title: '余额', dataIndex: 'balanceAfter' },
            { title: '说明', render: (_: unknown, e) => e.reason ?? e.sourceType },
          ]}
        />
      )}
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
        <>
          <div style={{ marginBottom: 8 }}>
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
                    {b.levels > 1 ? ` Lv${b.level}` : ''}
                  </Tag>
                ))}
          </div>
        </>
      )}
    </Loadable>
  );
}

function MemberDetail({ id }: { id: number }) {
  const detail = useLoad(() => call(routes.members.adminDetail, { params: { id } }), [id]);
  return (
    <Loadable state={detail}>
      {(m) => (
        <>
          <Descriptions column={2} size="small" bordered>
            <Descriptions.Item label="昵称">{m.nickname ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="卡号">{m.cardNo ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="阶段">
              {LIFECYCLE_STAGE_LABELS[m.stage]}
              {m.lowFrequency ? '（低频）' : ''}
            </Descriptions.Item>
            <Descriptions.Item label="积分">{m.points}</Descriptions.Item>
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
            <Descriptions.Item label="流失预警日" span={2}>
              {m.driftDate ?? '—'}
              {m.atRisk ? (
                <Tag color="red" style={{ marginLeft: 8 }}>
                  已预警
                </Tag>
              ) : null}
            </Descriptions.Item>
          </Descriptions>
          <h4 style={{ marginTop: 24 }}>手动调整积分</h4>
          <Form
            layout="inline"
            onFinish={async (v: { points: number; reason: string }) => {
              try {
                await call(routes.points.adjust, {
                  params: { id },
                  body: { points: v.points, reason: v.reason, requestId: crypto.randomUUID() },
                });
                toast.success('积分已调整');
                detail.reload();
              } catch (err) {
                toast.error(message(err));
              }
            }}
          >
            <Space>
              <Form.Item name="points" rules={[{ required: true, message: '请输入数量' }]}>
                <InputNumber placeholder="正数增加，负数扣减" style={{ width: 180 }} />
              </Form.Item>
              <Form.Item name="reason" rules={[{ required: true, min: 2, message: '请填写原因' }]}>
                <Input placeholder="原因（必填，会记入操作日志）" style={{ width: 220 }} />
              </Form.Item>
              <Button htmlType="submit">确认调整</Button>
            </Space>
          </Form>
          <h4 style={{ marginTop: 24 }}>补录消费</h4>
          <RecordPurchase memberId={id} onDone={detail.reload} />
          <h4 style={{ marginTop: 24 }}>阶段变化</h4>
          <Timeline
            items={m.stageHistory.map((h) => ({
              children: `${h.day} ${LIFECYCLE_STAGE_LABELS[h.from]} → ${LIFECYCLE_STAGE_LABELS[h.to]}`,
            }))}
          />
          <h4>最近动态</h4>
          <Timeline
            items={m.recentEvents.map((e) => ({
              children: `${new Date(e.occurredAt).toLocaleString('zh-CN')} ${EVENT_LABELS[e.type] ?? e.type}`,
            }))}
          />
          <h4>积分明细</h4>
          <Ledger id={id} />
          <h4 style={{ marginTop: 24 }}>优惠券与勋章</h4>
          <CouponsAndBadges id={id} />
        </>
      )}
    </Loadable>
  );
}
