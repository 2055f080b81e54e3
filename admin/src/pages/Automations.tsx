import {
  Alert,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Select,
  Table,
  Tag,
  message as toast,
} from 'antd';
import { useState } from 'react';
import {
  automationBody,
  LIFECYCLE_STAGE_LABELS,
  LIFECYCLE_STAGES,
  routes,
  type PLAYBOOK_CODES,
} from '@huoyue/shared';
import { call, message } from '../api';
import { Loadable, useLoad } from '../components/Loadable';
import { useSchemaSubmit } from '../components/useSchemaSubmit';

const percent = (v: number) => `${(v * 100).toFixed(1)}%`;

const TRIGGERS = {
  stage_changed: '进入某阶段',
  at_risk: '流失预警',
  points_expiring: '积分即将到期',
  coupon_expiring: '优惠券即将到期',
  birthday: '生日',
  joined_no_purchase: '开卡后未首购',
  streak_broken: '连续签到中断',
  member_day_started: '会员日开始',
} as const;

interface Values {
  name: string;
  trigger: keyof typeof TRIGGERS;
  to?: (typeof LIFECYCLE_STAGES)[number];
  days?: number;
  points?: number;
  couponTemplateId?: number;
  messageTemplateIds?: number[];
  controlPercent: number;
  conversionKind: 'purchase' | 'checkin';
  conversionDays: number;
}

function triggerOf(v: Values): unknown {
  switch (v.trigger) {
    case 'stage_changed':
      return { type: 'stage_changed', to: v.to ?? 'dormant' };
    case 'joined_no_purchase':
      return { type: 'joined_no_purchase', days: v.days ?? 7 };
    case 'points_expiring':
    case 'coupon_expiring':
      return { type: v.trigger, days: v.days ?? null };
    case 'streak_broken':
      return { type: 'streak_broken', minStreak: v.days ?? 3 };
    case 'member_day_started':
      return { type: 'member_day_started', memberDayId: null };
    default:
      return { type: v.trigger };
  }
}

function CreateAutomation({ onDone }: { onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();
  const trigger = Form.useWatch('trigger', form);
  const templates = useLoad(() => call(routes.messaging.listTemplates));
  const { error, submit: send } = useSchemaSubmit(
    automationBody,
    (body) => call(routes.campaigns.create, { body }),
    () => {
      setOpen(false);
      form.resetFields();
      onDone();
    },
  );
  const submit = (v: Values) =>
    send({
      name: v.name,
      trigger: triggerOf(v),
      actions: {
        points: v.points ?? 0,
        couponTemplateId: v.couponTemplateId ?? null,
        messageTemplateIds: v.messageTemplateIds ?? [],
      },
      controlPercent: v.controlPercent,
      conversion: { kind: v.conversionKind, days: v.conversionDays },
    });
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        新建自动化
      </Button>
      <Modal
        title="新建自动化（触发 → 条件 → 动作）"
        width={600}
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
            trigger: 'stage_changed',
            to: 'dormant',
            controlPercent: 10,
            conversionKind: 'purchase',
            conversionDays: 14,
          }}
        >
          <Form.Item label="名称" name="name" rules={[{ required: true, message: '请输入名称' }]}>
            <Input />
          </Form.Item>
          <Form.Item label="触发" name="trigger">
            <Select
              options={Object.entries(TRIGGERS).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
          {trigger === 'stage_changed' && (
            <Form.Item label="进入阶段" name="to">
              <Select
                options={LIFECYCLE_STAGES.map((s) => ({
                  value: s,
                  label: LIFECYCLE_STAGE_LABELS[s],
                }))}
              />
            </Form.Item>
          )}
          {(trigger === 'joined_no_purchase' ||
            trigger === 'points_expiring' ||
            trigger === 'coupon_expiring') && (
            <Form.Item label="天数" name="days">
              <InputNumber min={1} max={365} />
            </Form.Item>
          )}
          {trigger === 'streak_broken' && (
            <Form.Item label="至少连续签到天数" name="days">
              <InputNumber min={1} max={365} />
            </Form.Item>
          )}
          <Form.Item label="送积分" name="points">
            <InputNumber min={0} />
          </Form.Item>
          <Form.Item label="发券（优惠券模板 ID）" name="couponTemplateId">
            <InputNumber min={1} />
          </Form.Item>
          <Form.Item label="发消息（按顺序降级）" name="messageTemplateIds">
            <Select
              mode="multiple"
              options={(templates.data?.items ?? []).map((t) => ({ value: t.id, label: t.name }))}
            />
          </Form.Item>
          <Form.Item label="对照组比例（%）" name="controlPercent">
            <InputNumber min={0} max={50} />
          </Form.Item>
          <Form.Item label="转化" name="conversionKind">
            <Select
              options={[
                { value: 'purchase', label: '购买' },
                { value: 'checkin', label: '签到' },
              ]}
            />
          </Form.Item>
          <Form.Item label="转化窗口（天）" name="conversionDays">
            <InputNumber min={1} max={90} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

export function AutomationsPage() {
  const list = useLoad(async () => {
    const { items } = await call(routes.campaigns.list);
    return Promise.all(
      items.map(async (a) => ({
        ...a,
        report: await call(routes.campaigns.report, { params: { id: a.id } }),
      })),
    );
  });
  const playbooks = useLoad(() => call(routes.campaigns.playbooks));
  const install = async (code: (typeof PLAYBOOK_CODES)[number]) => {
    try {
      await call(routes.campaigns.installPlaybook, { params: { code }, body: {} });
      toast.success('已安装');
      list.reload();
      playbooks.reload();
    } catch (err) {
      toast.error(message(err));
    }
  };
  return (
    <>
      <Card
        title="自动化营销"
        style={{ marginBottom: 16 }}
        extra={<CreateAutomation onDone={list.reload} />}
      >
        <Loadable state={list} empty={(d) => d.length === 0}>
          {(items) => (
            <Table
              rowKey="id"
              dataSource={items}
              pagination={false}
              columns={[
                { title: '名称', dataIndex: 'name' },
                {
                  title: '状态',
                  render: (_: unknown, a) =>
                    a.active ? <Tag color="green">运行中</Tag> : <Tag>已停用</Tag>,
                },
                {
                  title: '进入（实验/对照）',
                  render: (_: unknown, a) =>
                    `${a.report.treatment.qualified} / ${a.report.control.qualified}`,
                },
                { title: '已发送', render: (_: unknown, a) => a.report.treatment.sent },
                { title: '打开', render: (_: unknown, a) => a.report.treatment.opened },
                {
                  title: '转化率（实验/对照）',
                  render: (_: unknown, a) =>
                    `${percent(a.report.treatment.conversionRate)} / ${percent(a.report.control.conversionRate)}`,
                },
                {
                  title: '提升（95% 区间）',
                  render: (_: unknown, a) =>
                    a.report.uplift
                      ? `${percent(a.report.uplift.absolute)}（${percent(a.report.uplift.low)} ~ ${percent(a.report.uplift.high)}）`
                      : '样本不足',
                },
                {
                  title: '',
                  render: (_: unknown, a) => (
                    <Button
                      size="small"
                      onClick={async () => {
                        const { id, playbook: _p, report: _r, ...body } = a;
                        try {
                          await call(routes.campaigns.update, {
                            params: { id },
                            body: { ...body, active: !a.active },
                          });
                          toast.success(a.active ? '已停用' : '已启用');
                          list.reload();
                        } catch (err) {
                          toast.error(message(err));
                        }
                      }}
                    >
                      {a.active ? '停用' : '启用'}
                    </Button>
                  ),
                },
              ]}
            />
          )}
        </Loadable>
      </Card>
      <Card title="现成方案">
        <Loadable state={playbooks}>
          {(data) => (
            <List
              dataSource={data.items}
              renderItem={(p) => (
                <List.Item
                  actions={[
                    p.installedAutomationId ? (
                      <Tag key="i">已安装</Tag>
                    ) : (
                      <Button key="b" size="small" onClick={() => install(p.code)}>
                        安装
                      </Button>
                    ),
                  ]}
                >
                  <List.Item.Meta
                    title={`${p.name}（${p.audience}）`}
                    description={p.description}
                  />
                </List.Item>
              )}
            />
          )}
        </Loadable>
      </Card>
    </>
  );
}
