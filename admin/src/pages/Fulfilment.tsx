import { Button, Card, Input, Modal, Select, Space, Table, Tag, message as toast } from 'antd';
import { CASH_REFUND_STATUS_LABELS, REDEMPTION_STATUSES, routes } from '@huoyue/shared';
import { useState } from 'react';
import { call, message } from '../api';
import { downloadCsv } from '../components/csv';
import { Loadable, useLoad } from '../components/Loadable';
import { useBrandTime } from '../session';

const STATUS: Record<(typeof REDEMPTION_STATUSES)[number], string> = {
  pending_payment: '待支付',
  pending_shipment: '待发货',
  shipped: '已发货',
  delivered: '已签收',
  completed: '已完成',
  cancelled: '已取消',
};

const REFUND_COLOR = {
  processing: 'processing',
  success: 'success',
  abnormal: 'error',
  closed: 'default',
} as const;

/** Redemptions waiting to ship: the address, then a tracking number; delivered; cancelled (points and stock back). */
export function FulfilmentPage() {
  const time = useBrandTime();
  const [status, setStatus] = useState<(typeof REDEMPTION_STATUSES)[number]>('pending_shipment');
  const list = useLoad(() => call(routes.mall.redemptions, { query: { status } }), [status]);
  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      toast.success(done);
      list.reload();
    } catch (err) {
      toast.error(message(err));
    }
  };
  const ship = (id: number) => {
    let tracking = '';
    Modal.confirm({
      title: '填写快递单号',
      content: (
        <Input placeholder="如 SF1234567890" onChange={(e) => (tracking = e.target.value)} />
      ),
      okText: '发货',
      cancelText: '取消',
      onOk: () =>
        act(
          () => call(routes.mall.ship, { params: { id }, body: { trackingNo: tracking.trim() } }),
          '已发货',
        ),
    });
  };
  const cancel = (id: number) =>
    Modal.confirm({
      title: '确定取消这笔兑换吗？',
      content: '积分和库存会退回，操作会记入日志。',
      okText: '取消兑换',
      cancelText: '再想想',
      okButtonProps: { danger: true },
      onOk: () =>
        act(
          () => call(routes.mall.cancel, { params: { id }, body: { reason: '后台取消' } }),
          '已取消',
        ),
    });
  return (
    <Card
      title="兑换发货"
      extra={
        <Space>
          <Select
            value={status}
            onChange={setStatus}
            style={{ width: 140 }}
            options={REDEMPTION_STATUSES.map((s) => ({ value: s, label: STATUS[s] }))}
          />
          <Button
            disabled={!list.data?.items.length}
            onClick={() =>
              downloadCsv(
                '兑换订单.csv',
                ['时间', '商品', '数量', '会员 ID', '收货人', '电话', '地址', '状态', '快递单号'],
                (list.data?.items ?? []).map((r) => [
                  time(r.createdAt),
                  r.itemName,
                  r.quantity,
                  r.memberId,
                  r.address?.name,
                  r.address?.phone,
                  r.address?.address,
                  STATUS[r.status],
                  r.trackingNo,
                ]),
              )
            }
          >
            导出 CSV
          </Button>
        </Space>
      }
    >
      <Loadable state={list} empty={(d) => d.items.length === 0}>
        {(page) => (
          <Table
            rowKey="redemptionId"
            dataSource={page.items}
            pagination={false}
            columns={[
              {
                title: '时间',
                render: (_: unknown, r) => new Date(r.createdAt).toLocaleString('zh-CN'),
              },
              { title: '商品', render: (_: unknown, r) => `${r.itemName} × ${r.quantity}` },
              { title: '会员 ID', dataIndex: 'memberId' },
              {
                title: '收货信息',
                render: (_: unknown, r) =>
                  r.address ? `${r.address.name} ${r.address.phone} ${r.address.address}` : '—',
              },
              {
                title: '状态',
                render: (_: unknown, r) => (
                  <Space size={4} wrap>
                    <Tag>{STATUS[r.status]}</Tag>
                    {r.cashRefundStatus && (
                      <Tag color={REFUND_COLOR[r.cashRefundStatus]}>
                        {CASH_REFUND_STATUS_LABELS[r.cashRefundStatus]}
                      </Tag>
                    )}
                  </Space>
                ),
              },
              { title: '快递单号', render: (_: unknown, r) => r.trackingNo ?? '—' },
              {
                title: '操作',
                render: (_: unknown, r) => (
                  <Space>
                    {r.status === 'pending_shipment' && (
                      <Button size="small" type="primary" onClick={() => ship(r.redemptionId)}>
                        发货
                      </Button>
                    )}
                    {r.status === 'shipped' && (
                      <Button
                        size="small"
                        onClick={() =>
                          act(
                            () => call(routes.mall.deliver, { params: { id: r.redemptionId } }),
                            '已签收',
                          )
                        }
                      >
                        确认签收
                      </Button>
                    )}
                    {r.status !== 'cancelled' && (
                      <Button size="small" danger onClick={() => cancel(r.redemptionId)}>
                        取消
                      </Button>
                    )}
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Loadable>
    </Card>
  );
}
