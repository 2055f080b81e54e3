import { Form, InputNumber, Radio, Select, Space, Typography } from 'antd';
import { POINTS_EXPIRY_LABELS, TIER_DOWNGRADE_LABELS, type PointsRules } from '@huoyue/shared';

/** The points rules as the form holds them: the cap and the expiry split into a choice and a number. */
export interface PointsValues {
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

export const POINTS_LABELS: Record<string, string> = {
  pointsPerYuan: '每消费 1 元获得积分',
  growthPerYuan: '每消费 1 元获得成长值',
  perOrderCap: '单笔订单积分上限',
  pendingDays: '积分冻结期',
  days: '积分有效天数',
  noticeDays: '到期提前提醒天数',
  adjustLimit: '积分单次调整上限',
  costPerPoint: '每积分成本',
};

/** The per-order cap the form describes (null: none). */
export const capOf = (v: Pick<PointsValues, 'capMode' | 'perOrderCap'>) =>
  v.capMode === 'cap' ? (v.perOrderCap ?? null) : null;

/** The expiry policy the form describes (checked with the shared schema by the caller). */
export const expiryOf = (v: Pick<PointsValues, 'expiryKind' | 'expiryDays'>) =>
  (v.expiryKind === 'days'
    ? { kind: 'days', days: v.expiryDays }
    : { kind: v.expiryKind }) as PointsRules['expiry'];

/** The form's values for a cap and an expiry policy. */
export function capAndExpiryValues(perOrderCap: number | null, expiry: PointsRules['expiry']) {
  return {
    capMode: perOrderCap === null ? 'none' : 'cap',
    perOrderCap: perOrderCap ?? undefined,
    expiryKind: expiry.kind,
    expiryDays: expiry.kind === 'days' ? expiry.days : 365,
  } satisfies Partial<PointsValues>;
}

/** The form's values as the API's points rules (checked with the shared schema by the caller). */
export function toPointsRules(v: PointsValues): unknown {
  return {
    pointsPerYuan: v.pointsPerYuan,
    growthPerYuan: v.growthPerYuan,
    perOrderCap: capOf(v),
    pendingDays: v.pendingDays,
    expiry: expiryOf(v),
    noticeDays: v.noticeDays,
    downgrade: v.downgrade,
    adjustLimit: v.adjustLimit,
    costPerPoint: v.costPerPoint,
  };
}

export function fromPointsRules(r: PointsRules): PointsValues {
  return {
    pointsPerYuan: r.pointsPerYuan,
    growthPerYuan: r.growthPerYuan,
    ...capAndExpiryValues(r.perOrderCap, r.expiry),
    pendingDays: r.pendingDays,
    noticeDays: r.noticeDays,
    downgrade: r.downgrade,
    adjustLimit: r.adjustLimit,
    costPerPoint: r.costPerPoint,
  };
}

/** What one yuan paid earns. */
function RateItem({ name, unit }: { name: 'pointsPerYuan' | 'growthPerYuan'; unit: string }) {
  return (
    <Form.Item
      label={POINTS_LABELS[name]}
      name={name}
      rules={[{ required: true, message: '请填写' }]}
    >
      <InputNumber min={0} max={100} step={0.1} addonAfter={unit} />
    </Form.Item>
  );
}

/** Earn rates (the growth rate too unless `growth` is false), the rounding and the per-order cap. */
export function EarnRateFields({ growth = true }: { growth?: boolean }) {
  const capMode = Form.useWatch('capMode');
  return (
    <>
      <Space size="large" wrap>
        <RateItem name="pointsPerYuan" unit="积分" />
        {growth && <RateItem name="growthPerYuan" unit="成长值" />}
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
              <InputNumber aria-label="单笔订单积分上限" min={1} precision={0} addonAfter="积分" />
            </Form.Item>
          )}
        </Space>
      </Form.Item>
    </>
  );
}

/** The expiry policy: a choice, and the days when points last a number of days. */
export function ExpiryField() {
  const expiryKind = Form.useWatch('expiryKind');
  return (
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
          <Form.Item name="expiryDays" noStyle rules={[{ required: true, message: '请填写天数' }]}>
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
  );
}

/** Notices, downgrades and the manual adjustment limit: how the rules are run, not what a member earns. */
function OperationFields() {
  return (
    <>
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
    </>
  );
}

/**
 * All the points rules' fields, inside a Form holding PointsValues (the rules page); the rule simulator takes the
 * pieces it replays (EarnRateFields, ExpiryField).
 */
export function PointsRulesFields() {
  return (
    <>
      <EarnRateFields />
      <Form.Item
        label={POINTS_LABELS.pendingDays}
        name="pendingDays"
        extra="订单积分在退货期内冻结，期满后才能使用；0 表示立即可用"
      >
        <InputNumber min={0} max={90} precision={0} addonAfter="天" />
      </Form.Item>
      <ExpiryField />
      <OperationFields />
      <Form.Item
        label={POINTS_LABELS.costPerPoint}
        name="costPerPoint"
        extra="送出 1 积分实际花费多少钱（例如 100 积分抵 1 元则为 0.01 元），用于计算积分负债和规则模拟的成本"
      >
        <InputNumber min={0} max={100} precision={4} step={0.001} addonAfter="元/积分" />
      </Form.Item>
    </>
  );
}
