import { Button, Descriptions, Table, Tag, message as toast } from 'antd';
import { routes, type RouteOutput } from '@huoyue/shared';
import { useState } from 'react';
import { call, message } from '../api';
import { Loadable, useLoad } from './Loadable';

/** A member day's occurrences and each one's report (the member days page opens them in a dialog). */

const STATUS = { scheduled: '未开始', started: '进行中', ended: '已结束' } as const;

type Occurrence = RouteOutput<typeof routes.memberDays.occurrences>['items'][number];
type Report = RouteOutput<typeof routes.memberDays.report>;

/** Scheduled occurrences whose window opened already are under way (the job starts them within a minute). */
function statusOf(o: Occurrence): keyof typeof STATUS {
  if (o.status === 'scheduled' && Date.parse(o.startsAt) <= Date.now()) return 'started';
  return o.status;
}

function ReportTable({ report }: { report: Report }) {
  const rows = (
    [
      ['活跃会员（全部会员）', 'participants'],
      ['订单数', 'orders'],
      ['消费（元）', 'spend'],
      ['发放积分', 'pointsIssued'],
      ['领券', 'couponsClaimed'],
      ['用券', 'couponsUsed'],
    ] as const
  ).map(([label, key]) => ({
    label,
    value: key === 'spend' ? report.figures[key] / 100 : report.figures[key],
    baseline: key === 'spend' ? report.baseline[key] / 100 : report.baseline[key],
  }));
  return (
    <>
      <Descriptions size="small" bordered column={2} style={{ marginTop: 16 }}>
        <Descriptions.Item label="会员日参与人数（活动对象）">
          <span data-testid="member-day-participants">{report.audienceParticipants}</span>
        </Descriptions.Item>
        <Descriptions.Item label="日期">{report.day}</Descriptions.Item>
      </Descriptions>
      <Table
        size="small"
        rowKey="label"
        pagination={false}
        style={{ marginTop: 16 }}
        title={() =>
          `${report.day} 对比前四个同一星期几（${report.baselineDays.join('、')}）的平均`
        }
        dataSource={rows}
        columns={[
          { title: '指标', dataIndex: 'label' },
          { title: '本场', render: (_: unknown, r) => r.value.toLocaleString('zh-CN') },
          {
            title: '前四周平均',
            render: (_: unknown, r) =>
              r.baseline.toLocaleString('zh-CN', { maximumFractionDigits: 2 }),
          },
          {
            title: '变化',
            render: (_: unknown, r) =>
              r.baseline > 0 ? `${(((r.value - r.baseline) / r.baseline) * 100).toFixed(0)}%` : '—',
          },
        ]}
      />
    </>
  );
}

export function Occurrences({ id }: { id: number }) {
  const list = useLoad(() => call(routes.memberDays.occurrences, { params: { id } }), [id]);
  const [report, setReport] = useState<Report | null>(null);
  const open = (occurrenceId: number) =>
    call(routes.memberDays.report, { params: { id: occurrenceId } }).then(
      setReport,
      (err: unknown) => toast.error(message(err)),
    );
  return (
    <>
      <Loadable state={list} empty={(d) => d.items.length === 0}>
        {(data) => (
          <Table
            size="small"
            rowKey="id"
            pagination={{ pageSize: 6 }}
            dataSource={data.items}
            columns={[
              { title: '日期', dataIndex: 'day' },
              { title: '状态', render: (_: unknown, o) => <Tag>{STATUS[statusOf(o)]}</Tag> },
              {
                title: '',
                render: (_: unknown, o) =>
                  statusOf(o) === 'scheduled' ? null : (
                    <Button size="small" onClick={() => open(o.id)}>
                      报表
                    </Button>
                  ),
              },
            ]}
          />
        )}
      </Loadable>
      {report && <ReportTable report={report} />}
    </>
  );
}
