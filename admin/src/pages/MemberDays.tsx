import {
  Alert,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  TimePicker,
  message as toast,
} from 'antd';
import { memberDayBody, routes, type MemberDaySchedule } from '@huoyue/shared';
import { useState } from 'react';
import { call, message } from '../api';
import { Loadable, useLoad } from '../components/Loadable';
import { useSchemaSubmit } from '../components/useSchemaSubmit';

const WEEKDAYS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];

function describe(s: MemberDaySchedule): string {
  if (s.kind === 'monthly') return `每月 ${s.day} 日`;
  if (s.kind === 'weekly') return `每${WEEKDAYS[s.weekday - 1]}`;
  return s.dates.join('、');
}

interface FormValues {
  name: string;
  kind: 'monthly' | 'weekly' | 'dates';
  day?: number;
  weekday?: number;
  dates?: string;
  startTime: { format: (f: string) => string };
  endTime: { format: (f: string) => string };
  pointsMultiplier: number;
  checkinBonusPoints: number;
}

const STATUS = { scheduled: '未开始', started: '进行中', ended: '已结束' } as const;

function Occurrences({ id }: { id: number }) {
  const list = useLoad(() => call(routes.memberDays.occurrences, { params: { id } }), [id]);
  const [report, setReport] = useState<Awaited<ReturnType<typeof loadReport>> | null>(null);
  const loadReport = (occurrenceId: number) =>
    call(routes.memberDays.report, { params: { id: occurrenceId } });
  const rows = report
    ? (
        [
          ['参与人数', 'participants'],
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
      }))
    : [];
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
              { title: '状态', render: (_: unknown, o) => <Tag>{STATUS[o.status]}</Tag> },
              {
                title: '',
                render: (_: unknown, o) =>
                  o.status === 'scheduled' ? null : (
                    <Button
                      size="small"
                      onClick={() =>
                        loadReport(o.id).then(setReport, (err: unknown) =>
                          toast.error(message(err)),
                        )
                      }
                    >
                      报表
                    </Button>
                  ),
              },
            ]}
          />
        )}
      </Loadable>
      {report && (
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
                r.baseline > 0
                  ? `${(((r.value - r.baseline) / r.baseline) * 100).toFixed(0)}%`
                  : '—',
            },
          ]}
        />
      )}
    </>
  );
}

export function MemberDaysPage() {
  const list = useLoad(() => call(routes.memberDays.list));
  const [creating, setCreating] = useState(false);
  const [preview, setPreview] = useState<{
    name: string;
    items: { day: string; startsAt: string; endsAt: string }[];
  } | null>(null);
  const [occurrencesOf, setOccurrencesOf] = useState<{ id: number; name: string } | null>(null);
  const [form] = Form.useForm<FormValues>();
  const kind = Form.useWatch('kind', form);

  const { error, submit: send } = useSchemaSubmit(
    memberDayBody,
    (body) => call(routes.memberDays.create, { body }),
    () => {
      setCreating(false);
      form.resetFields();
      list.reload();
    },
  );
  const submit = (v: FormValues) => {
    const schedule = scheduleOf(v);
    return send({
      name: v.name,
      schedule,
      startTime: v.startTime.format('HH:mm'),
      endTime: v.endTime.format('HH:mm'),
      benefits: { pointsMultiplier: v.pointsMultiplier, checkinBonusPoints: v.checkinBonusPoints },
    });
  };

  return (
    <Card
      title="会员日"
      extra={
        <Button type="primary" onClick={() => setCreating(true)}>
          新建会员日
        </Button>
      }
    >
      <Loadable state={list} empty={(d) => d.items.length === 0}>
        {(data) => (
          <Table
            rowKey="id"
            dataSource={data.items}
            pagination={false}
            columns={[
              { title: '名称', dataIndex: 'name' },
              { title: '日期', render: (_: unknown, d) => describe(d.schedule) },
              { title: '时段', render: (_: unknown, d) => `${d.startTime}–${d.endTime}` },
              {
                title: '权益',
                render: (_: unknown, d) => (
                  <>
                    {d.benefits.pointsMultiplier > 1 && (
                      <Tag color="orange">积分 {d.benefits.pointsMultiplier} 倍</Tag>
                    )}
                    {d.benefits.checkinBonusPoints > 0 && (
                      <Tag>签到 +{d.benefits.checkinBonusPoints}</Tag>
                    )}
                  </>
                ),
              },
              {
                title: '',
                render: (_: unknown, d) => (
                  <Space>
                    <Button
                      size="small"
                      onClick={() =>
                        call(routes.memberDays.preview, {
                          params: { id: d.id },
                          query: { count: 6 },
                        }).then(
                          ({ items }) => setPreview({ name: d.name, items }),
                          (err: unknown) => toast.error(message(err)),
                        )
                      }
                    >
                      预览
                    </Button>
                    <Button
                      size="small"
                      onClick={() => setOccurrencesOf({ id: d.id, name: d.name })}
                    >
                      场次与报表
                    </Button>
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Loadable>
      <Modal
        title="新建会员日"
        open={creating}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okText="保存"
        cancelText="取消"
        destroyOnHidden
      >
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{
            kind: 'monthly',
            day: 8,
            weekday: 3,
            pointsMultiplier: 2,
            checkinBonusPoints: 0,
          }}
        >
          <Form.Item label="名称" name="name" rules={[{ required: true, message: '请输入名称' }]}>
            <Input placeholder="例如：每月 8 号会员日" />
          </Form.Item>
          <Form.Item label="重复方式" name="kind">
            <Select
              options={[
                { value: 'monthly', label: '每月' },
                { value: 'weekly', label: '每周' },
                { value: 'dates', label: '指定日期' },
              ]}
            />
          </Form.Item>
          {kind === 'monthly' && (
            <Form.Item label="每月几号" name="day">
              <InputNumber min={1} max={31} />
            </Form.Item>
          )}
          {kind === 'weekly' && (
            <Form.Item label="星期" name="weekday">
              <Select options={WEEKDAYS.map((w, i) => ({ value: i + 1, label: w }))} />
            </Form.Item>
          )}
          {kind === 'dates' && (
            <Form.Item
              label="日期（YYYY-MM-DD，逗号分隔）"
              name="dates"
              rules={[{ required: true, message: '请输入日期' }]}
            >
              <Input />
            </Form.Item>
          )}
          <Form.Item
            label="开始时间"
            name="startTime"
            rules={[{ required: true, message: '请选择开始时间' }]}
          >
            <TimePicker format="HH:mm" />
          </Form.Item>
          <Form.Item
            label="结束时间"
            name="endTime"
            rules={[{ required: true, message: '请选择结束时间' }]}
          >
            <TimePicker format="HH:mm" />
          </Form.Item>
          <Form.Item label="消费积分倍数" name="pointsMultiplier">
            <InputNumber min={1} max={10} step={0.5} />
          </Form.Item>
          <Form.Item label="签到额外积分" name="checkinBonusPoints">
            <InputNumber min={0} max={10000} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        title={`${occurrencesOf?.name ?? ''}：场次`}
        width={820}
        open={occurrencesOf !== null}
        onCancel={() => setOccurrencesOf(null)}
        footer={null}
        destroyOnHidden
      >
        {occurrencesOf && <Occurrences id={occurrencesOf.id} />}
      </Modal>
      <Modal
        title={`${preview?.name ?? ''}：接下来的日期`}
        open={preview !== null}
        onCancel={() => setPreview(null)}
        footer={null}
      >
        <Table
          size="small"
          rowKey="day"
          pagination={false}
          dataSource={preview?.items ?? []}
          columns={[
            { title: '日期', dataIndex: 'day' },
            {
              title: '开始',
              render: (_: unknown, o) => new Date(o.startsAt).toLocaleString('zh-CN'),
            },
            {
              title: '结束',
              render: (_: unknown, o) => new Date(o.endsAt).toLocaleString('zh-CN'),
            },
          ]}
        />
      </Modal>
    </Card>
  );
}

function scheduleOf(v: FormValues) {
  if (v.kind === 'monthly') return { kind: 'monthly' as const, day: v.day ?? 1 };
  if (v.kind === 'weekly') return { kind: 'weekly' as const, weekday: v.weekday ?? 1 };
  return { kind: 'dates' as const, dates: (v.dates ?? '').split(/[,，\s]+/).filter(Boolean) };
}
