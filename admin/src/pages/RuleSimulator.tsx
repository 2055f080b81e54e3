import {
  Alert,
  Button,
  Card,
  Col,
  Progress,
  Row,
  Space,
  Table,
  Tag,
  Typography,
  message as toast,
} from 'antd';
import {
  POINTS_EXPIRY_LABELS,
  routes,
  type SimulationProposal,
  type SimulationView,
} from '@huoyue/shared';
import { useEffect, useRef, useState } from 'react';
import { call, message } from '../api';
import { confirmAsync } from '../components/confirm';
import { Loadable, useLoad } from '../components/Loadable';
import { ProposalForm, type StartBody } from '../components/simulator/ProposalForm';
import { SimulationResultView } from '../components/simulator/SimulationResult';
import { useStaffSession } from '../session';

type Status = SimulationView['status'];
type Run = Pick<SimulationView, 'id' | 'status' | 'window' | 'proposal'>;

const STATUS: Record<Status, { label: string; color?: string }> = {
  queued: { label: '排队中', color: 'blue' },
  running: { label: '模拟中', color: 'processing' },
  done: { label: '已完成', color: 'green' },
  failed: { label: '未完成', color: 'red' },
};
const busy = (s: Status) => s === 'queued' || s === 'running';
const when = (iso: string) => new Date(iso).toLocaleString('zh-CN', { hour12: false });
const windowText = (w: Run['window']) => `${w.from} 至 ${w.to}`;

/** The proposal in a line, so a run can be told from another. */
function describe(p: SimulationProposal): string {
  const parts = [`每消费 1 元得 ${p.pointsPerYuan} 积分`];
  parts.push(p.perOrderCap === null ? '单笔不设上限' : `单笔最多 ${p.perOrderCap} 积分`);
  parts.push(
    p.expiry.kind === 'days'
      ? `积分有效 ${p.expiry.days} 天`
      : `有效期：${POINTS_EXPIRY_LABELS[p.expiry.kind]}`,
  );
  parts.push(`签到一轮 ${p.checkinLadder.cycleDays} 天`);
  if (p.tierLadder) parts.push('调整了等级门槛');
  return parts.join('，');
}

/** The selected run from the address (#/rule-simulator?run=12), so a run can be opened again from a link. */
function runInAddress(): number | null {
  const id = Number(new URLSearchParams(location.hash.split('?')[1] ?? '').get('run'));
  return Number.isInteger(id) && id > 0 ? id : null;
}

/** "Apply this rule": owners only, confirmed, through the normal audited rule change. */
function ApplyBar({ run, onApplied }: { run: SimulationView; onApplied: () => void }) {
  const me = useStaffSession();
  const [applying, setApplying] = useState(false);
  if (run.appliedAt)
    return (
      <Alert
        type="success"
        showIcon
        data-testid="sim-applied"
        message={`这套规则已于 ${when(run.appliedAt)} 设为正式规则`}
        action={<a href="#/rules">查看积分规则</a>}
        style={{ marginBottom: 16 }}
      />
    );
  if (me.role !== 'owner')
    return (
      <Typography.Paragraph type="secondary">
        只有店长可以把模拟的规则设为正式规则。
      </Typography.Paragraph>
    );
  const apply = async () => {
    const ok = await confirmAsync({
      title: '把这套规则设为正式规则？',
      content:
        '积分规则、等级积分倍数、会员日积分倍数和签到阶梯将改为模拟时的设置，立即生效，并记入操作日志。之前已发放的积分不变。',
      okText: '应用',
    });
    if (!ok) return;
    setApplying(true);
    try {
      await call(routes.simulator.apply, { params: { id: run.id } });
      toast.success('新规则已生效');
      onApplied();
    } catch (err) {
      toast.error(message(err));
    } finally {
      setApplying(false);
    }
  };
  return (
    <Button type="primary" onClick={apply} loading={applying} style={{ marginBottom: 16 }}>
      应用此规则
    </Button>
  );
}

/** One run: progress while it runs (asked again every second), then the comparison. */
function RunCard({
  id,
  onSettled,
  onAdjust,
}: {
  id: number;
  onSettled: () => void;
  onAdjust: (run: Run) => void;
}) {
  const run = useLoad(() => call(routes.simulator.get, { params: { id } }), [id]);
  const status = run.data?.status;
  useEffect(() => {
    if (!status) return;
    if (!busy(status)) return onSettled();
    const timer = setTimeout(run.reload, 1000);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- ask again after each answer
  }, [run.data]);
  return (
    <Card
      title={run.data ? `模拟结果：${run.data.name}` : '模拟结果'}
      extra={
        run.data && (
          <Space>
            <Typography.Text type="secondary">{windowText(run.data.window)}</Typography.Text>
            <Tag color={STATUS[run.data.status].color}>{STATUS[run.data.status].label}</Tag>
          </Space>
        )
      }
      data-testid="sim-run"
    >
      <Loadable state={run}>
        {(r) => (
          <>
            <Typography.Paragraph>{describe(r.proposal)}</Typography.Paragraph>
            {busy(r.status) && (
              <div data-testid="sim-progress">
                <Progress percent={r.progress} status="active" />
                <Typography.Text type="secondary">
                  正在按新规则重新计算这段时间的积分，可以先离开此页，稍后在「以往的模拟」里找到它。
                </Typography.Text>
              </div>
            )}
            {r.status === 'failed' && (
              <Alert
                type="error"
                showIcon
                message="这次模拟没有完成"
                description={r.error ?? '请稍后再试一次'}
              />
            )}
            {r.status === 'done' && r.result && (
              <>
                <Space wrap>
                  <ApplyBar run={r} onApplied={run.reload} />
                  <Button onClick={() => onAdjust(r)} style={{ marginBottom: 16 }}>
                    在此方案上调整
                  </Button>
                </Space>
                <SimulationResultView result={r.result} />
              </>
            )}
          </>
        )}
      </Loadable>
    </Card>
  );
}

type Summary = Omit<SimulationView, 'result'>;

function RunList({
  runs,
  selected,
  onOpen,
}: {
  runs: ReturnType<typeof useLoad<{ items: Summary[] }>>;
  selected: number | null;
  onOpen: (id: number) => void;
}) {
  return (
    <Card title="以往的模拟">
      <Loadable state={runs} empty={(d) => d.items.length === 0}>
        {(data) => (
          <Table<Summary>
            size="small"
            rowKey="id"
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            dataSource={data.items}
            rowClassName={(r) => (r.id === selected ? 'ant-table-row-selected' : '')}
            columns={[
              { title: '名称', dataIndex: 'name' },
              { title: '回放时间段', render: (_: unknown, r) => windowText(r.window) },
              { title: '每元积分', render: (_: unknown, r) => r.proposal.pointsPerYuan },
              {
                title: '状态',
                render: (_: unknown, r) => (
                  <Space size={4}>
                    <Tag color={STATUS[r.status].color}>{STATUS[r.status].label}</Tag>
                    {r.appliedAt && <Tag color="orange">已应用</Tag>}
                  </Space>
                ),
              },
              { title: '发起人', render: (_: unknown, r) => r.createdBy?.name ?? '—' },
              { title: '发起时间', render: (_: unknown, r) => when(r.createdAt) },
              {
                title: '',
                render: (_: unknown, r) => (
                  <Button size="small" onClick={() => onOpen(r.id)}>
                    查看
                  </Button>
                ),
              },
            ]}
          />
        )}
      </Loadable>
    </Card>
  );
}

/**
 * 规则模拟: staff describe a proposed rule set with the rule pages' own fields, replay a window of real history
 * under it, compare, and (owners) apply it.
 */
export function RuleSimulatorPage() {
  const runs = useLoad(() => call(routes.simulator.list));
  const [selected, setSelected] = useState<number | null>(runInAddress);
  const [preset, setPreset] = useState<Run | null>(null);
  const top = useRef<HTMLDivElement>(null);
  const runRef = useRef<HTMLDivElement>(null);
  const open = (id: number) => {
    setSelected(id);
    history.replaceState(null, '', `#/rule-simulator?run=${id}`);
    setTimeout(() => runRef.current?.scrollIntoView({ behavior: 'smooth' }), 50);
  };
  const start = async (body: StartBody) => {
    try {
      const run = await call(routes.simulator.start, { body });
      toast.success('已开始模拟');
      runs.reload();
      open(run.id);
    } catch (err) {
      toast.error(message(err));
    }
  };
  return (
    <Row gutter={[16, 16]}>
      <Col span={24} ref={top}>
        <Card title="规则模拟">
          <Typography.Paragraph type="secondary">
            改规则之前先算一算：按下面的新规则，把一段时间里真实的订单、退款和签到重新算一遍，看看会多发或少发多少积分、花多少钱、哪些会员受影响最大。模拟不会改动任何会员的积分。
          </Typography.Paragraph>
          <ProposalForm preset={preset} onStart={start} />
        </Card>
      </Col>
      {selected !== null && (
        <Col span={24} ref={runRef}>
          <RunCard
            id={selected}
            onSettled={runs.reload}
            onAdjust={(run) => {
              setPreset(run);
              top.current?.scrollIntoView({ behavior: 'smooth' });
            }}
          />
        </Col>
      )}
      <Col span={24}>
        <RunList runs={runs} selected={selected} onOpen={open} />
      </Col>
    </Row>
  );
}
