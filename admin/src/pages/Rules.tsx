import {
  Alert,
  Button,
  Card,
  Form,
  InputNumber,
  Space,
  Switch,
  Tabs,
  Typography,
  message as toast,
} from 'antd';
import { checkinRules, pointsRules, routes, type CheckinRules } from '@huoyue/shared';
import { useState } from 'react';
import { call, message } from '../api';
import {
  CHECKIN_LABELS,
  CheckinLadderField,
  ladderRewards,
} from '../components/CheckinLadderField';
import { confirmAsync } from '../components/confirm';
import { Loadable, useLoad } from '../components/Loadable';
import {
  fromPointsRules,
  POINTS_LABELS,
  PointsRulesFields,
  toPointsRules,
  type PointsValues,
} from '../components/PointsRulesFields';
import { issuesText } from '../components/useSchemaSubmit';
import { useStaffSession } from '../session';

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

/** Points rules as a form: earn rates, the cap, the protection period, expiry, notices, downgrades, the adjustment limit. */
function PointsRulesForm() {
  const me = useStaffSession();
  const state = useLoad(() => call(routes.points.getRules));
  const [form] = Form.useForm<PointsValues>();
  const [error, setError] = useState<string | null>(null);
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
          <PointsRulesFields />
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
    const rewards = ladderRewards(values.rewards);
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
          <CheckinLadderField badges={badges} />
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
