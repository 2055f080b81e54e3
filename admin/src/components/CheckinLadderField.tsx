import { Button, Form, InputNumber, Select, Space, Typography } from 'antd';

export const CHECKIN_LABELS: Record<string, string> = {
  rewards: '每日奖励',
  points: '积分',
  costPoints: '补签消耗积分',
  maxPerMonth: '每月最多补签次数',
  perIpPerHour: '同一网络每小时签到上限',
  membersPerDevicePerDay: '同一设备每天可签到会员数',
};

/**
 * The check-in ladder as rows (day → points, badge) with add and remove, inside a Form whose `rewards` field holds
 * it; `badges` are the badges a day may award (by name).
 */
export function CheckinLadderField({ badges }: { badges: { code: string; name: string }[] }) {
  const rewards = Form.useWatch<{ badgeCode?: string | null }[] | undefined>('rewards');
  // A day may name a badge the brand has not made (the default ladder's 7th day): a name, never the code.
  const known = new Set(badges.map((b) => b.code));
  const missing = [...new Set(rewards?.map((r) => r?.badgeCode))].filter(
    (c): c is string => !!c && !known.has(c),
  );
  const options = [
    ...badges.map((b) => ({ value: b.code, label: b.name })),
    ...missing.map((c) => ({ value: c, label: '尚未创建的勋章' })),
  ];
  return (
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
                      options={options}
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
  );
}

/** The ladder's rewards as the API takes them (a day without a badge awards none). */
export function ladderRewards(rewards: { points: number; badgeCode?: string | null }[]) {
  return rewards.map((r) => ({ points: r.points, badgeCode: r.badgeCode ?? null }));
}
