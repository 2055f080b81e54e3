import { Alert, Button, Card, Form, Input, InputNumber, Modal, Select, Table, Tag } from 'antd';
import { couponTemplateInput, discountLabel, formatYuan, routes } from '@huoyue/shared';
import { useState } from 'react';
import { call } from '../api';
import { useSchemaSubmit } from '../components/useSchemaSubmit';
import { Loadable, useLoad } from '../components/Loadable';

const KINDS = { cash: '满减券', percent: '折扣券', gift: '礼品券', shipping: '包邮券' } as const;

interface Values {
  name: string;
  kind: keyof typeof KINDS;
  valueYuan?: number;
  percent?: number;
  thresholdYuan?: number;
  giftName?: string;
  days: number;
  totalQuantity?: number;
  perMemberLimit: number;
}

export function CouponsPage() {
  const list = useLoad(() => call(routes.coupons.listTemplates));
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  const { error, submit: send } = useSchemaSubmit(
    couponTemplateInput,
    (body) => call(routes.coupons.createTemplate, { body }),
    () => {
      setOpen(false);
      form.resetFields();
      list.reload();
    },
  );
  const submit = (v: Values) =>
    send({
      name: v.name,
      kind: v.kind,
      value: couponValue(v),
      threshold: Math.round((v.thresholdYuan ?? 0) * 100),
      giftName: v.kind === 'gift' ? (v.giftName ?? null) : null,
      validity: { kind: 'days' as const, days: v.days },
      totalQuantity: v.totalQuantity ?? null,
      perMemberLimit: v.perMemberLimit,
    });
  return (
    <Card
      title="优惠券"
      extra={
        <Button type="primary" onClick={() => setOpen(true)}>
          新建优惠券
        </Button>
      }
    >
      <Loadable state={list} empty={(d) => d.items.length === 0}>
        {(data) => (
          <Table
            rowKey="id"
            dataSource={data.items}
            pagination={false}
            columns={[
              { title: '名称', dataIndex: 'name' },
              { title: '类型', render: (_: unknown, t) => KINDS[t.kind] },
              {
                title: '面额',
                render: (_: unknown, t) => faceLabel(t),
              },
              {
                title: '已发 / 总量',
                render: (_: unknown, t) => `${t.issued} / ${t.totalQuantity ?? '不限'}`,
              },
              {
                title: '有效期',
                render: (_: unknown, t) =>
                  t.validity.kind === 'days'
                    ? `领取后 ${t.validity.days} 天`
                    : `${t.validity.from.slice(0, 10)} 至 ${t.validity.to.slice(0, 10)}`,
              },
              {
                title: '状态',
                render: (_: unknown, t) =>
                  t.active ? <Tag color="green">可领取</Tag> : <Tag>已停用</Tag>,
              },
            ]}
          />
        )}
      </Loadable>
      <Modal
        title="新建优惠券"
        open={open}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okText="保存"
        cancelText="取消"
        destroyOnHidden
      >
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{ kind: 'cash', days: 30, perMemberLimit: 1 }}
        >
          <Form.Item label="名称" name="name" rules={[{ required: true, message: '请输入名称' }]}>
            <Input />
          </Form.Item>
          <Form.Item label="类型" name="kind">
            <Select options={Object.entries(KINDS).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          {kind === 'cash' && (
            <Form.Item label="减免金额（元）" name="valueYuan">
              <InputNumber min={0} />
            </Form.Item>
          )}
          {kind === 'percent' && (
            <Form.Item label="减免百分比（如 20 即 8 折）" name="percent">
              <InputNumber min={1} max={99} />
            </Form.Item>
          )}
          {kind === 'gift' && (
            <Form.Item label="礼品名称" name="giftName">
              <Input />
            </Form.Item>
          )}
          <Form.Item label="使用门槛（元，0 为无门槛）" name="thresholdYuan">
            <InputNumber min={0} />
          </Form.Item>
          <Form.Item label="领取后有效天数" name="days">
            <InputNumber min={1} max={3650} />
          </Form.Item>
          <Form.Item label="发放总量（留空不限）" name="totalQuantity">
            <InputNumber min={1} />
          </Form.Item>
          <Form.Item label="每人限领" name="perMemberLimit">
            <InputNumber min={1} max={1000} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

/** What the server stores as the coupon's value: fen off for cash, percent off for a discount, nothing for a gift. */
function couponValue(v: Values): number {
  if (v.kind === 'cash') return Math.round((v.valueYuan ?? 0) * 100);
  if (v.kind === 'percent') return v.percent ?? 0;
  return 0;
}

function faceLabel(t: {
  kind: string;
  threshold: number;
  value: number;
  giftName?: string | null;
}): string {
  if (t.kind === 'cash') return `满${formatYuan(t.threshold)}减${formatYuan(t.value)}`;
  if (t.kind === 'percent') return discountLabel(t.value);
  return t.giftName ?? '—';
}
