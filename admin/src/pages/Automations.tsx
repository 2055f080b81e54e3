import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
  message as toast,
} from 'antd';
import { useState } from 'react';
import {
  automationBody,
  LIFECYCLE_STAGE_LABELS,
  LIFECYCLE_STAGES,
  MIN_SAMPLE,
  messageReasonLabel,
  routes,
  type AutomationTrigger,
  type LifecycleStage,
  type RfmSegment,
  type RouteOutput,
} from '@huoyue/shared';
import { call, message } from '../api';
import { Loadable, useLoad } from '../components/Loadable';
import {
  ActiveFilterSwitch,
  byActive,
  CouponSelect,
  MessageTemplateSelect,
  SegmentSelect,
  StageSelect,
  TierSelect,
  type ActiveFilter,
} from '../components/SelectPickers';
import { SendSettings } from '../components/SendSettings';
import { useSchemaSubmit } from '../components/useSchemaSubmit';

type Automation = RouteOutput<typeof routes.campaigns.list>['items'][number];
type Report = RouteOutput<typeof routes.campaigns.report>;
type Playbook = RouteOutput<typeof routes.campaigns.playbooks>['items'][number];

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

function describeTrigger(t: AutomationTrigger): string {
  switch (t.type) {
    case 'stage_changed':
      return `进入「${LIFECYCLE_STAGE_LABELS[t.to]}」`;
    case 'joined_no_purchase':
      return `开卡 ${t.days} 天未首购`;
    case 'points_expiring':
    case 'coupon_expiring':
      return t.days ? `${TRIGGERS[t.type]}（提前 ${t.days} 天）` : TRIGGERS[t.type];
    case 'streak_broken':
      return `连续签到 ${t.minStreak} 天以上后中断`;
    default:
      return TRIGGERS[t.type];
  }
}

interface Values {
  name: string;
  trigger: keyof typeof TRIGGERS;
  to: LifecycleStage;
  days?: number;
  memberDayId: number | null;
  tiers: string[];
  stages: LifecycleStage[];
  segments: RfmSegment[];
  lowFrequency: 'any' | 'only' | 'exclude';
  points: number;
  couponTemplateId?: number | null;
  messageTemplateIds: number[];
  dedupeDays: number;
  controlPercent: number;
  conversionKind: 'purchase' | 'checkin';
  conversionDays: number;
}

function triggerOf(v: Values): AutomationTrigger {
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
      return { type: 'member_day_started', memberDayId: v.memberDayId ?? null };
    default:
      return { type: v.trigger };
  }
}

const LOW_FREQUENCY = { any: null, only: true, exclude: false } as const;

function valuesOf(a: Automation): Partial<Values> {
  const t = a.trigger;
  const days =
    (t.type === 'joined_no_purchase' && t.days) ||
    ((t.type === 'points_expiring' || t.type === 'coupon_expiring') && t.days) ||
    (t.type === 'streak_broken' && t.minStreak) ||
    undefined;
  return {
    name: a.name,
    trigger: t.type,
    to: t.type === 'stage_changed' ? t.to : 'dormant',
    days,
    memberDayId: t.type === 'member_day_started' ? t.memberDayId : null,
    ...a.conditions,
    lowFrequency: (['any', 'only', 'exclude'] as const).find(
      (k) => LOW_FREQUENCY[k] === a.conditions.lowFrequency,
    ),
    points: a.actions.points,
    couponTemplateId: a.actions.couponTemplateId,
    messageTemplateIds: a.actions.messageTemplateIds,
    dedupeDays: a.dedupeDays,
    controlPercent: a.controlPercent,
    conversionKind: a.conversion.kind,
    conversionDays: a.conversion.days,
  };
}

const NEW_AUTOMATION: Partial<Values> = {
  trigger: 'stage_changed',
  to: 'dormant',
  memberDayId: null,
  tiers: [],
  stages: [],
  segments: [],
  lowFrequency: 'any',
  points: 0,
  couponTemplateId: null,
  messageTemplateIds: [],
  dedupeDays: 30,
  controlPercent: 10,
  conversionKind: 'purchase',
  conversionDays: 14,
};

/**
 * A coupon an automation gives must be open to direct issue (定向发放). If the one picked is not, staff are asked
 * whether to open it; answered no, nothing is saved.
 */
async function ensureIssuable(templateId: number | null | undefined): Promise<boolean> {
  if (!templateId) return true;
  const template = (await call(routes.coupons.listTemplates)).items.find(
    (t) => t.id === templateId,
  );
  if (!template || template.channels.includes('issued')) return true;
  return new Promise((resolve) =>
    Modal.confirm({
      title: `为「${template.name}」开启定向发放？`,
      content: '这张券目前只能在领券中心领取，开启「定向发放」后自动化才能把它直接发给会员。',
      okText: '开启并继续',
      cancelText: '取消',
      onOk: async () => {
        try {
          await call(routes.coupons.updateTemplate, {
            params: { id: template.id },
            body: { channels: [...template.channels, 'issued'] },
          });
          toast.success(`已为「${template.name}」开启定向发放`);
          resolve(true);
        } catch (err) {
          toast.error(message(err));
          resolve(false);
        }
      },
      onCancel: () => resolve(false),
    }),
  );
}

function AutomationForm({
  editing,
  onClose,
  onSaved,
}: {
  editing: Automation | 'new';
  onClose: () => void;
  onSaved: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const trigger = Form.useWatch('trigger', form);
  const isNew = editing === 'new';
  // Once members entered, the experiment (trigger, control share, conversion) stays as it was.
  const locked = !isNew && editing.entered > 0;
  const memberDays = useLoad(() => call(routes.memberDays.list));
  const { error, submit: send } = useSchemaSubmit(
    automationBody,
    (body) =>
      isNew
        ? call(routes.campaigns.create, { body })
        : call(routes.campaigns.update, { params: { id: editing.id }, body }),
    () => {
      toast.success(isNew ? '自动化已创建' : '自动化已保存');
      onSaved();
    },
  );
  const submit = async (v: Values) => {
    if (!(await ensureIssuable(v.couponTemplateId))) return;
    await send({
      name: v.name,
      trigger: triggerOf(v),
      conditions: {
        tiers: v.tiers ?? [],
        stages: v.stages ?? [],
        segments: v.segments ?? [],
        lowFrequency: LOW_FREQUENCY[v.lowFrequency ?? 'any'],
      },
      actions: {
        points: v.points ?? 0,
        couponTemplateId: v.couponTemplateId ?? null,
        messageTemplateIds: v.messageTemplateIds ?? [],
      },
      dedupeDays: v.dedupeDays,
      controlPercent: v.controlPercent,
      conversion: { kind: v.conversionKind, days: v.conversionDays },
      active: isNew ? true : editing.active,
    });
  };
  return (
    <Modal
      title={isNew ? '新建自动化（触发 → 条件 → 动作）' : `编辑「${editing.name}」`}
      width={680}
      open
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="保存"
      cancelText="取消"
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      {locked && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message="已有会员进入：触发条件、对照组比例和转化口径不能再改，以保证报表前后一致。"
        />
      )}
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={isNew ? NEW_AUTOMATION : valuesOf(editing)}
      >
        <Form.Item label="名称" name="name" rules={[{ required: true, message: '请输入名称' }]}>
          <Input maxLength={40} />
        </Form.Item>
        <Typography.Title level={5}>触发</Typography.Title>
        <Space wrap size="large">
          <Form.Item label="何时" name="trigger">
            <Select
              disabled={locked}
              style={{ width: 200 }}
              options={Object.entries(TRIGGERS).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
          {trigger === 'stage_changed' && (
            <Form.Item label="进入阶段" name="to">
              <Select
                disabled={locked}
                style={{ width: 160 }}
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
              <InputNumber disabled={locked} min={1} max={365} addonAfter="天" />
            </Form.Item>
          )}
          {trigger === 'streak_broken' && (
            <Form.Item label="至少连续签到" name="days">
              <InputNumber disabled={locked} min={1} max={365} addonAfter="天" />
            </Form.Item>
          )}
          {trigger === 'member_day_started' && (
            <Form.Item label="哪个会员日" name="memberDayId">
              <Select
                disabled={locked}
                style={{ width: 220 }}
                loading={memberDays.loading}
                options={[
                  { value: null, label: '任意会员日' },
                  ...(memberDays.data?.items ?? []).map((d) => ({ value: d.id, label: d.name })),
                ]}
              />
            </Form.Item>
          )}
        </Space>
        <Typography.Title level={5}>条件（不选为不限）</Typography.Title>
        <Form.Item label="会员等级" name="tiers">
          <TierSelect />
        </Form.Item>
        <Form.Item label="生命周期阶段" name="stages">
          <StageSelect />
        </Form.Item>
        <Form.Item label="RFM 分群" name="segments">
          <SegmentSelect />
        </Form.Item>
        <Form.Item label="低频会员" name="lowFrequency">
          <Select
            options={[
              { value: 'any', label: '不限' },
              { value: 'only', label: '只要低频会员' },
              { value: 'exclude', label: '排除低频会员' },
            ]}
          />
        </Form.Item>
        <Typography.Title level={5}>动作</Typography.Title>
        <Space wrap size="large">
          <Form.Item label="送积分" name="points">
            <InputNumber min={0} max={100000} addonAfter="积分" />
          </Form.Item>
          <Form.Item label="发券" name="couponTemplateId">
            <CouponSelect<number> style={{ width: 320 }} placeholder="不发券" />
          </Form.Item>
        </Space>
        <Form.Item label="发消息（按顺序降级）" name="messageTemplateIds">
          <MessageTemplateSelect />
        </Form.Item>
        <Typography.Title level={5}>实验</Typography.Title>
        <Space wrap size="large">
          <Form.Item label="同一会员间隔" name="dedupeDays">
            <InputNumber min={1} max={365} addonAfter="天" />
          </Form.Item>
          <Form.Item label="对照组比例" name="controlPercent">
            <InputNumber disabled={locked} min={0} max={50} addonAfter="%" />
          </Form.Item>
          <Form.Item label="转化" name="conversionKind">
            <Select
              disabled={locked}
              style={{ width: 120 }}
              options={[
                { value: 'purchase', label: '购买' },
                { value: 'checkin', label: '签到' },
              ]}
            />
          </Form.Item>
          <Form.Item label="转化窗口" name="conversionDays">
            <InputNumber disabled={locked} min={1} max={90} addonAfter="天" />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

/** Failures by reason, in Chinese, with their counts. */
function Reasons({ failed }: { failed: Record<string, number> }) {
  const entries = Object.entries(failed).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return <>0</>;
  return (
    <Space size={[4, 4]} wrap>
      {entries.map(([reason, n]) => (
        <Tag key={reason} color="red">
          {messageReasonLabel(reason)} {n}
        </Tag>
      ))}
    </Space>
  );
}

const failedTotal = (failed: Record<string, number>) =>
  Object.values(failed).reduce((s, n) => s + n, 0);

function UpliftLabel({ report }: { report: Report }) {
  if (!report.uplift)
    return (
      <Tooltip title={report.sample.reason ?? ''}>
        <Tag>样本不足</Tag>
      </Tooltip>
    );
  const u = report.uplift;
  return (
    <>
      {percent(u.absolute)}（{percent(u.low)} ~ {percent(u.high)}）
    </>
  );
}

function ReportView({ automation, report }: { automation: Automation; report: Report }) {
  const rows = [
    { key: 'treatment', label: '实验组', g: report.treatment },
    { key: 'control', label: '对照组（不发送）', g: report.control },
  ];
  return (
    <>
      <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label="触发">{describeTrigger(automation.trigger)}</Descriptions.Item>
        <Descriptions.Item label="转化口径">
          进入后 {report.conversion.days} 天内
          {report.conversion.kind === 'purchase' ? '购买' : '签到'}
        </Descriptions.Item>
        <Descriptions.Item label="提升（95% 区间）">
          <span data-testid="automation-uplift">
            <UpliftLabel report={report} />
          </span>
          {!report.uplift && report.sample.reason && (
            <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
              {report.sample.reason}
            </Typography.Text>
          )}
        </Descriptions.Item>
        {report.pending > 0 && (
          <Descriptions.Item label="待发送">{report.pending}</Descriptions.Item>
        )}
        {Object.keys(report.actionErrors).length > 0 && (
          <Descriptions.Item label="动作未执行">
            {Object.entries(report.actionErrors).map(([reason, n]) => (
              <Tag key={reason} color="orange">
                {reason} {n}
              </Tag>
            ))}
          </Descriptions.Item>
        )}
      </Descriptions>
      <Table
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={rows}
        columns={[
          { title: '分组', dataIndex: 'label' },
          { title: '进入', render: (_: unknown, r) => r.g.qualified },
          { title: '已发送', render: (_: unknown, r) => r.g.sent },
          { title: '未送达（原因）', render: (_: unknown, r) => <Reasons failed={r.g.failed} /> },
          { title: '打开', render: (_: unknown, r) => r.g.opened },
          { title: '转化', render: (_: unknown, r) => r.g.converted },
          { title: '转化率', render: (_: unknown, r) => percent(r.g.conversionRate) },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
        提升 = 实验组转化率 − 对照组转化率。每组至少 {MIN_SAMPLE.perGroup} 人、两组合计至少{' '}
        {MIN_SAMPLE.conversions} 次转化时才计算，否则显示“样本不足”。
      </Typography.Paragraph>
    </>
  );
}

function InstallPlaybook({ playbook, onDone }: { playbook: Playbook; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [coupon, setCoupon] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const install = async (couponTemplateId: number | null) => {
    setBusy(true);
    try {
      if (!(await ensureIssuable(couponTemplateId))) return;
      await call(routes.campaigns.installPlaybook, {
        params: { code: playbook.code },
        body: { couponTemplateId },
      });
      toast.success(`已安装「${playbook.name}」`);
      setOpen(false);
      onDone();
    } catch (err) {
      toast.error(message(err));
    } finally {
      setBusy(false);
    }
  };
  if (playbook.coupon === 'none')
    return (
      <Popconfirm
        title={`安装「${playbook.name}」？`}
        description="会创建它的消息模板和一个运行中的自动化。"
        okText="安装"
        cancelText="取消"
        onConfirm={() => install(null)}
      >
        <Button size="small">安装</Button>
      </Popconfirm>
    );
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        安装
      </Button>
      <Modal
        title={`安装「${playbook.name}」`}
        open={open}
        onCancel={() => setOpen(false)}
        onOk={() => coupon !== null && install(coupon)}
        okText="安装"
        cancelText="取消"
        okButtonProps={{ disabled: coupon === null, loading: busy }}
        destroyOnHidden
      >
        <Typography.Paragraph>
          这个方案会在消息里告诉会员“券已放入卡包”，请选择要发放的优惠券：
        </Typography.Paragraph>
        <CouponSelect<number>
          style={{ width: '100%' }}
          value={coupon ?? undefined}
          onChange={(v) => setCoupon(v ?? null)}
          aria-label="要发放的优惠券"
        />
      </Modal>
    </>
  );
}

async function loadAutomations() {
  const { items } = await call(routes.campaigns.list);
  return Promise.all(
    items.map(async (a) => ({
      ...a,
      report: await call(routes.campaigns.report, { params: { id: a.id } }),
    })),
  );
}

export function AutomationsPage() {
  const list = useLoad(loadAutomations);
  const playbooks = useLoad(() => call(routes.campaigns.playbooks));
  const [filter, setFilter] = useState<ActiveFilter>('all');
  const [editing, setEditing] = useState<Automation | 'new' | null>(null);
  const [reportOf, setReportOf] = useState<(Automation & { report: Report }) | null>(null);
  const reload = () => {
    list.reload();
    playbooks.reload();
  };
  const setActive = async (a: Automation, active: boolean) => {
    try {
      await call(routes.campaigns.setActive, { params: { id: a.id }, body: { active } });
      toast.success(active ? `已启用「${a.name}」` : `已停用「${a.name}」`);
      list.reload();
    } catch (err) {
      toast.error(message(err));
    }
  };
  const remove = async (a: Automation) => {
    try {
      await call(routes.campaigns.remove, { params: { id: a.id } });
      toast.success(`已删除「${a.name}」`);
      reload();
    } catch (err) {
      toast.error(message(err));
    }
  };
  return (
    <>
      <Card
        title="自动化营销"
        style={{ marginBottom: 16 }}
        extra={
          <Space>
            <ActiveFilterSwitch value={filter} onChange={setFilter} labels={['运行中', '已停用']} />
            <Button type="primary" onClick={() => setEditing('new')}>
              新建自动化
            </Button>
          </Space>
        }
      >
        <Loadable state={list} empty={(d) => d.length === 0}>
          {(items) => (
            <Table
              rowKey="id"
              dataSource={byActive(items, filter)}
              pagination={false}
              locale={{ emptyText: '没有符合筛选的自动化' }}
              columns={[
                {
                  title: '名称',
                  render: (_: unknown, a) => (
                    <>
                      {a.name} {a.playbook && <Tag>现成方案</Tag>}
                    </>
                  ),
                },
                { title: '触发', render: (_: unknown, a) => describeTrigger(a.trigger) },
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
                {
                  title: '未送达',
                  render: (_: unknown, a) => {
                    const n = failedTotal(a.report.treatment.failed);
                    return n === 0 ? (
                      0
                    ) : (
                      <Tooltip
                        title={Object.entries(a.report.treatment.failed)
                          .map(([r, k]) => `${messageReasonLabel(r)} ${k}`)
                          .join('；')}
                      >
                        <Typography.Text type="danger">{n}</Typography.Text>
                      </Tooltip>
                    );
                  },
                },
                { title: '打开', render: (_: unknown, a) => a.report.treatment.opened },
                {
                  title: '转化率（实验/对照）',
                  render: (_: unknown, a) =>
                    `${percent(a.report.treatment.conversionRate)} / ${percent(a.report.control.conversionRate)}`,
                },
                {
                  title: '提升（95% 区间）',
                  render: (_: unknown, a) => <UpliftLabel report={a.report} />,
                },
                {
                  title: '操作',
                  render: (_: unknown, a) => (
                    <Space wrap>
                      <Button size="small" onClick={() => setReportOf(a)}>
                        报表
                      </Button>
                      <Button size="small" onClick={() => setEditing(a)}>
                        编辑
                      </Button>
                      <Popconfirm
                        title={a.active ? `停用「${a.name}」？` : `启用「${a.name}」？`}
                        description={
                          a.active ? '停用后不再有会员进入，已进入的转化照常统计。' : undefined
                        }
                        okText={a.active ? '停用' : '启用'}
                        cancelText="取消"
                        onConfirm={() => setActive(a, !a.active)}
                      >
                        <Button size="small">{a.active ? '停用' : '启用'}</Button>
                      </Popconfirm>
                      {a.entered === 0 && (
                        <Popconfirm
                          title={`删除「${a.name}」？`}
                          description="还没有会员进入，删除后不可恢复。"
                          okText="删除"
                          okButtonProps={{ danger: true }}
                          cancelText="取消"
                          onConfirm={() => remove(a)}
                        >
                          <Button size="small" danger>
                            删除
                          </Button>
                        </Popconfirm>
                      )}
                    </Space>
                  ),
                },
              ]}
            />
          )}
        </Loadable>
      </Card>
      <Card title="现成方案" style={{ marginBottom: 16 }}>
        <Loadable state={playbooks}>
          {(data) => (
            <List
              dataSource={data.items}
              renderItem={(p) => (
                <List.Item
                  data-testid={`playbook-${p.name}`}
                  actions={[
                    p.installedAutomationId ? (
                      <Tag key="i">已安装</Tag>
                    ) : (
                      <InstallPlaybook key="b" playbook={p} onDone={reload} />
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
      <SendSettings />
      {editing !== null && (
        <AutomationForm
          editing={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            list.reload();
          }}
        />
      )}
      <Modal
        title={`${reportOf?.name ?? ''}：效果报表`}
        width={900}
        open={reportOf !== null}
        onCancel={() => setReportOf(null)}
        footer={null}
        destroyOnHidden
      >
        {reportOf && <ReportView automation={reportOf} report={reportOf.report} />}
      </Modal>
    </>
  );
}
