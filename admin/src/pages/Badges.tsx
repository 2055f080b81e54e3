import {
  Alert,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  message as toast,
} from 'antd';
import {
  ApiError,
  BADGE_METRICS,
  badgeInput,
  routes,
  type BadgeMetric,
  type RouteOutput,
} from '@huoyue/shared';
import { useState } from 'react';
import { call, message } from '../api';
import { Loadable, useLoad } from '../components/Loadable';
import { ActiveFilterSwitch, byActive, type ActiveFilter } from '../components/SelectPickers';
import { useSchemaSubmit } from '../components/useSchemaSubmit';

type Badge = RouteOutput<typeof routes.engagement.listBadges>['items'][number];

/** What each metric counts, and the unit its thresholds are in (spend: yuan, as the member app shows it). */
const METRICS: Record<BadgeMetric, { label: string; unit: string }> = {
  checkins: { label: '累计签到天数', unit: '天' },
  streak: { label: '最长连续签到', unit: '天' },
  purchases: { label: '消费次数', unit: '次' },
  spend: { label: '累计消费金额', unit: '元' },
  redemptions: { label: '积分兑换次数', unit: '次' },
  coupons_used: { label: '用券次数', unit: '次' },
  anniversary: { label: '入会周年', unit: '年' },
  tier_rank: { label: '达到会员等级', unit: '' },
  member_days: { label: '参加会员日次数', unit: '次' },
};

interface Values {
  name: string;
  description?: string;
  metric: BadgeMetric;
  thresholds: (number | null)[];
  rewardPoints: number;
}

function TierRankSelect(props: { value?: number; onChange?: (v: number) => void }) {
  const tiers = useLoad(() => call(routes.points.listTiers));
  return (
    <Select<number>
      {...props}
      style={{ width: 200 }}
      placeholder="选择等级"
      loading={tiers.loading}
      options={(tiers.data?.items ?? [])
        .filter((t) => t.rank > 0)
        .map((t) => ({ value: t.rank, label: t.name }))}
    />
  );
}

function useConditionLabel() {
  const tiers = useLoad(() => call(routes.points.listTiers));
  return (b: Badge) => {
    const m = METRICS[b.rule.metric];
    if (b.rule.metric === 'tier_rank')
      return `${m.label}：${b.rule.thresholds
        .map((r) => tiers.data?.items.find((t) => t.rank === r)?.name ?? `第 ${r} 级`)
        .join(' / ')}`;
    return `${m.label} ≥ ${b.rule.thresholds.map((t) => t.toLocaleString('zh-CN')).join(' / ')} ${m.unit}`;
  };
}

function BadgeForm({
  editing,
  onClose,
  onSaved,
}: {
  editing: Badge | 'new';
  onClose: () => void;
  onSaved: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const metric = Form.useWatch('metric', form) ?? 'checkins';
  const isNew = editing === 'new';
  const { error, submit: send } = useSchemaSubmit(
    isNew ? badgeInput : badgeInput.omit({ code: true }),
    (body) =>
      isNew
        ? call(routes.engagement.createBadge, { body })
        : call(routes.engagement.updateBadge, { params: { code: editing.code }, body }),
    () => {
      toast.success(isNew ? '勋章已创建' : '勋章已保存');
      onSaved();
    },
  );
  const submit = (v: Values) =>
    send({
      name: v.name,
      description: v.description ?? '',
      rewardPoints: v.rewardPoints,
      artworkUrl: isNew ? null : editing.artworkUrl,
      active: isNew ? true : editing.active,
      rule: {
        metric: v.metric,
        thresholds: (v.thresholds ?? []).filter((t): t is number => t !== null),
      },
    });
  const unit = METRICS[metric].unit;
  return (
    <Modal
      title={isNew ? '新建勋章' : `编辑「${editing.name}」`}
      open
      onCancel={onClose}
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
        initialValues={
          isNew
            ? { metric: 'checkins', thresholds: [7, 30, 100], rewardPoints: 0 }
            : {
                name: editing.name,
                description: editing.description,
                metric: editing.rule.metric,
                thresholds: editing.rule.thresholds,
                rewardPoints: editing.rewardPoints,
              }
        }
      >
        <Form.Item label="名称" name="name" rules={[{ required: true, message: '请输入名称' }]}>
          <Input maxLength={32} placeholder="例如：签到达人" />
        </Form.Item>
        <Form.Item label="说明（会员在小程序里看到）" name="description">
          <Input maxLength={200} placeholder="例如：累计签到 7 / 30 / 100 天" />
        </Form.Item>
        <Form.Item label="条件" name="metric">
          <Select
            options={BADGE_METRICS.map((value) => ({ value, label: METRICS[value].label }))}
          />
        </Form.Item>
        <Typography.Text>
          门槛（一级为一次性勋章，多级须逐级升高
          {metric === 'spend' ? '；按元填写，例如 1000 即累计消费满 1,000 元' : ''}）
        </Typography.Text>
        <Form.List name="thresholds">
          {(fields, { add, remove }) => (
            <div style={{ marginTop: 8 }}>
              {fields.map((field, i) => (
                <Space key={field.key} align="baseline">
                  <Form.Item
                    {...field}
                    label={`第 ${i + 1} 级`}
                    rules={[{ required: true, message: '请填写门槛' }]}
                  >
                    {metric === 'tier_rank' ? (
                      <TierRankSelect />
                    ) : (
                      <InputNumber min={1} max={1_000_000_000} addonAfter={unit} />
                    )}
                  </Form.Item>
                  {fields.length > 1 && <Button onClick={() => remove(field.name)}>删除</Button>}
                </Space>
              ))}
              {fields.length < 5 && (
                <Button onClick={() => add()} style={{ marginBottom: 16 }}>
                  添加一级
                </Button>
              )}
            </div>
          )}
        </Form.List>
        <Form.Item label="每级奖励积分" name="rewardPoints">
          <InputNumber min={0} max={1_000_000} addonAfter="积分" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function BadgesPage() {
  const list = useLoad(() => call(routes.engagement.listBadges));
  const condition = useConditionLabel();
  const [filter, setFilter] = useState<ActiveFilter>('active');
  const [editing, setEditing] = useState<Badge | 'new' | null>(null);
  const setActive = async (b: Badge, active: boolean) => {
    try {
      await call(routes.engagement.updateBadge, { params: { code: b.code }, body: { active } });
      toast.success(active ? `已启用「${b.name}」` : `已停用「${b.name}」`);
      list.reload();
    } catch (err) {
      toast.error(message(err));
    }
  };
  const remove = async (b: Badge) => {
    try {
      await call(routes.engagement.deleteBadge, { params: { code: b.code } });
      toast.success(`已删除「${b.name}」`);
      list.reload();
    } catch (err) {
      // In use: say why, and offer to switch it off instead.
      if (err instanceof ApiError && err.status === 409 && b.active)
        Modal.confirm({
          title: '不能删除',
          content: err.message,
          okText: '停用它',
          cancelText: '取消',
          onOk: () => setActive(b, false),
        });
      else toast.error(message(err));
    }
  };
  const backfill = (b: Badge) =>
    Modal.confirm({
      title: `补发「${b.name}」？`,
      content: '所有已经达到条件的会员都会获得它（以及勋章奖励的积分），操作会记入日志。',
      okText: '补发',
      cancelText: '取消',
      onOk: async () => {
        try {
          const { awarded } = await call(routes.engagement.backfillBadge, {
            params: { code: b.code },
          });
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
        <Space>
          <ActiveFilterSwitch value={filter} onChange={setFilter} />
          <Button type="primary" onClick={() => setEditing('new')}>
            新建勋章
          </Button>
        </Space>
      }
    >
      <Loadable state={list} empty={(d) => d.items.length === 0}>
        {(data) => (
          <Table
            rowKey="code"
            dataSource={byActive(data.items, filter)}
            pagination={false}
            locale={{ emptyText: filter === 'inactive' ? '没有已停用的勋章' : '暂无勋章' }}
            columns={[
              { title: '勋章', dataIndex: 'name' },
              { title: '条件', render: (_: unknown, b) => condition(b) },
              { title: '每级奖励积分', dataIndex: 'rewardPoints' },
              {
                title: '状态',
                render: (_: unknown, b) =>
                  b.active ? <Tag color="green">启用中</Tag> : <Tag>已停用</Tag>,
              },
              {
                title: '操作',
                render: (_: unknown, b) => (
                  <Space wrap>
                    <Button size="small" onClick={() => setEditing(b)}>
                      编辑
                    </Button>
                    {b.active && (
                      <Button size="small" onClick={() => backfill(b)}>
                        补发
                      </Button>
                    )}
                    <Popconfirm
                      title={b.active ? `停用「${b.name}」？` : `启用「${b.name}」？`}
                      description={
                        b.active ? '停用后不再发放，已获得的会员仍保留。' : '启用后恢复发放。'
                      }
                      okText={b.active ? '停用' : '启用'}
                      cancelText="取消"
                      onConfirm={() => setActive(b, !b.active)}
                    >
                      <Button size="small">{b.active ? '停用' : '启用'}</Button>
                    </Popconfirm>
                    <Popconfirm
                      title={`删除「${b.name}」？`}
                      description="只有还没有会员获得、也没有被签到奖励引用的勋章可以删除。"
                      okText="删除"
                      okButtonProps={{ danger: true }}
                      cancelText="取消"
                      onConfirm={() => remove(b)}
                    >
                      <Button size="small" danger>
                        删除
                      </Button>
                    </Popconfirm>
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Loadable>
      {editing !== null && (
        <BadgeForm
          editing={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            list.reload();
          }}
        />
      )}
    </Card>
  );
}
