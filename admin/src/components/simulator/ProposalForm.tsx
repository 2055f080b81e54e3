import {
  Alert,
  Button,
  DatePicker,
  Divider,
  Form,
  Input,
  Space,
  Switch,
  Table,
  Typography,
} from 'antd';
import {
  routes,
  startSimulationBody,
  type RouteOutput,
  type SimulationProposal,
} from '@huoyue/shared';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { call } from '../../api';
import { MemberDayMultiplierItem, TierMultiplierItem, TierThresholdItem } from '../BenefitFields';
import { CheckinLadderField, ladderRewards } from '../CheckinLadderField';
import { Loadable, useLoad } from '../Loadable';
import {
  capAndExpiryValues,
  capOf,
  EarnRateFields,
  ExpiryField,
  expiryOf,
  POINTS_LABELS,
  type PointsValues,
} from '../PointsRulesFields';
import { issuesText } from '../useSchemaSubmit';

type Tier = RouteOutput<typeof routes.points.listTiers>['items'][number];
type MemberDay = RouteOutput<typeof routes.memberDays.list>['items'][number];
export type StartBody = ReturnType<typeof startSimulationBody.parse>;

interface ProposalValues extends Pick<
  PointsValues,
  'pointsPerYuan' | 'capMode' | 'perOrderCap' | 'expiryKind' | 'expiryDays'
> {
  name?: string;
  window: [Dayjs, Dayjs];
  /** By the position of the tier in the ladder (the page lists every tier). */
  tiers: { pointsMultiplier: number; growthThreshold: number }[];
  changeLadder: boolean;
  /** By the position of the member day in the list. */
  memberDays: { pointsMultiplier: number }[];
  rewards: { points: number; badgeCode?: string | null }[];
}

const LABELS: Record<string, string> = {
  ...POINTS_LABELS,
  name: '模拟名称',
  window: '回放时间段',
  to: '回放时间段',
  rewards: '签到奖励阶梯',
  checkinLadder: '签到奖励阶梯',
  tierMultipliers: '等级积分倍数',
  memberDayMultipliers: '会员日积分倍数',
  tierLadder: '等级门槛',
};

/** The server's default window: the last 12 months up to yesterday. */
export function defaultWindow(): [Dayjs, Dayjs] {
  const to = dayjs().subtract(1, 'day').startOf('day');
  return [to.subtract(12, 'month').add(1, 'day'), to];
}

interface Sources {
  tiers: Tier[];
  memberDays: MemberDay[];
  badges: { code: string; name: string }[];
}

/** A proposal (today's rules, or an earlier run's) as the form's values. */
function valuesOf(
  p: SimulationProposal,
  { tiers, memberDays }: Sources,
  window?: { from: string; to: string },
): ProposalValues {
  const thresholds = new Map(p.tierLadder?.map((t) => [t.code, t.growthThreshold]));
  return {
    window: window ? [dayjs(window.from), dayjs(window.to)] : defaultWindow(),
    pointsPerYuan: p.pointsPerYuan,
    ...capAndExpiryValues(p.perOrderCap, p.expiry),
    tiers: tiers.map((t) => ({
      pointsMultiplier: p.tierMultipliers[t.code] ?? t.benefits.pointsMultiplier,
      growthThreshold: thresholds.get(t.code) ?? t.growthThreshold,
    })),
    changeLadder: p.tierLadder !== null,
    memberDays: memberDays.map((d) => ({
      pointsMultiplier: p.memberDayMultipliers[String(d.id)] ?? d.benefits.pointsMultiplier,
    })),
    rewards: p.checkinLadder.rewards,
  };
}

/** The form's values as the start request's body (checked with the shared schema by the caller). */
function bodyOf(v: ProposalValues, { tiers, memberDays }: Sources): unknown {
  const rewards = ladderRewards(v.rewards ?? []);
  return {
    name: v.name?.trim() || undefined,
    window: { from: v.window[0].format('YYYY-MM-DD'), to: v.window[1].format('YYYY-MM-DD') },
    proposal: {
      pointsPerYuan: v.pointsPerYuan,
      perOrderCap: capOf(v),
      expiry: expiryOf(v),
      tierMultipliers: Object.fromEntries(
        tiers.map((t, i) => [t.code, v.tiers[i]?.pointsMultiplier]),
      ),
      memberDayMultipliers: Object.fromEntries(
        memberDays.map((d, i) => [String(d.id), v.memberDays[i]?.pointsMultiplier]),
      ),
      checkinLadder: { cycleDays: rewards.length, rewards },
      tierLadder: v.changeLadder
        ? tiers.map((t, i) => ({ code: t.code, growthThreshold: v.tiers[i]?.growthThreshold }))
        : null,
    },
  };
}

function TierRows({ tiers }: { tiers: Tier[] }) {
  const changeLadder = Form.useWatch('changeLadder');
  return (
    <>
      <Form.Item
        label="同时调整等级门槛"
        name="changeLadder"
        valuePropName="checked"
        extra="打开后可改各等级的升级成长值，结果会多一项「期末各等级会员数」"
      >
        <Switch checkedChildren="调整" unCheckedChildren="不变" />
      </Form.Item>
      <Table<Tier>
        size="small"
        rowKey="code"
        pagination={false}
        dataSource={tiers}
        style={{ maxWidth: 520 }}
        columns={[
          { title: '等级', dataIndex: 'name' },
          {
            title: '积分倍数',
            render: (_: unknown, t, i) => (
              <TierMultiplierItem
                inCell
                name={['tiers', i, 'pointsMultiplier']}
                ariaLabel={`${t.name}积分倍数`}
              />
            ),
          },
          {
            title: '升级成长值',
            render: (_: unknown, t, i) => (
              <TierThresholdItem
                inCell
                name={['tiers', i, 'growthThreshold']}
                ariaLabel={`${t.name}升级成长值`}
                disabled={!changeLadder}
              />
            ),
          },
        ]}
      />
    </>
  );
}

function MemberDayRows({ memberDays }: { memberDays: MemberDay[] }) {
  if (memberDays.length === 0)
    return <Typography.Text type="secondary">还没有会员日，模拟时不涉及会员日倍数</Typography.Text>;
  return (
    <Table<MemberDay>
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={memberDays}
      style={{ maxWidth: 520 }}
      columns={[
        {
          title: '会员日',
          render: (_: unknown, d) => (d.active ? d.name : `${d.name}（已停用）`),
        },
        {
          title: '消费积分倍数',
          render: (_: unknown, d, i) => (
            <MemberDayMultiplierItem
              inCell
              name={['memberDays', i, 'pointsMultiplier']}
              ariaLabel={`${d.name}消费积分倍数`}
            />
          ),
        },
      ]}
    />
  );
}

/**
 * The proposal as a form, with the same fields as the real rule pages, prefilled from today's rules (or from the
 * run `preset` that staff chose to adjust). `onStart` gets the checked request body.
 */
export function ProposalForm({
  preset,
  onStart,
}: {
  preset: { proposal: SimulationProposal; window: { from: string; to: string } } | null;
  onStart: (body: StartBody) => Promise<void>;
}) {
  const state = useLoad(async () => {
    const [current, tiers, memberDays, badges] = await Promise.all([
      call(routes.simulator.current),
      call(routes.points.listTiers),
      call(routes.memberDays.list),
      call(routes.engagement.listBadges),
    ]);
    return { current, tiers: tiers.items, memberDays: memberDays.items, badges: badges.items };
  });
  const [form] = Form.useForm<ProposalValues>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const data = state.data;
  useEffect(() => {
    if (data && preset) form.setFieldsValue(valuesOf(preset.proposal, data, preset.window));
  }, [data, preset, form]);

  const submit = async (values: ProposalValues) => {
    if (!data) return;
    setError(null);
    const checked = startSimulationBody.safeParse(bodyOf(values, data));
    if (!checked.success) return setError(issuesText(checked.error, LABELS));
    setBusy(true);
    try {
      await onStart(checked.data);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Loadable state={state}>
      {(sources) => (
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={valuesOf(sources.current, sources)}
          style={{ maxWidth: 760 }}
        >
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
          <Space size="large" wrap>
            <Form.Item label="模拟名称（可不填）" name="name">
              <Input placeholder="例如：积分翻倍方案" maxLength={60} style={{ width: 240 }} />
            </Form.Item>
            <Form.Item
              label="回放时间段"
              name="window"
              rules={[{ required: true, message: '请选择时间段' }]}
              extra="按这段时间里真实的订单、退款和签到重新计算，默认最近 12 个月"
            >
              <DatePicker.RangePicker
                allowClear={false}
                disabledDate={(d: Dayjs) => d.isAfter(dayjs(), 'day')}
              />
            </Form.Item>
          </Space>
          <Divider titlePlacement="start">消费积分</Divider>
          <EarnRateFields growth={false} />
          <ExpiryField />
          <Divider titlePlacement="start">会员等级</Divider>
          <TierRows tiers={sources.tiers} />
          <Divider titlePlacement="start">会员日</Divider>
          <MemberDayRows memberDays={sources.memberDays} />
          <Divider titlePlacement="start">签到</Divider>
          <CheckinLadderField badges={sources.badges} />
          <Space>
            <Button type="primary" htmlType="submit" loading={busy}>
              开始模拟
            </Button>
            <Button onClick={() => form.setFieldsValue(valuesOf(sources.current, sources))}>
              恢复为当前规则
            </Button>
          </Space>
        </Form>
      )}
    </Loadable>
  );
}
