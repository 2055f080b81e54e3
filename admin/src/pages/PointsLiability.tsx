import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
  message as toast,
} from 'antd';
import { routes, type PointsBreakage, type PointsLiability } from '@huoyue/shared';
import { useMemo, useState } from 'react';
import { call, session } from '../api';
import { Chart } from '../components/Chart';
import { Loadable, useLoad } from '../components/Loadable';
import { useTierNames } from '../components/tiers';

type Cohort = PointsBreakage['cohorts'][number];

const percent = (v: number) => `${(v * 100).toFixed(1)}%`;
const points = (v: number) => v.toLocaleString('zh-CN');
const yuan = (v: number) =>
  `¥${v.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

const STATUS: Record<Cohort['status'], { text: string; color: string }> = {
  projected: { text: '已预测', color: 'green' },
  too_young: { text: '发放不足 3 个月，暂不预测', color: 'default' },
  too_small: { text: '发放积分太少，暂不预测', color: 'default' },
};

/** 积分负债: what the points given out cost, how many will never be used (chain ladder), and a CSV for finance. */
export function PointsLiabilityPage() {
  const liability = useLoad(() => call(routes.liability.liability, { query: {} }));
  const breakage = useLoad(() => call(routes.liability.breakage, { query: {} }));
  const l = liability.data;
  const nothingYet =
    l !== undefined &&
    l.outstanding === 0 &&
    l.expired === 0 &&
    l.pending === 0 &&
    breakage.data?.cohorts.length === 0;
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card title="积分负债" extra={<ExportButton />}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 16 }}>
          会员手里尚未使用的积分是品牌的负债。按积分规则里的“每积分成本”估值，并用链梯法（按发放月份分批）预测有多少积分最终不会被使用（沉淀），得到扣除沉淀后的净负债。
        </Typography.Paragraph>
        {nothingYet ? (
          <Empty
            data-testid="liability-empty"
            description="还没有发放过积分。会员通过消费、签到等获得积分后，这里会显示积分负债和沉淀预测。"
          />
        ) : (
          <Loadable state={liability}>{(data) => <Overview l={data} />}</Loadable>
        )}
      </Card>
      {!nothingYet && (
        <>
          <Loadable state={liability}>{(data) => <LiabilityCharts l={data} />}</Loadable>
          <Card title="发放批次兑换三角（链梯法）">
            <Loadable state={breakage} empty={(b) => b.cohorts.length === 0}>
              {(b) => <Triangle b={b} />}
            </Loadable>
          </Card>
        </>
      )}
    </Space>
  );
}

function Overview({ l }: { l: PointsLiability }) {
  return (
    <>
      <Row gutter={16}>
        <Col span={6}>
          <Statistic
            title="未使用积分"
            value={l.outstanding}
            formatter={(v) => points(Number(v))}
          />
        </Col>
        <Col span={6}>
          <Statistic title={`负债金额（每积分 ¥${l.costPerPoint}）`} value={yuan(l.value)} />
        </Col>
        <Col span={6}>
          <Statistic
            title="预计沉淀积分"
            value={l.expectedBreakage}
            formatter={(v) => points(Number(v))}
          />
        </Col>
        <Col span={6}>
          <Statistic title="扣除沉淀后的净负债" value={yuan(l.netLiability)} />
        </Col>
      </Row>
      <Typography.Text type="secondary" style={{ display: 'block', marginTop: 12 }}>
        估值日 {l.asOf}；另有保护期内待发放 {points(l.pending)} 积分（不计入负债），累计已过期{' '}
        {points(l.expired)} 积分。
      </Typography.Text>
    </>
  );
}

function LiabilityCharts({ l }: { l: PointsLiability }) {
  const tierName = useTierNames();
  const overTime = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: ['未使用积分', '负债金额（元）'] },
      xAxis: { type: 'category', data: l.series.map((s) => s.month) },
      yAxis: [
        { type: 'value', name: '积分' },
        { type: 'value', name: '元' },
      ],
      series: [
        { name: '未使用积分', type: 'line', data: l.series.map((s) => s.outstanding) },
        { name: '负债金额（元）', type: 'line', yAxisIndex: 1, data: l.series.map((s) => s.value) },
      ],
    }),
    [l],
  );
  const calendar = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: l.byExpiry.map((e) => e.month ?? '永不过期') },
      yAxis: { type: 'value', name: '积分' },
      series: [{ name: '到期积分', type: 'bar', data: l.byExpiry.map((e) => e.points) }],
    }),
    [l],
  );
  return (
    <Row gutter={16}>
      <Col span={14}>
        <Card title="负债走势（近 24 个月月末）">
          <Chart option={overTime} testId="liability-over-time" />
        </Card>
      </Col>
      <Col span={10}>
        <Card title="到期日历（按到期月份）">
          {l.byExpiry.length === 0 ? (
            <Empty description="目前没有未使用的积分" />
          ) : (
            <Chart option={calendar} testId="expiry-calendar" />
          )}
        </Card>
      </Col>
      <Col span={24} style={{ marginTop: 16 }}>
        <Card title="按会员当前等级">
          <Table
            size="small"
            rowKey={(t) => t.tierCode ?? '-'}
            pagination={false}
            dataSource={l.byTier}
            columns={[
              { title: '等级', render: (_, t) => (t.tierCode ? tierName([t.tierCode]) : '无等级') },
              { title: '未使用积分', dataIndex: 'points', render: (v: number) => points(v) },
              { title: '负债金额', dataIndex: 'value', render: (v: number) => yuan(v) },
            ]}
          />
        </Card>
      </Col>
    </Row>
  );
}

function Triangle({ b }: { b: PointsBreakage }) {
  const heat = useMemo(() => {
    const maxAge = Math.max(0, ...b.cohorts.map((c) => c.age));
    const cells = b.cohorts.flatMap((c, y) =>
      c.redeemedShare.map((share, age) => [age, y, Math.round(share * 1000) / 10]),
    );
    return {
      tooltip: {
        formatter: (p: { data: [number, number, number] }) =>
          `${b.cohorts[p.data[1]]!.month} 发放，第 ${p.data[0]} 个月末累计兑换 ${p.data[2]}%`,
      },
      xAxis: {
        type: 'category',
        name: '发放后月数',
        nameLocation: 'middle',
        nameGap: 28,
        data: Array.from({ length: maxAge + 1 }, (_, k) => String(k)),
      },
      yAxis: { type: 'category', name: '发放月份', data: b.cohorts.map((c) => c.month) },
      visualMap: {
        min: 0,
        max: 100,
        orient: 'vertical',
        right: 0,
        top: 'middle',
        calculable: true,
        text: ['兑换多', '兑换少'],
      },
      grid: { left: 80, right: 110, top: 30, bottom: 60 },
      series: [{ type: 'heatmap', label: { show: true, formatter: '{@[2]}%' }, data: cells }],
    };
  }, [b]);
  return (
    <>
      <Chart
        option={heat}
        height={Math.max(240, 40 * b.cohorts.length + 80)}
        testId="breakage-triangle"
      />
      <Typography.Paragraph type="secondary">
        逐月兑换增长系数（所有批次按发放量加权，“1→2”表示发放后第 1 个月末到第 2 个月末）：
        {b.factors.length === 0
          ? '数据还不够'
          : b.factors.map((f) => `${f.fromAge}→${f.toAge}：${f.factor ?? '—'}`).join('；')}
        。批次观察不足 {b.minHistoryMonths} 个月或发放不足 {points(b.minIssuedPoints)}{' '}
        积分时不做预测，按全部会被兑换计。
      </Typography.Paragraph>
      <Table
        size="small"
        rowKey="month"
        pagination={false}
        dataSource={b.cohorts}
        columns={[
          { title: '发放月份', dataIndex: 'month' },
          { title: '发放积分', dataIndex: 'issued', render: (v: number) => points(v) },
          { title: '已兑换', dataIndex: 'redeemed', render: (v: number) => points(v) },
          { title: '已过期', dataIndex: 'expired', render: (v: number) => points(v) },
          { title: '未使用', dataIndex: 'outstanding', render: (v: number) => points(v) },
          {
            title: '预计最终兑换率',
            dataIndex: 'ultimateRate',
            render: (v: number | null) => (v === null ? '—' : percent(v)),
          },
          { title: '预计沉淀', dataIndex: 'expectedBreakage', render: (v: number) => points(v) },
          {
            title: '状态',
            dataIndex: 'status',
            render: (s: Cohort['status']) => <Tag color={STATUS[s].color}>{STATUS[s].text}</Tag>,
          },
        ]}
      />
    </>
  );
}

function ExportButton() {
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const download = async () => {
    setBusy(true);
    setFailed(false);
    try {
      const res = await fetch('/api/admin/points/liability/export', {
        headers: { authorization: `Bearer ${session.token()}` },
      });
      if (!res.ok) throw new Error(String(res.status));
      const url = URL.createObjectURL(await res.blob());
      Object.assign(document.createElement('a'), { href: url, download: '积分负债.csv' }).click();
      URL.revokeObjectURL(url);
      void toast.success('已导出到期日历和发放批次表');
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space>
      {failed && <Alert type="error" showIcon message="导出失败，请稍后再试" />}
      <Button onClick={download} loading={busy}>
        导出 CSV
      </Button>
    </Space>
  );
}
