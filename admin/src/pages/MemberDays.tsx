import {
  Alert,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  message as toast,
} from 'antd';
import {
  LIFECYCLE_STAGE_LABELS,
  memberDayBody,
  routes,
  type LifecycleStage,
  type MemberDaySchedule,
  type RouteOutput,
} from '@huoyue/shared';
import { useState } from 'react';
import { call, message } from '../api';
import { MemberDayMultiplierItem } from '../components/BenefitFields';
import { Loadable, useLoad } from '../components/Loadable';
import { Occurrences } from '../components/MemberDayOccurrences';
import {
  ActiveFilterSwitch,
  byActive,
  CouponSelect,
  MallItemSelect,
  StageSelect,
  TierSelect,
  useTierNames,
  type ActiveFilter,
} from '../components/SelectPickers';
import { useSchemaSubmit } from '../components/useSchemaSubmit';

type MemberDay = RouteOutput<typeof routes.memberDays.list>['items'][number];

const WEEKDAYS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];
const MONTH_DAYS = Array.from({ length: 31 }, (_, i) => ({
  value: i + 1,
  label: i + 1 >= 29 ? `${i + 1} 日（小月取月末）` : `${i + 1} 日`,
}));
/** Quarter hours of the day, and 24:00 (the end of the day) for an end time. */
const TIMES = Array.from({ length: 96 }, (_, i) => {
  const t = `${String(Math.floor(i / 4)).padStart(2, '0')}:${String((i % 4) * 15).padStart(2, '0')}`;
  return { value: t, label: t };
});
const END_TIMES = [...TIMES.slice(1), { value: '24:00', label: '24:00（当天结束）' }];

function describe(s: MemberDaySchedule): string {
  if (s.kind === 'monthly') return `每月 ${s.day} 日`;
  if (s.kind === 'weekly') return `每${WEEKDAYS[s.weekday - 1]}`;
  const shown = s.dates.slice(0, 3).join('、');
  return s.dates.length > 3 ? `${shown} 等 ${s.dates.length} 天` : shown;
}

const allDay = (d: Pick<MemberDay, 'startTime' | 'endTime'>) =>
  d.startTime === '00:00' && d.endTime === '24:00';

function windowLabel(d: Pick<MemberDay, 'startTime' | 'endTime'>) {
  return allDay(d) ? '全天' : `${d.startTime}–${d.endTime}`;
}

interface FormValues {
  name: string;
  kind: 'monthly' | 'weekly' | 'dates';
  day: number;
  weekday: number;
  dates: string[];
  allDay: boolean;
  startTime: string;
  endTime: string;
  tiers: string[];
  stages: LifecycleStage[];
  pointsMultiplier: number;
  checkinBonusPoints: number;
  couponTemplateIds: number[];
  mallItemIds: number[];
}

const NEW_DAY: Partial<FormValues> = {
  kind: 'monthly',
  day: 8,
  weekday: 3,
  dates: [],
  allDay: true,
  startTime: '10:00',
  endTime: '22:00',
  tiers: [],
  stages: [],
  pointsMultiplier: 2,
  checkinBonusPoints: 0,
  couponTemplateIds: [],
  mallItemIds: [],
};

function valuesOf(d: MemberDay): Partial<FormValues> {
  return {
    name: d.name,
    kind: d.schedule.kind,
    day: d.schedule.kind === 'monthly' ? d.schedule.day : 8,
    weekday: d.schedule.kind === 'weekly' ? d.schedule.weekday : 3,
    dates: d.schedule.kind === 'dates' ? d.schedule.dates : [],
    allDay: allDay(d),
    startTime: d.startTime,
    endTime: d.endTime,
    tiers: d.audience.tiers,
    stages: d.audience.stages,
    ...d.benefits,
  };
}

function scheduleOf(v: FormValues): MemberDaySchedule {
  if (v.kind === 'monthly') return { kind: 'monthly', day: v.day };
  if (v.kind === 'weekly') return { kind: 'weekly', weekday: v.weekday };
  return { kind: 'dates', dates: [...(v.dates ?? [])].sort() };
}

function bodyOf(v: FormValues, active: boolean) {
  return {
    name: v.name,
    schedule: scheduleOf(v),
    startTime: v.allDay ? '00:00' : v.startTime,
    endTime: v.allDay ? '24:00' : v.endTime,
    audience: { tiers: v.tiers ?? [], stages: v.stages ?? [] },
    benefits: {
      pointsMultiplier: v.pointsMultiplier,
      checkinBonusPoints: v.checkinBonusPoints,
      couponTemplateIds: v.couponTemplateIds ?? [],
      mallItemIds: v.mallItemIds ?? [],
    },
    active,
  };
}

const today = () => new Date().toLocaleDateString('sv-SE');

/** Specific dates: a date picker adds one at a time, each shown as a tag that can be removed. */
function DatesField({
  value = [],
  onChange,
}: {
  value?: string[];
  onChange?: (v: string[]) => void;
}) {
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <DatePicker
        placeholder="点选日期添加"
        value={null}
        disabledDate={(d: { format: (f: string) => string }) => d.format('YYYY-MM-DD') < today()}
        onChange={(d: { format: (f: string) => string } | null) => {
          const day = d?.format('YYYY-MM-DD');
          if (day && !value.includes(day)) onChange?.([...value, day].sort());
        }}
      />
      <div data-testid="member-day-dates">
        {value.length === 0 ? (
          <Typography.Text type="secondary">还没有选择日期</Typography.Text>
        ) : (
          value.map((d) => (
            <Tag key={d} closable onClose={() => onChange?.(value.filter((x) => x !== d))}>
              {d}
            </Tag>
          ))
        )}
      </div>
    </Space>
  );
}

function MemberDayForm({
  editing,
  onClose,
  onSaved,
}: {
  editing: MemberDay | 'new';
  onClose: () => void;
  onSaved: () => void;
}) {
  const [form] = Form.useForm<FormValues>();
  const kind = Form.useWatch('kind', form);
  const wholeDay = Form.useWatch('allDay', form);
  const isNew = editing === 'new';
  const { error, submit: send } = useSchemaSubmit(
    memberDayBody,
    (body) =>
      isNew
        ? call(routes.memberDays.create, { body })
        : call(routes.memberDays.update, { params: { id: editing.id }, body }),
    () => {
      toast.success(isNew ? '会员日已创建' : '会员日已保存');
      onSaved();
    },
  );
  return (
    <Modal
      title={isNew ? '新建会员日' : `编辑「${editing.name}」`}
      open
      width={640}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="保存"
      cancelText="取消"
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => send(bodyOf(v, isNew ? true : editing.active))}
        initialValues={isNew ? NEW_DAY : valuesOf(editing)}
      >
        <Form.Item label="名称" name="name" rules={[{ required: true, message: '请输入名称' }]}>
          <Input placeholder="例如：金卡会员日" maxLength={40} />
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
            <Select options={MONTH_DAYS} />
          </Form.Item>
        )}
        {kind === 'weekly' && (
          <Form.Item label="星期" name="weekday">
            <Select options={WEEKDAYS.map((w, i) => ({ value: i + 1, label: w }))} />
          </Form.Item>
        )}
        {kind === 'dates' && (
          <Form.Item
            label="日期"
            name="dates"
            rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一天' }]}
          >
            <DatesField />
          </Form.Item>
        )}
        <Form.Item name="allDay" valuePropName="checked">
          <Checkbox>全天（00:00 至 24:00）</Checkbox>
        </Form.Item>
        {!wholeDay && (
          <Space size="large">
            <Form.Item label="开始时间" name="startTime">
              <Select options={TIMES} showSearch style={{ width: 140 }} />
            </Form.Item>
            <Form.Item label="结束时间" name="endTime">
              <Select options={END_TIMES} showSearch style={{ width: 180 }} />
            </Form.Item>
          </Space>
        )}
        <Form.Item label="活动对象：会员等级（不选为全部会员）" name="tiers">
          <TierSelect />
        </Form.Item>
        <Form.Item label="活动对象：生命周期阶段（不选为全部阶段）" name="stages">
          <StageSelect />
        </Form.Item>
        <Space size="large">
          <MemberDayMultiplierItem name="pointsMultiplier" />
          <Form.Item label="签到额外积分" name="checkinBonusPoints">
            <InputNumber min={0} max={10000} addonAfter="积分" />
          </Form.Item>
        </Space>
        <Form.Item label="专享优惠券（仅活动对象在会员日当天可领）" name="couponTemplateIds">
          <CouponSelect<number[]> mode="multiple" />
        </Form.Item>
        <Form.Item label="专享商品（仅活动对象在会员日当天可兑换）" name="mallItemIds">
          <MallItemSelect />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function MemberDaysPage() {
  const list = useLoad(() => call(routes.memberDays.list));
  const tierNames = useTierNames();
  const [filter, setFilter] = useState<ActiveFilter>('active');
  const [editing, setEditing] = useState<MemberDay | 'new' | null>(null);
  const [preview, setPreview] = useState<{
    name: string;
    items: { day: string; startsAt: string; endsAt: string }[];
  } | null>(null);
  const [occurrencesOf, setOccurrencesOf] = useState<{ id: number; name: string } | null>(null);

  const setActive = async (d: MemberDay, active: boolean) => {
    try {
      await call(routes.memberDays.setActive, { params: { id: d.id }, body: { active } });
      toast.success(active ? `已启用「${d.name}」` : `已停用「${d.name}」`);
      list.reload();
    } catch (err) {
      toast.error(message(err));
    }
  };
  const remove = async (d: MemberDay) => {
    try {
      await call(routes.memberDays.remove, { params: { id: d.id } });
      toast.success(`已删除「${d.name}」`);
      list.reload();
    } catch (err) {
      toast.error(message(err));
    }
  };
  const audience = (d: MemberDay) => {
    const who = [
      ...tierNames(d.audience.tiers),
      ...d.audience.stages.map((s) => LIFECYCLE_STAGE_LABELS[s]),
    ];
    return who.length ? who.join('、') : '全部会员';
  };

  return (
    <Card
      title="会员日"
      extra={
        <Space>
          <ActiveFilterSwitch value={filter} onChange={setFilter} />
          <Button type="primary" onClick={() => setEditing('new')}>
            新建会员日
          </Button>
        </Space>
      }
    >
      <Loadable state={list} empty={(d) => d.items.length === 0}>
        {(data) => (
          <Table
            rowKey="id"
            dataSource={byActive(data.items, filter)}
            pagination={false}
            locale={{ emptyText: filter === 'inactive' ? '没有已停用的会员日' : '暂无会员日' }}
            columns={[
              { title: '名称', dataIndex: 'name' },
              { title: '日期', render: (_: unknown, d) => describe(d.schedule) },
              { title: '时段', render: (_: unknown, d) => windowLabel(d) },
              { title: '活动对象', render: (_: unknown, d) => audience(d) },
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
                    {d.benefits.couponTemplateIds.length > 0 && (
                      <Tag>专享券 {d.benefits.couponTemplateIds.length} 种</Tag>
                    )}
                    {d.benefits.mallItemIds.length > 0 && (
                      <Tag>专享商品 {d.benefits.mallItemIds.length} 件</Tag>
                    )}
                  </>
                ),
              },
              {
                title: '状态',
                render: (_: unknown, d) =>
                  d.active ? <Tag color="green">启用中</Tag> : <Tag>已停用</Tag>,
              },
              {
                title: '操作',
                render: (_: unknown, d) => (
                  <Space wrap>
                    <Button size="small" onClick={() => setEditing(d)}>
                      编辑
                    </Button>
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
                    <Popconfirm
                      title={d.active ? `停用「${d.name}」？` : `启用「${d.name}」？`}
                      description={
                        d.active
                          ? '停用后不再排期，也不再发放积分倍数、签到奖励和专享权益。'
                          : '启用后从今天起重新排期。'
                      }
                      okText={d.active ? '停用' : '启用'}
                      cancelText="取消"
                      onConfirm={() => setActive(d, !d.active)}
                    >
                      <Button size="small">{d.active ? '停用' : '启用'}</Button>
                    </Popconfirm>
                    {!d.hasRun && (
                      <Popconfirm
                        title={`删除「${d.name}」？`}
                        description="它还没有举办过，删除后不可恢复。"
                        okText="删除"
                        okButtonProps={{ danger: true }}
                        cancelText="取消"
                        onConfirm={() => remove(d)}
                      >
                        <Button size="small" danger>
                          删除
                        </Button>
                      </Popconfirm>
                    )}
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Loadable>
      {editing !== null && (
        <MemberDayForm
          editing={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            list.reload();
          }}
        />
      )}
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
          locale={{ emptyText: '接下来没有日期' }}
          dataSource={preview?.items ?? []}
          columns={[
            { title: '日期', dataIndex: 'day' },
            {
              title: '时段',
              render: (_: unknown, o) =>
                `${new Date(o.startsAt).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false })}–${endClock(o)}`,
            },
          ]}
        />
      </Modal>
    </Card>
  );
}

/** The end as a wall-clock time; the next midnight is 24:00 of the day, not 00:00. */
function endClock(o: { day: string; endsAt: string }): string {
  const end = new Date(o.endsAt);
  const clock = end.toLocaleTimeString('zh-CN', {
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
  return clock === '00:00' && end.toLocaleDateString('sv-SE') !== o.day ? '24:00' : clock;
}
