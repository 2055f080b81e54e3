import { Alert, Card, Col, Row, Table, Typography } from 'antd';
import type { SimulationPointsFigures, SimulationResult } from '@huoyue/shared';
import { useMemo } from 'react';
import { Chart } from '../Chart';

const num = (n: number) => n.toLocaleString('zh-CN');
const yuan = (n: number) =>
  `¥${n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** The change from actual to simulated: signed, with the share when there was something to compare with. */
function change(actual: number, simulated: number, show: (n: number) => string = num): string {
  const d = simulated - actual;
  if (d === 0) return '不变';
  const sign = d > 0 ? '+' : '−';
  const share = actual !== 0 ? `（${sign}${Math.abs((d / actual) * 100).toFixed(1)}%）` : '';
  return `${sign}${show(Math.abs(d))}${share}`;
}

const ROWS: { key: keyof SimulationPointsFigures; label: string; money?: boolean }[] = [
  { key: 'orders', label: '消费积分' },
  { key: 'refunds', label: '退款扣回积分' },
  { key: 'checkins', label: '签到积分' },
  { key: 'net', label: '净发放积分' },
  { key: 'cost', label: '积分成本', money: true },
];

interface Row {
  key: string;
  label: string;
  actual: number;
  simulated: number;
  money?: boolean;
}

/** Totals, cost and the liability at the end, actual beside simulated. */
function TotalsTable({ result }: { result: SimulationResult }) {
  const rows: Row[] = [
    ...ROWS.map((r) => ({
      ...r,
      actual: result.totals.actual[r.key],
      simulated: result.totals.simulated[r.key],
    })),
    {
      key: 'liability-points',
      label: '期末积分负债（积分）',
      actual: result.liability.actual.points,
      simulated: result.liability.simulated.points,
    },
    {
      key: 'liability-value',
      label: '期末积分负债（金额）',
      actual: result.liability.actual.value,
      simulated: result.liability.simulated.value,
      money: true,
    },
  ];
  const show = (r: Row, n: number) => (r.money ? yuan(n) : num(n));
  return (
    <Table<Row>
      size="small"
      rowKey="key"
      pagination={false}
      dataSource={rows}
      data-testid="sim-totals"
      columns={[
        { title: '指标', dataIndex: 'label' },
        {
          title: '实际',
          render: (_: unknown, r) => (
            <span data-testid={`sim-${r.key}-actual`}>{show(r, r.actual)}</span>
          ),
        },
        {
          title: '按新规则模拟',
          render: (_: unknown, r) => (
            <span data-testid={`sim-${r.key}-simulated`}>{show(r, r.simulated)}</span>
          ),
        },
        {
          title: '变化',
          render: (_: unknown, r) => change(r.actual, r.simulated, (n) => show(r, n)),
        },
      ]}
    />
  );
}

/** Bars (or lines) of actual beside simulated over categories. */
function comparisonChart(
  categories: string[],
  actual: number[],
  simulated: number[],
  kind: 'bar' | 'line',
) {
  return {
    tooltip: { trigger: 'axis' },
    legend: { data: ['实际', '按新规则模拟'], top: 0 },
    grid: { left: 70, right: 20, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: categories },
    yAxis: { type: 'value' },
    series: [
      { name: '实际', type: kind, data: actual },
      { name: '按新规则模拟', type: kind, data: simulated },
    ],
  };
}

function Charts({ result }: { result: SimulationResult }) {
  const charts = useMemo(() => {
    const months = result.byMonth.map((m) => m.month);
    const tiers = result.byTier.map((t) => t.tierName ?? '未入级');
    return {
      byMonth: comparisonChart(
        months,
        result.byMonth.map((m) => m.actual.net),
        result.byMonth.map((m) => m.simulated.net),
        'bar',
      ),
      cost: comparisonChart(
        months,
        result.byMonth.map((m) => m.actual.cost),
        result.byMonth.map((m) => m.simulated.cost),
        'line',
      ),
      byTier: comparisonChart(
        tiers,
        result.byTier.map((t) => t.actual.net),
        result.byTier.map((t) => t.simulated.net),
        'bar',
      ),
    };
  }, [result]);
  return (
    <Row gutter={[16, 16]}>
      <Col span={24}>
        <Card size="small" title="每月净发放积分">
          <Chart option={charts.byMonth} testId="sim-chart-month" />
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card size="small" title="按会员等级的净发放积分">
          <Chart option={charts.byTier} testId="sim-chart-tier" />
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card size="small" title="每月积分成本（元）">
          <Chart option={charts.cost} testId="sim-chart-cost" />
        </Card>
      </Col>
    </Row>
  );
}

type Affected = SimulationResult['mostAffected'][number];
type TierAtEnd = NonNullable<SimulationResult['tiersAtEnd']>[number];

function MembersTables({ result }: { result: SimulationResult }) {
  return (
    <Row gutter={[16, 16]}>
      {result.tiersAtEnd && (
        <Col xs={24} xl={10}>
          <Card size="small" title="期末各等级会员数">
            <Table<TierAtEnd>
              size="small"
              rowKey={(t) => t.code ?? 'none'}
              pagination={false}
              dataSource={result.tiersAtEnd}
              columns={[
                { title: '等级', render: (_: unknown, t) => t.name ?? '未入级' },
                { title: '实际', render: (_: unknown, t) => num(t.actual) },
                { title: '按新规则模拟', render: (_: unknown, t) => num(t.simulated) },
                { title: '变化', render: (_: unknown, t) => change(t.actual, t.simulated) },
              ]}
            />
          </Card>
        </Col>
      )}
      <Col xs={24} xl={result.tiersAtEnd ? 14 : 24}>
        <Card size="small" title="受影响最大的会员（前 20 位）">
          <Table<Affected>
            size="small"
            rowKey="memberId"
            pagination={false}
            dataSource={result.mostAffected}
            locale={{ emptyText: '新规则下每位会员的积分都不变' }}
            columns={[
              { title: '会员', render: (_: unknown, m) => m.name ?? '未填写昵称' },
              { title: '会员卡号', render: (_: unknown, m) => m.cardNo ?? '—' },
              { title: '实际积分', render: (_: unknown, m) => num(m.actual) },
              { title: '模拟积分', render: (_: unknown, m) => num(m.simulated) },
              { title: '变化', render: (_: unknown, m) => change(m.actual, m.simulated) },
            ]}
          />
        </Card>
      </Col>
    </Row>
  );
}

/** A finished run: what really happened beside what the proposal would have made, as a table and charts. */
export function SimulationResultView({ result }: { result: SimulationResult }) {
  const { replayed } = result;
  return (
    <div data-testid="sim-result">
      <Typography.Paragraph type="secondary">
        回放了 {num(replayed.orders)} 笔订单、{num(replayed.refunds)} 笔退款和{' '}
        {num(replayed.checkins)} 次签到；成本按每积分 {result.costPerPoint} 元计算。
      </Typography.Paragraph>
      {replayed.orders + replayed.checkins === 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          message="这段时间里没有订单和签到"
          description="可以换一个时间段再模拟。"
        />
      )}
      <TotalsTable result={result} />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        期末积分负债说明：{result.liability.approximation}
      </Typography.Paragraph>
      <Charts result={result} />
      <div style={{ height: 16 }} />
      <MembersTables result={result} />
    </div>
  );
}
