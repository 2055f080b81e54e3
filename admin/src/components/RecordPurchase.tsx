import {
  Button,
  DatePicker,
  Form,
  InputNumber,
  Modal,
  Select,
  Space,
  message as toast,
} from 'antd';
import { routes } from '@huoyue/shared';
import { useState } from 'react';
import { call, message } from '../api';
import { useLoad } from './Loadable';

interface Values {
  amountYuan: number;
  day?: { format: (f: string) => string } | null;
  storeCode?: string;
}

const yuan = (v: number) =>
  v.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * 补录消费: a purchase the member made in a store without the POS sending it (or before the brand joined), entered
 * by staff in yuan with its date and store. It goes through the same order path as the POS (points, growth, tier,
 * lifecycle), after a confirmation; the order number is made here so staff never type one.
 */
export function RecordPurchase({ memberId, onDone }: { memberId: number; onDone: () => void }) {
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const stores = useLoad(() => call(routes.staff.listStores));
  const today = new Date().toLocaleDateString('sv-SE');
  const record = async (v: Values) => {
    const day = v.day?.format('YYYY-MM-DD');
    // A past day's purchase is placed at noon of that day; today's at this moment.
    const paidAt = day && day !== today ? new Date(`${day}T12:00:00`) : new Date();
    setBusy(true);
    try {
      const order = await call(routes.points.createOrder, {
        body: {
          orderNo: `M${memberId}-${Date.now().toString(36)}`,
          member: { id: memberId },
          amount: Math.round(v.amountYuan * 100),
          paidAt: paidAt.toISOString(),
          ...(v.storeCode ? { storeCode: v.storeCode } : {}),
        },
      });
      toast.success(
        `已补录消费 ¥${yuan(v.amountYuan)}，获得 ${order.points.toLocaleString('zh-CN')} 积分、${order.growth.toLocaleString('zh-CN')} 成长值`,
      );
      form.resetFields();
      onDone();
    } catch (err) {
      toast.error(message(err));
    } finally {
      setBusy(false);
    }
  };
  const confirm = (v: Values) =>
    Modal.confirm({
      title: `补录一笔 ¥${yuan(v.amountYuan)} 的消费？`,
      content: `消费日期 ${v.day?.format('YYYY-MM-DD') ?? '今天'}。会按积分规则发放积分和成长值，并记入操作日志。`,
      okText: '补录',
      cancelText: '取消',
      onOk: () => record(v),
    });
  return (
    <Form form={form} layout="inline" onFinish={confirm} aria-label="补录消费">
      <Space wrap>
        <Form.Item
          name="amountYuan"
          rules={[{ required: true, message: '请输入消费金额' }]}
          style={{ marginRight: 0 }}
        >
          <InputNumber
            placeholder="消费金额"
            min={0}
            max={1_000_000}
            precision={2}
            addonAfter="元"
            style={{ width: 180 }}
          />
        </Form.Item>
        <Form.Item name="day" style={{ marginRight: 0 }}>
          <DatePicker
            placeholder="消费日期（默认今天）"
            style={{ width: 200 }}
            disabledDate={(d: { format: (f: string) => string }) => d.format('YYYY-MM-DD') > today}
          />
        </Form.Item>
        <Form.Item name="storeCode" style={{ marginRight: 0 }}>
          <Select
            placeholder="门店（可不选）"
            allowClear
            style={{ width: 180 }}
            loading={stores.loading}
            notFoundContent="还没有门店"
            options={(stores.data?.items ?? []).map((s) => ({ value: s.code, label: s.name }))}
          />
        </Form.Item>
        <Button htmlType="submit" loading={busy}>
          补录消费
        </Button>
      </Space>
    </Form>
  );
}
