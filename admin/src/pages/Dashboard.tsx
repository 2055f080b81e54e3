import { Card, Col, Row, Statistic, Table } from 'antd';
import {
  LIFECYCLE_STAGE_LABELS,
  LIFECYCLE_STAGES,
  RFM_SEGMENT_LABELS,
  routes,
} from '@huoyue/shared';
import { useMemo } from 'react';
import { call } from '../api';
import { Chart } from '../components/Chart';
import { Loadable, useLoad } from '../components/Loadable';

const percent = (v: number) => `${(v * 100).toFixed(1)}%`;

export function DashboardPage() {
  const summary = useLoad(() => call(routes.lifecycle.summary));
  const snapshots = useLoad(() => call(routes.lifecycle.snapshots, { query: { days: 90 } }));
  const flows = useLoad(() => call(routes.lifecycle.flows, { query: {} }));
  const grid = useLoad(() => call(routes.lifecycle.rfmGrid));
  const daily = useLoad(() => call(routes.engagement.dailyActivity, { query: { days: 30 } }));
  const automations = useLoad(async () => {
    const { items } = await call(routes.campaigns.list);
    return Promise.all(
      items.map(async (a) => ({
        ...a,
        report: await call(routes.campaigns.report, { params: { id: a.id } }),
      })),
    );
  });

  const stagesOverTime = useMemo(() => {
    const items = snapshots.data?.items ?? [];
    const days = [...new Set(items.map((i) => i.day))];
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: LIFECYCLE_STAGES.map((s) => LIFECYCLE_STAGE_LABELS[s]) },
      xAxis: { type: 'category', data: days },
      yAxis: { type: 'value' },
      series: LIFECYCLE_STAGES.map((s) => ({
        name: LIFECYCLE_STAGE_LABELS[s],
        type: 'line',
        stack: 'members',
        areaStyle: {},
        data: days.map((d) => items.find((i) => i.day === d && i.stage === s)?.members ?? 0),
      })),
    };
  }, [snapshots.data]);

  const heat = useMemo(() => {
    const cells = grid.data?.cells ?? [];
    return {
      tooltip: {
        formatter: (p: { data: [number, number, number] }) =>
          `R${p.data[1] + 1} F${p.data[0] + 1}：${p.data[2]} 人`,
      },
      xAxis: { type: 'category', data: ['F1', 'F2', 'F3', 'F4', 'F5'], name: '频次' },
      yAxis: { type: 'category', data: ['R5', 'R4', 'R3', 'R2', 'R1'].reverse(), name: '近度' },
      // The scale stands at the right, beside the grid: at the bottom it covered the F axis and its name.
      visualMap: {
        min: 0,
        max: Math.max(1, ...cells.map((c) => c.members)),
        orient: 'vertical',
        right: 0,
        top: 'middle',
        itemHeight: 160,
        calculable: true,
        text: ['人多', '人少'],
      },
      grid: { left: 60, right: 110, top: 30, bottom: 50 },
      series: [
        {
          type: 'heatmap',
          label: { show: true },
          data: cells.map((c) => [c.f - 1, c.r - 1, c.members]),
        },
      ],
    };
  }, [grid.data]);

  const activity = useMemo(() => {
    const items = daily.data?.items ?? [];
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: ['签到', '兑换', '消费'] },
      xAxis: { type: 'category', data: items.map((i) => i.day.slice(5)) },
      yAxis: { type: 'value' },
      series: [
        { name: '签到', type: 'bar', data: items.map((i) => i.checkins) },
        { name: '兑换', type: 'bar', data: items.map((i) => i.redemptions) },
        { name: '消费', type: 'line', data: items.map((i) => i.purchases) },
      ],
    };
  }, [daily.data]);

  const points = useMemo(() => {
    const items = daily.data?.items ?? [];
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: ['发放', '消耗'] },
      xAxis: { type: 'category', data: items.map((i) => i.day.slice(5)) },
      yAxis: { type: 'value' },
      series: [
        { name: '发放', type: 'line', data: items.map((i) => i.pointsIssued) },
        { name: '消耗', type: 'line', data: items.map((i) => i.pointsSpent) },
      ],
    };
  }, [daily.data]);

  return (
    <Row gutter={[16, 16]}>
      <Col span={24}>
        <Card title="会员生命周期">
          <Loadable state={summary}>
            {(s) => (
              <Row gutter={16}>
                {LIFECYCLE_STAGES.map((stage) => (
                  <Col key={stage} span={4}>
                    <Statistic title={LIFECYCLE_STAGE_LABELS[stage]} value={s.stages[stage]} />
                  </Col>
                ))}
                <Col span={24} style={{ marginTop: 12, color: '#888' }}>
                  流失预警 {s.atRisk} 人 · 低频会员 {s.lowFrequency} 人 ·{' '}
                  {s.lastRecompute ? `最近计算：${s.lastRecompute.asOf}` : '尚未计算'}
                </Col>
              </Row>
            )}
          </Loadable>
        </Card>
      </Col>
      <Col span={14}>
        <Card title="各阶段会员数（近 90 天）">
          <Loadable state={snapshots} empty={(d) => d.items.length === 0}>
            {() => <Chart option={stagesOverTime} testId="chart-stages" />}
          </Loadable>
        </Card>
      </Col>
      <Col span={10}>
        <Card title="RFM 分布（近度 × 频次）">
          <Loadable state={grid} empty={(d) => d.members === 0}>
            {() => <Chart option={heat} testId="chart-rfm" />}
          </Loadable>
        </Card>
      </Col>
      <Col span={12}>
        <Card title="每日签到、兑换与消费（近 30 天）">
          <Loadable state={daily}>
            {() => <Chart option={activity} testId="chart-activity" />}
          </Loadable>
        </Card>
      </Col>
      <Col span={12}>
        <Card title="积分发放与消耗（近 30 天）">
          <Loadable state={daily}>{() => <Chart option={points} testId="chart-points" />}</Loadable>
        </Card>
      </Col>
      <Col span={12}>
        <Card title="本月阶段流转">
          <Loadable state={flows} empty={(d) => d.items.length === 0}>
            {(f) => (
              <Table
                size="small"
                rowKey={(r) => `${r.from}-${r.to}`}
                pagination={false}
                dataSource={[...f.items].sort((a, b) => b.members - a.members)}
                columns={[
                  {
                    title: '从',
                    dataIndex: 'from',
                    render: (v: keyof typeof LIFECYCLE_STAGE_LABELS) => LIFECYCLE_STAGE_LABELS[v],
                  },
                  {
                    title: '到',
                    dataIndex: 'to',
                    render: (v: keyof typeof LIFECYCLE_STAGE_LABELS) => LIFECYCLE_STAGE_LABELS[v],
                  },
                  { title: '人数', dataIndex: 'members' },
                ]}
              />
            )}
          </Loadable>
        </Card>
      </Col>
      <Col span={12}>
        <Card title="自动化营销效果">
          <Loadable state={automations} empty={(d) => d.length === 0}>
            {(list) => (
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={list}
                columns={[
                  { title: '名称', dataIndex: 'name' },
                  { title: '触达', render: (_: unknown, a) => a.report.treatment.sent },
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
                        : '—',
                  },
                ]}
              />
            )}
          </Loadable>
        </Card>
      </Col>
      <Col span={24} style={{ color: '#aaa' }}>
        分群：{Object.values(RFM_SEGMENT_LABELS).join(' · ')}
      </Col>
    </Row>
  );
}
