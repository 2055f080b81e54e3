import { Button, Form, InputNumber, message as toast, Select, Space } from 'antd';
import { routes } from '@huoyue/shared';
import { useState } from 'react';
import { call, message } from '../api';
import { useLoad } from './Loadable';

/**
 * 补录消费: a purchase made at a till that is not connected (or before the member showed their card), recorded
 * through the same order path as the POS: points, growth, tier, badges and lifecycle follow. Amounts in yuan.
 */
export function RecordPurchase({ memberId, onDone }: { memberId: number; onDone: () => void }) {
  const stores = useLoad(() => call(routes.staff.listStores));
  const [form] = Form.useForm<{ yuan: number | null; storeCode?: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async (v: { yuan: number | null; storeCode?: string }) => {
    setBusy(true);
    try {
      const order = await call(routes.points.createOrder, {
        body: {
          orderNo: `CONSOLE-${crypto.randomUUID()}`,
          member: { id: memberId },
          amount: Math.round((v.yuan ?? 0) * 100),
          paidAt: new Date().toISOString(),
          ...(v.storeCode ? { storeCode: v.storeCode } : {}),
        },
      });
      toast.success(`消费已录入，获得 ${order.points.toLocaleString('zh-CN')} 积分`);
      form.resetFields();
      onDone();
    } catch (err) {
      toast.error(message(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form form={form} layout="inline" onFinish={submit}>
      <Space wrap>
        <Form.Item name="yuan" rules={[{ required: true, message: '请输入消费金额' }]}>
          <InputNumber
            aria-label="消费金额（元）"
            placeholder="消费金额（元）"
            min={0}
            max={1_000_000}
            precision={2}
            style={{ width: 180 }}
          />
        </Form.Item>
        <Form.Item name="storeCode">
          <Select
            aria-label="门店"
            placeholder="门店（选填）"
            allowClear
            style={{ width: 200 }}
            options={(stores.data?.items ?? []).map((s) => ({ value: s.code, label: s.name }))}
          />
        </Form.Item>
        <Button htmlType="submit" loading={busy}>
          录入消费
        </Button>
      </Space>
    </Form>
  );
}
