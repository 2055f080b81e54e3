import {
  Alert,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Table,
  Tag,
  message as toast,
} from 'antd';
import { BADGE_METRICS, badgeInput, routes } from '@huoyue/shared';
import { useState } from 'react';
import { call, message } from '../api';
import { Loadable, useLoad } from '../components/Loadable';
import { useSchemaSubmit } from '../components/useSchemaSubmit';

const METRICS: Record<(typeof BADGE_METRICS)[number], string> = {
  checkins: '累计签到天数',
  streak: '最长连续签到',
  purchases: '消费次数',
  spend: '累计消费（分）',
  redemptions: '积分兑换次数',
  coupons_used: '用券次数',
  anniversary: '入会周年',
  tier_rank: '等级',
  member_days: '参加会员日次数',
};

interface Values {
  code: string;
  name: string;
  metric: (typeof BADGE_METRICS)[number];
  thresholds: string;
  rewardPoints: number;
  description?: string;
}

export function BadgesPage() {
  const list = useLoad(() => call(routes.engagement.listBadges));
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();
  const { error, submit: send } = useSchemaSubmit(
    badgeInput,
    (body) => call(routes.engagement.createBadge, { body }),
    () => {
      setOpen(false);
      form.resetFields();
      list.reload();
    },
  );
  const submit = (v: Values) =>
    send({
      code: v.code,
      name: v.name,
      description: v.description ?? '',
      rewardPoints: v.rewardPoints,
      rule: {
        metric: v.metric,
        thresholds: v.thresholds
          .split(/[,，\s]+/)
          .filter(Boolean)
          .map(Number),
      },
    });
  const backfill = (code: string) =>
    Modal.confirm({
      title: '补发这枚勋章？',
      content: '所有已经达到条件的会员都会获得它（以及勋章奖励的积分），操作会记入日志。',
      okText: '补发',
      cancelText: '取消',
      onOk: async () => {
        try {
          const { awarded } = await call(routes.engagement.backfillBadge, { params: { code } });
          toast.success(`已补发给 ${awarded} 位会员`);
        } catch (err) {
          toast.error(message(err));
        }
      },
    });
  return (
    <Card
      title="勋章"
      extra={
        <Button type="primary" onClick={() => setOpen(true)}>
          新建勋章
        </Button>
      }
    >
      <Loadable state={list} empty={(d) => d.items.length === 0}>
        {(data) => (
          <Table
            rowKey="code"
            dataSource={data.items}
            pagination={false}
            columns={[
              { title: '勋章', dataIndex: 'name' },
              {
                title: '条件',
                render: (_: unknown, b) =>
                  `${METRICS[b.rule.metric]} ≥ ${b.rule.thresholds.join(' / ')}`,
              },
              { title: '奖励积分', dataIndex: 'rewardPoints' },
              {
                title: '状态',
                render: (_: unknown, b) =>
                  b.active ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>,
              },
              {
                title: '',
                render: (_: unknown, b) => (
                  <Button size="small" onClick={() => backfill(b.code)}>
                    补发
                  </Button>
                ),
              },
            ]}
          />
        )}
      </Loadable>
      <Modal
        title="新建勋章"
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
          initialValues={{ metric: 'checkins', thresholds: '7, 30, 100', rewardPoints: 0 }}
        >
          <Form.Item label="编码" name="code" rules={[{ required: true, message: '请输入编码' }]}>
            <Input placeholder="checkin_master" />
          </Form.Item>
          <Form.Item label="名称" name="name" rules={[{ required: true, message: '请输入名称' }]}>
            <Input />
          </Form.Item>
          <Form.Item label="条件" name="metric">
            <Select options={Object.entries(METRICS).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item label="门槛（逐级升高，逗号分隔）" name="thresholds">
            <Input />
          </Form.Item>
          <Form.Item label="奖励积分" name="rewardPoints">
            <InputNumber min={0} />
          </Form.Item>
          <Form.Item label="说明" name="description">
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
