import {
  Alert,
  Button,
  Card,
  Form,
  InputNumber,
  Radio,
  Select,
  Space,
  Switch,
  Tabs,
  Typography,
  message as toast,
} from 'antd';
import {
  checkinRules,
  pointsRules,
  POINTS_EXPIRY_LABELS,
  routes,
  TIER_DOWNGRADE_LABELS,
  type CheckinRules,
  type PointsRules,
} from '@huoyue/shared';
import { useState } from 'react';
import type { z } from 'zod';
import { call, message } from '../api';
import { confirmAsync } from '../components/confirm';
import { Loadable, useLoad } from '../components/Loadable';
import { useStaffSession } from '../session';

/** The schema's complaints, each with the field as the form names it. */
function issuesText(error: z.ZodError, labels: Record<string, string>): string {
  return error.issues
    .map((i) => {
      const label = [...i.path].reverse().find((p) => typeof p === 'string' && labels[p]);
      return label ? `${labels[label as string]}：${i.message}` : i.message;
    })
    .join('；');
}

/** Confirms, saves, says so; the server's refusal is shown as it came. */
async function saveRules(
  save: () => Promise<unknown>,
  setError: (e: string | null) => void,
  reload: () => void,
) {
  const ok = await confirmAsync({
    title: '保存新的规则？',
    content: '保存后立即生效，并记入操作日志。',
    okText: '保存',
  });
  if (!ok) return;
  try {
    await save();
    toast.success('规则已保存');
    reload();
  } catch (err) {
    setError(message(err));
  }
}

interface PointsValues {
  pointsPerYuan: number;
  growthPerYuan: number;
  capMode: 'none' | 'cap';
  perOrderCap?: number;
  pendingDays: number;
  expiryKind: PointsRules['expiry']['kind'];
  expiryDays?: number;
  noticeDays: number;
  downgrade: PointsRules['downgrade'];
  adjustLimit: number;
  costPerPoint: number;
}

const POINTS_LABELS: Record<string, string> = {
  pointsPerYuan: '每消费 1 元获得积分',
  growthPerYuan: '每消费 1 元获得成长值',
  perOrderCap: '单笔订单积分上限',
  pendingDays: '积分冻结期',
  days: '积分有效天数',
  noticeDays: '到期提前提醒天数',
  adjustLimit: '积分单次调整上限',
  costPerPoint: '每积分成本',
};

function toPointsRules(v: PointsValues): unknown {
  return {
    pointsPerYuan: v.pointsPerYuan,
    growthPerYuan: v.growthPerYuan,
    perOrderCap: v.capMode === 'cap' ? (v.perOrderCap ?? null) : null,
    pendingDays: v.pendingDays,
    expiry: v.expiryKind === 'days' ? { kind: 'days', days: v.expiryDays } : { kind: v.expiryKind },
    noticeDays: v.noticeDays,
    downgrade: v.downgrade,
    adjustLimit: v.adjustLimit,
    costPerPoint: v.costPerPoint,
  };
}

function fromPointsRules(r: PointsRules): PointsValues {
  return {
    pointsPerYuan: r.pointsPerYuan,
    growthPerYuan: r.growthPerYuan,
    capMode: r.perOrderCap === null ? 'none' : 'cap',
    perOrderCap: r.perOrderCap ?? undefined,
    pendingDays: r.pendingDays,
    expiryKind: r.expiry.kind,
    expiryDays: r.expiry.kind === 'days' ? r.expiry.days : 365,
    noticeDays: r.noticeDays,
    downgrade: r.downgrade,
    adjustLimit: r.adjustLimit,
    costPerPoint: r.costPerPoint,
  };
}

/** Points rules as a form: earn rates, the cap, the protection period, expiry, notices, downgrades, the adjustment limit. */
function PointsRulesForm() {
  const me = useStaffSession();
  const state = useLoad(() => call(routes.points.getRules));
  const [form] = Form.useForm<PointsValues>();
  const [error, setError] = useState<string | null>(null);
  const capMode = Form.useWatch('capMode', form);
  const expiryKind = Form.useWatch('expiryKind', form);
  const owner = me.role === 'owner';
  const submit = async (values: PointsValues) => {
    setError(null);
    const checked = pointsRules.safeParse(toPointsRules(values));
    if (!checked.success) return setError(issuesText(checked.error, POINTS_LABELS));
    await saveRules(
      () => call(routes.points.putRules, { body: checked.data }),
      setError,
      state.reload,
    );
  };
  return (
    <Loadable state={state}>
      {(rules) => (
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={fromPointsRules(rules)}
          disabled={!owner}
          style={{ maxWidth: 640 }}
        >
          {!owner && (
            <Alert
              type="info"
              showIcon
              message="只有店长可以修改积分规则"
              style={{ marginBottom: 16 }}
            />
          )}
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
          <Space size="large" wrap>
            <Form.Item
              label={POINTS_LABELS.pointsPerYuan}
              name="pointsPerYuan"
              rules={[{ required: true, message: '请填写' }]}
            >
              <InputNumber min={0} max={100} step={0.1} addonAfter="积分" />
            </Form.Item>
            <Form.Item
              label={POINTS_LABELS.growthPerYuan}
              name="growthPerYuan"
              rules={[{ required: true, message: '请填写' }]}
            >
              <InputNumber min={0} max={100} step={0.1} addonAfter="成长值" />
            </Form.Item>
          </Space>
          <Form.Item label="取整方式">
            <Typography.Text>向下取整：只按整元计算，不足 1 积分的部分不计</Typography.Text>
          </Form.Item>
          <Form.Item label={POINTS_LABELS.perOrderCap}>
            <Space>
              <Form.Item name="capMode" noStyle>
                <Radio.Group
                  options={[
                    { value: 'none', label: '不设上限' },
                    { value: 'cap', label: '最多' },
                  ]}
                />
              </Form.Item>
              {capMode === 'cap' && (
                <Form.Item
                  name="perOrderCap"
                  noStyle
                  rules={[{ required: true, message: '请填写上限' }]}
                >
                  <InputNumber
                    aria-label="单笔订单积分上限"
                    min={1}
                    precision={0}
                    addonAfter="积分"
                  />
                </Form.Item>
              )}
            </Space>
          </Form.Item>
          <Form.Item
            label={POINTS_LABELS.pendingDays}
            name="pendingDays"
            extra="订单积分在退货期内冻结，期满后才能使用；0 表示立即可用"
          >
            <InputNumber min={0} max={90} precision={0} addonAfter="天" />
          </Form.Item>
          <Form.Item label="积分有效期">
            <Space wrap>
              <Form.Item name="expiryKind" noStyle>
                <Radio.Group
                  options={(['end_of_next_year', 'days', 'never'] as const).map((k) => ({
                    value: k,
                    label: POINTS_EXPIRY_LABELS[k],
                  }))}
                />
              </Form.Item>
              {expiryKind === 'days' && (
                <Form.Item
                  name="expiryDays"
                  noStyle
                  rules={[{ required: true, message: '请填写天数' }]}
                >
                  <InputNumber
                    aria-label="积分有效天数"
                    min={1}
                    max={3650}
                    precision={0}
                    addonAfter="天"
                  />
                </Form.Item>
              )}
            </Space>
          </Form.Item>
          <Form.Item
            label={POINTS_LABELS.noticeDays}
            name="noticeDays"
            extra="积分或等级到期前提醒会员"
          >
            <InputNumber min={1} max={60} precision={0} addonAfter="天" />
          </Form.Item>
          <Form.Item label="等级到期未保级时" name="downgrade">
            <Select
              style={{ width: 260 }}
              options={(['one_level', 'by_period_growth'] as const).map((k) => ({
                value: k,
                label: TIER_DOWNGRADE_LABELS[k],
              }))}
            />
          </Form.Item>
          <Form.Item
            label={POINTS_LABELS.adjustLimit}
            name="adjustLimit"
            extra="员工在会员详情中手动调整积分时，单次增加或扣减的上限；运营不能超出，店长超出需再次确认"
          >
            <InputNumber min={1} max={10_000_000} precision={0} addonAfter="积分" />
          </Form.Item>
          <Form.Item
            label={POINTS_LABELS.costPerPoint}
            name="costPerPoint"
            extra="送出 1 积分实际花费多少钱（例如 100 积分抵 1 元则为 0.01 元），用于计算积分负债和规则模拟的成本"
          >
            <InputNumber min={0} max={100} precision={4} step={0.001} addonAfter="元/积分" />
          </Form.Item>
          {owner && (
            <Button type="primary" htmlType="submit">
              保存积分规则
            </Button>
          )}
        </Form>
      )}
    </Loadable>
  );
}

const CHECKIN_LABELS: Record<string, string> = {
  rewards: '每日奖励',
  points: '积分',
  costPoints: '补签消耗积分',
  maxPerMonth: '每月最多补签次数',
  perIpPerHour: '同一网络每小时签到上限',
  membersPerDevicePerDay: '同一设备每天可签到会员数',
};

/** The check-in ladder as rows (day → points, badge) with add and remove, plus makeup and anti-farming limits. */
function CheckinRulesForm() {
  const state = useLoad(async () => {
    const [rules, badges] = await Promise.all([
      call(routes.engagement.getCheckinRules),
      call(routes.engagement.listBadges),
    ]);
    return { rules, badges: badges.items };
  });
  const [form] = Form.useForm<CheckinRules>();
  const [error, setError] = useState<string | null>(null);
  const makeupOn = Form.useWatch(['makeup', 'enabled'], form);
  const submit = async (values: CheckinRules) => {
    setError(null);
    const rewards = values.rewards.map((r) => ({
      points: r.points,
      badgeCode: r.badgeCode ?? null,
    }));
    const checked = checkinRules.safeParse({ ...values, rewards, cycleDays: rewards.length });
    if (!checked.success) return setError(issuesText(checked.error, CHECKIN_LABELS));
    await saveRules(
      () => call(routes.engagement.putCheckinRules, { body: checked.data }),
      setError,
      state.reload,
    );
  };
  return (
    <Loadable state={state}>
      {({ rules, badges }) => (
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={rules}
          style={{ maxWidth: 720 }}
        >
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
          <Form.Item
            label="签到奖励阶梯"
            extra="连续签到的第几天得多少积分，可在某天发放勋章；签满一轮后从第 1 天重新开始"
          >
            <Form.List name="rewards">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((field, index) => (
                    <div key={field.key} data-testid="ladder-row">
                      <Space align="baseline">
                        <Typography.Text style={{ width: 56, display: 'inline-block' }}>
                          第 {index + 1} 天
                        </Typography.Text>
                        <Form.Item
                          name={[field.name, 'points']}
                          rules={[{ required: true, message: '请填写积分' }]}
                        >
                          <InputNumber
                            aria-label={`第 ${index + 1} 天积分`}
                            min={0}
                            max={100_000}
                            precision={0}
                            addonAfter="积分"
                          />
                        </Form.Item>
                        <Form.Item name={[field.name, 'badgeCode']}>
                          <Select
                            allowClear
                            aria-label={`第 ${index + 1} 天勋章`}
                            placeholder="不发勋章"
                            style={{ width: 180 }}
                            options={badges.map((b) => ({ value: b.code, label: b.name }))}
                          />
                        </Form.Item>
                        <Button
                          type="link"
                          danger
                          disabled={fields.length <= 1}
                          onClick={() => remove(field.name)}
                        >
                          删除
                        </Button>
                      </Space>
                    </div>
                  ))}
                  <Button
                    type="dashed"
                    disabled={fields.length >= 31}
                    onClick={() => add({ points: 5, badgeCode: null })}
                  >
                    添加一天
                  </Button>
                  <Typography.Text type="secondary" style={{ marginLeft: 12 }}>
                    一轮共 {fields.length} 天（最多 31 天）
                  </Typography.Text>
                </>
              )}
            </Form.List>
          </Form.Item>
          <Form.Item label="断签后从第 1 天重新开始" name="breakResets" valuePropName="checked">
            <Switch checkedChildren="是" unCheckedChildren="否" />
          </Form.Item>
          <Form.Item label="允许补签" name={['makeup', 'enabled']} valuePropName="checked">
            <Switch checkedChildren="开" unCheckedChildren="关" />
          </Form.Item>
          {makeupOn && (
            <Space size="large" wrap>
              <Form.Item label={CHECKIN_LABELS.costPoints} name={['makeup', 'costPoints']}>
                <InputNumber min={0} max={100_000} precision={0} addonAfter="积分" />
              </Form.Item>
              <Form.Item label={CHECKIN_LABELS.maxPerMonth} name={['makeup', 'maxPerMonth']}>
                <InputNumber min={0} max={31} precision={0} addonAfter="次" />
              </Form.Item>
            </Space>
          )}
          <Typography.Title level={5}>防刷设置</Typography.Title>
          <Space size="large" wrap>
            <Form.Item label={CHECKIN_LABELS.perIpPerHour} name={['antiFarming', 'perIpPerHour']}>
              <InputNumber min={1} max={100_000} precision={0} addonAfter="次" />
            </Form.Item>
            <Form.Item
              label={CHECKIN_LABELS.membersPerDevicePerDay}
              name={['antiFarming', 'membersPerDevicePerDay']}
            >
              <InputNumber min={1} max={100} precision={0} addonAfter="人" />
            </Form.Item>
          </Space>
          <div>
            <Button type="primary" htmlType="submit">
              保存签到规则
            </Button>
          </div>
        </Form>
      )}
    </Loadable>
  );
}

export function RulesPage() {
  return (
    <Card title="积分与签到规则">
      <Tabs
        items={[
          { key: 'points', label: '积分规则', children: <PointsRulesForm /> },
          { key: 'checkins', label: '签到阶梯', children: <CheckinRulesForm /> },
        ]}
      />
    </Card>
  );
}
