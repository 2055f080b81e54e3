import {
  Alert,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  message as toast,
} from 'antd';
import { formatYuan, mallItemInput, routes } from '@huoyue/shared';
import { useState } from 'react';
import { call, message } from '../api';
import { Loadable, useLoad } from '../components/Loadable';
import { useTierNames } from '../components/tiers';
import { useSchemaSubmit } from '../components/useSchemaSubmit';

const KINDS = { coupon: '优惠券', physical: '实物', virtual: '虚拟' } as const;

interface Values {
  name: string;
  kind: keyof typeof KINDS;
  couponTemplateId?: number;
  pointsPrice: number;
  cashYuan?: number;
  stock: number;
  perMemberLimit: number;
  memberDayOnly: boolean;
}

export function MallPage() {
  const items = useLoad(() => call(routes.mall.listItems));
  const tierNames = useTierNames();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  const { error, submit: send } = useSchemaSubmit(
    mallItemInput,
    (body) => call(routes.mall.createItem, { body }),
    () => {
      setOpen(false);
      form.resetFields();
      items.reload();
    },
  );
  const submit = (v: Values) =>
    send({
      name: v.name,
      kind: v.kind,
      couponTemplateId: v.kind === 'coupon' ? (v.couponTemplateId ?? null) : null,
      pointsPrice: v.pointsPrice,
      cashPrice: Math.round((v.cashYuan ?? 0) * 100),
      stock: v.stock,
      perMemberLimit: v.perMemberLimit,
      memberDayOnly: v.memberDayOnly,
    });
  const restock = async (id: number, delta: number) => {
    try {
      await call(routes.mall.updateItem, { params: { id }, body: { stockDelta: delta } });
      items.reload();
    } catch (err) {
      toast.error(message(err));
    }
  };
  return (
    <Card
      title="积分商城"
      extra={
        <Button type="primary" onClick={() => setOpen(true)}>
          新建商品
        </Button>
      }
    >
      <Loadable state={items} empty={(d) => d.items.length === 0}>
        {(data) => (
          <Table
            rowKey="id"
            dataSource={data.items}
            pagination={false}
            columns={[
              { title: '商品', dataIndex: 'name' },
              { title: '类型', render: (_: unknown, i) => KINDS[i.kind] },
              {
                title: '价格',
                render: (_: unknown, i) =>
                  `${i.pointsPrice} 积分${i.cashPrice > 0 ? ` + ${formatYuan(i.cashPrice)}` : ''}`,
              },
              { title: '库存', dataIndex: 'stock' },
              {
                title: '限制',
                render: (_: unknown, i) => (
                  <>
                    {i.memberDayOnly && <Tag color="orange">会员日专享</Tag>}
                    {i.tiers.length > 0 && <Tag>{tierNames(i.tiers)}</Tag>}
                  </>
                ),
              },
              {
                title: '补货',
                render: (_: unknown, i) => (
                  <Space>
                    <Button size="small" onClick={() => restock(i.id, 10)}>
                      +10
                    </Button>
                    <Button size="small" onClick={() => restock(i.id, 100)}>
                      +100
                    </Button>
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Loadable>
      <Modal
        title="新建商品"
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
          initialValues={{
            kind: 'physical',
            pointsPrice: 100,
            stock: 10,
            perMemberLimit: 1,
            memberDayOnly: false,
          }}
        >
          <Form.Item label="名称" name="name" rules={[{ required: true, message: '请输入名称' }]}>
            <Input />
          </Form.Item>
          <Form.Item label="类型" name="kind">
            <Select options={Object.entries(KINDS).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          {kind === 'coupon' && (
            <Form.Item label="兑换出的优惠券模板 ID" name="couponTemplateId">
              <InputNumber min={1} />
            </Form.Item>
          )}
          <Form.Item label="积分价格" name="pointsPrice">
            <InputNumber min={0} />
          </Form.Item>
          <Form.Item label="加价（元，积分 + 现金）" name="cashYuan">
            <InputNumber min={0} />
          </Form.Item>
          <Form.Item label="库存" name="stock">
            <InputNumber min={0} />
          </Form.Item>
          <Form.Item label="每人限兑" name="perMemberLimit">
            <InputNumber min={1} />
          </Form.Item>
          <Form.Item label="仅会员日可兑" name="memberDayOnly" valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
