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
  Radio,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
  message as toast,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import {
  COUPON_CHANNEL_LABELS,
  COUPON_CHANNELS,
  COUPON_KIND_LABELS,
  couponFaceLabel,
  couponTemplateInput,
  couponTemplatePatch,
  couponValidityLabel,
  LIFECYCLE_STAGE_LABELS,
  LIFECYCLE_STAGES,
  routes,
  type RouteOutput,
} from '@huoyue/shared';
import { useState } from 'react';
import { call } from '../api';
import {
  RowActions,
  StatusFilter,
  type StatusFilterValue,
  statusQuery,
  toFen,
  toYuan,
  useStores,
} from '../components/catalogue';
import { Loadable, useLoad } from '../components/Loadable';
import { useSchemaSubmit } from '../components/useSchemaSubmit';

type Template = RouteOutput<typeof routes.coupons.listTemplates>['items'][number];
type Kind = keyof typeof COUPON_KIND_LABELS;
type Channel = (typeof COUPON_CHANNELS)[number];

interface Values {
  name: string;
  description?: string;
  kind: Kind;
  valueYuan?: number;
  percent?: number;
  capYuan?: number | null;
  thresholdYuan?: number;
  giftName?: string;
  validityKind: 'days' | 'fixed';
  days?: number;
  range?: [Dayjs, Dayjs];
  totalQuantity?: number | null;
  perMemberLimit: number;
  channels: Channel[];
  stores: string[];
  tiers: string[];
  stages: (typeof LIFECYCLE_STAGES)[number][];
  active: boolean;
}

const CHANNEL_HELP: Record<Channel, string> = {
  center: '会员在领券中心自己领取',
  mall: '可在积分商城里作为商品兑换',
  issued: '由自动化营销、会员日等活动定向发给会员',
  reward: '作为签到、勋章等奖励发放',
};

export function CouponsPage() {
  const [status, setStatus] = useState<StatusFilterValue>('all');
  const list = useLoad(
    () => call(routes.coupons.listTemplates, { query: statusQuery(status) }),
    [status],
  );
  const stores = useStores();
  const [editing, setEditing] = useState<Template | 'new' | null>(null);
  return (
    <Card
      title="优惠券"
      extra={
        <Space>
          <StatusFilter value={status} onChange={setStatus} />
          <Button type="primary" onClick={() => setEditing('new')}>
            新建优惠券
          </Button>
        </Space>
      }
    >
      <Loadable state={list} empty={(d) => d.items.length === 0}>
        {(data) => (
          <Table
            rowKey="id"
            dataSource={data.items}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            columns={[
              {
                title: '名称',
                render: (_: unknown, t) => (
                  <>
                    <div>{t.name}</div>
                    {t.description && (
                      <Typography.Text type="secondary">{t.description}</Typography.Text>
                    )}
                  </>
                ),
              },
              { title: '类型', render: (_: unknown, t) => COUPON_KIND_LABELS[t.kind] },
              { title: '面额', render: (_: unknown, t) => couponFaceLabel(t) },
              {
                title: '发放渠道',
                render: (_: unknown, t) =>
                  t.channels.map((c) => <Tag key={c}>{COUPON_CHANNEL_LABELS[c]}</Tag>),
              },
              {
                title: '适用门店',
                render: (_: unknown, t) =>
                  t.stores.length === 0 ? '全部门店' : t.stores.map(stores.name).join('、'),
              },
              {
                title: '已发 / 总量',
                render: (_: unknown, t) => `${t.issued} / ${t.totalQuantity ?? '不限'}`,
              },
              { title: '有效期', render: (_: unknown, t) => couponValidityLabel(t.validity) },
              {
                title: '状态',
                render: (_: unknown, t) =>
                  t.active ? <Tag color="green">上架中</Tag> : <Tag>已下架</Tag>,
              },
              {
                title: '操作',
                render: (_: unknown, t) => (
                  <RowActions
                    active={t.active}
                    name={t.name}
                    onEdit={() => setEditing(t)}
                    setActive={(active) =>
                      call(routes.coupons.updateTemplate, {
                        params: { id: t.id },
                        body: { active },
                      })
                    }
                    remove={() => call(routes.coupons.deleteTemplate, { params: { id: t.id } })}
                    after={list.reload}
                  />
                ),
              },
            ]}
          />
        )}
      </Loadable>
      {editing && (
        <CouponForm
          template={editing === 'new' ? null : editing}
          storeOptions={stores.options}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            list.reload();
          }}
        />
      )}
    </Card>
  );
}

/** The template's values as the form holds them (yuan, dates as pickers' values). */
function formValues(t: Template | null): Partial<Values> {
  if (!t)
    return {
      kind: 'cash',
      validityKind: 'days',
      days: 30,
      perMemberLimit: 1,
      channels: ['center'],
      stores: [],
      tiers: [],
      stages: [],
      active: true,
    };
  return {
    name: t.name,
    description: t.description,
    kind: t.kind,
    valueYuan: t.kind === 'cash' ? toYuan(t.value) : undefined,
    percent: t.kind === 'percent' ? t.value : undefined,
    capYuan: t.cap === null ? null : toYuan(t.cap),
    thresholdYuan: toYuan(t.threshold),
    giftName: t.giftName ?? undefined,
    validityKind: t.validity.kind,
    days: t.validity.kind === 'days' ? t.validity.days : 30,
    range: t.validity.kind === 'fixed' ? [dayjs(t.validity.from), dayjs(t.validity.to)] : undefined,
    totalQuantity: t.totalQuantity,
    perMemberLimit: t.perMemberLimit,
    channels: t.channels,
    stores: t.stores,
    tiers: t.audience.tiers,
    stages: t.audience.stages,
    active: t.active,
  };
}

/** What the form sends: fen, percent, ISO instants (a fixed validity runs from the first day's start to the last day's end). */
function body(v: Values, template: Template | null) {
  // After issuing only the end may move: the start is sent back exactly as stored.
  const keptFrom =
    template && template.issued > 0 && template.validity.kind === 'fixed'
      ? template.validity.from
      : null;
  return {
    name: v.name,
    description: v.description ?? '',
    kind: v.kind,
    value: couponValue(v),
    threshold: toFen(v.thresholdYuan),
    cap: v.kind === 'percent' && v.capYuan ? toFen(v.capYuan) : null,
    giftName: v.kind === 'gift' ? (v.giftName ?? null) : null,
    validity:
      v.validityKind === 'fixed' && v.range
        ? {
            kind: 'fixed' as const,
            from: keptFrom ?? v.range[0].startOf('day').toISOString(),
            to: v.range[1].endOf('day').toISOString(),
          }
        : { kind: 'days' as const, days: v.days ?? 30 },
    totalQuantity: v.totalQuantity ?? null,
    perMemberLimit: v.perMemberLimit,
    audience: { tiers: v.tiers, stages: v.stages },
    channels: v.channels,
    stores: v.stores,
    active: v.active,
  };
}

function CouponForm({
  template,
  storeOptions,
  onClose,
  onSaved,
}: {
  template: Template | null;
  storeOptions: { value: string; label: string }[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  const validityKind = Form.useWatch('validityKind', form);
  const tiers = useLoad(() => call(routes.points.listTiers));
  const issued = template?.issued ?? 0;
  const locked = issued > 0;
  const lockedHelp = locked ? `已发放 ${issued} 张，会员手里的券不能变，此项不能修改` : undefined;
  const done = (text: string) => () => {
    void toast.success(text);
    onSaved();
  };
  const create = useSchemaSubmit(
    couponTemplateInput,
    (b) => call(routes.coupons.createTemplate, { body: b }),
    done('优惠券已创建'),
  );
  const update = useSchemaSubmit(
    couponTemplatePatch,
    (b) => call(routes.coupons.updateTemplate, { params: { id: template!.id }, body: b }),
    done('优惠券已保存'),
  );
  const { error } = template ? update : create;
  const submit = (v: Values) =>
    template ? update.submit(body(v, template)) : create.submit(body(v, null));
  return (
    <Modal
      title={template ? `编辑优惠券「${template.name}」` : '新建优惠券'}
      open
      width={640}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="保存"
      cancelText="取消"
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      {locked && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message={`已发放 ${issued} 张：类型、面额、门槛不能再修改；总量不能少于已发放数量；有效期只能延长。需要不同面额请下架后新建。`}
        />
      )}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={formValues(template)}>
        <Form.Item label="名称" name="name" rules={[{ required: true, message: '请输入名称' }]}>
          <Input maxLength={40} placeholder="如：满100减20" />
        </Form.Item>
        <Form.Item label="使用说明（会员可见）" name="description">
          <Input.TextArea maxLength={200} rows={2} placeholder="如：堂食、外带均可使用" />
        </Form.Item>
        <Form.Item label="类型" name="kind" extra={lockedHelp}>
          <Select
            disabled={locked}
            options={Object.entries(COUPON_KIND_LABELS).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        {kind === 'cash' && (
          <Form.Item
            label="减免金额"
            name="valueYuan"
            rules={[{ required: true, message: '请输入减免金额' }]}
          >
            <InputNumber min={0.01} precision={2} addonAfter="元" disabled={locked} />
          </Form.Item>
        )}
        {kind === 'percent' && (
          <Space size="large">
            <Form.Item label="减免百分比（20 即 8 折）" name="percent">
              <InputNumber min={1} max={99} addonAfter="%" disabled={locked} />
            </Form.Item>
            <Form.Item label="最多优惠（留空不限）" name="capYuan">
              <InputNumber min={0.01} precision={2} addonAfter="元" disabled={locked} />
            </Form.Item>
          </Space>
        )}
        {kind === 'gift' && (
          <Form.Item label="礼品名称" name="giftName">
            <Input maxLength={40} disabled={locked} />
          </Form.Item>
        )}
        <Form.Item label="使用门槛（0 为无门槛）" name="thresholdYuan">
          <InputNumber
            min={0}
            precision={2}
            addonBefore="满"
            addonAfter="元可用"
            disabled={locked}
          />
        </Form.Item>
        <Form.Item label="有效期" name="validityKind">
          <Radio.Group disabled={locked}>
            <Radio value="days">领取后若干天</Radio>
            <Radio value="fixed">固定日期</Radio>
          </Radio.Group>
        </Form.Item>
        {validityKind === 'fixed' ? (
          <Form.Item
            label="起止日期（含首尾两天）"
            name="range"
            rules={[{ required: true, message: '请选择起止日期' }]}
            extra={locked ? '已发放：只能延长结束日期' : undefined}
          >
            <DatePicker.RangePicker disabled={locked ? [true, false] : false} />
          </Form.Item>
        ) : (
          <Form.Item label="领取后有效天数" name="days">
            <InputNumber min={1} max={3650} addonAfter="天" disabled={locked} />
          </Form.Item>
        )}
        <Space size="large">
          <Form.Item label="发放总量（留空不限）" name="totalQuantity">
            <InputNumber min={Math.max(1, issued)} addonAfter="张" />
          </Form.Item>
          <Form.Item label="每人限领" name="perMemberLimit">
            <InputNumber min={1} max={1000} addonAfter="张" />
          </Form.Item>
        </Space>
        <Form.Item
          label="发放渠道"
          name="channels"
          rules={[{ required: true, message: '请至少选择一个发放渠道' }]}
        >
          <Checkbox.Group>
            <Space direction="vertical">
              {COUPON_CHANNELS.map((c) => (
                <Checkbox key={c} value={c}>
                  {COUPON_CHANNEL_LABELS[c]}
                  <Typography.Text type="secondary">（{CHANNEL_HELP[c]}）</Typography.Text>
                </Checkbox>
              ))}
            </Space>
          </Checkbox.Group>
        </Form.Item>
        <Form.Item label="适用门店（不选为全部门店）" name="stores">
          <Select
            mode="multiple"
            allowClear
            placeholder="全部门店"
            options={storeOptions}
            optionFilterProp="label"
          />
        </Form.Item>
        <Form.Item label="可领取的会员等级（不选为全部）" name="tiers">
          <Select
            mode="multiple"
            allowClear
            placeholder="全部等级"
            loading={tiers.loading}
            options={(tiers.data?.items ?? []).map((t) => ({ value: t.code, label: t.name }))}
            optionFilterProp="label"
          />
        </Form.Item>
        <Form.Item label="可领取的会员阶段（不选为全部）" name="stages">
          <Select
            mode="multiple"
            allowClear
            placeholder="全部阶段"
            options={LIFECYCLE_STAGES.map((s) => ({ value: s, label: LIFECYCLE_STAGE_LABELS[s] }))}
          />
        </Form.Item>
        <Form.Item label="上架" name="active" valuePropName="checked">
          <Switch checkedChildren="上架" unCheckedChildren="下架" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** What the server stores as the coupon's value: fen off for cash, percent off for a discount, nothing for a gift. */
function couponValue(v: Values): number {
  if (v.kind === 'cash') return toFen(v.valueYuan);
  if (v.kind === 'percent') return v.percent ?? 0;
  return 0;
}
