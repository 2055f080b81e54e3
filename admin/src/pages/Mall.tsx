import {
  Alert,
  Button,
  Card,
  DatePicker,
  Form,
  Image,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
  message as toast,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import {
  couponFaceLabel,
  couponValidityLabel,
  formatYuan,
  MALL_ITEM_KIND_LABELS,
  mallItemInput,
  routes,
  type RouteOutput,
} from '@huoyue/shared';
import { useState } from 'react';
import { call, message } from '../api';
import {
  RowActions,
  StatusFilter,
  type StatusFilterValue,
  statusQuery,
  toFen,
  toYuan,
  useStores,
} from '../components/catalogue';
import { ImageUpload, type PictureValue } from '../components/ImageUpload';
import { Loadable, useLoad } from '../components/Loadable';
import { useSchemaSubmit } from '../components/useSchemaSubmit';

type Item = RouteOutput<typeof routes.mall.listItems>['items'][number];
type Kind = keyof typeof MALL_ITEM_KIND_LABELS;

interface Values {
  name: string;
  kind: Kind;
  couponTemplateId?: number;
  pointsPrice: number;
  cashYuan?: number;
  stock: number;
  perMemberLimit: number;
  window?: [Dayjs | null, Dayjs | null] | null;
  tiers: string[];
  memberDayOnly: boolean;
  picture: PictureValue | null;
  description?: string;
  voucherDays: number;
  stores: string[];
  active: boolean;
}

export function MallPage() {
  const [status, setStatus] = useState<StatusFilterValue>('all');
  const items = useLoad(
    () => call(routes.mall.listItems, { query: statusQuery(status) }),
    [status],
  );
  const tiers = useLoad(() => call(routes.points.listTiers));
  const stores = useStores();
  const tierName = (code: string) => tiers.data?.items.find((t) => t.code === code)?.name ?? code;
  const [editing, setEditing] = useState<Item | 'new' | null>(null);
  const [stocking, setStocking] = useState<Item | null>(null);
  return (
    <Card
      title="积分商城"
      extra={
        <Space>
          <StatusFilter value={status} onChange={setStatus} />
          <Button type="primary" onClick={() => setEditing('new')}>
            新建商品
          </Button>
        </Space>
      }
    >
      <Loadable state={items} empty={(d) => d.items.length === 0}>
        {(data) => (
          <Table
            rowKey="id"
            dataSource={data.items}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            columns={[
              {
                title: '图片',
                width: 72,
                render: (_: unknown, i) =>
                  i.imageUrl ? (
                    <Image
                      src={i.imageUrl}
                      width={48}
                      height={48}
                      style={{ objectFit: 'cover' }}
                      alt={i.name}
                    />
                  ) : (
                    <Typography.Text type="secondary">无</Typography.Text>
                  ),
              },
              {
                title: '商品',
                render: (_: unknown, i) => (
                  <>
                    <div>{i.name}</div>
                    <Typography.Text type="secondary">
                      {MALL_ITEM_KIND_LABELS[i.kind]}
                    </Typography.Text>
                  </>
                ),
              },
              { title: '兑换得到', render: (_: unknown, i) => <Delivers item={i} /> },
              {
                title: '价格',
                render: (_: unknown, i) =>
                  `${i.pointsPrice} 积分${i.cashPrice > 0 ? ` + ${formatYuan(i.cashPrice)}` : ''}`,
              },
              {
                title: '库存',
                render: (_: unknown, i) => (
                  <Space>
                    <span data-testid="stock">{i.stock}</span>
                    <Button size="small" onClick={() => setStocking(i)}>
                      调整库存
                    </Button>
                  </Space>
                ),
              },
              { title: '已兑', dataIndex: 'redeemedCount' },
              {
                title: '限制',
                render: (_: unknown, i) => (
                  <>
                    {i.memberDayOnly && <Tag color="orange">会员日专享</Tag>}
                    {i.tiers.length > 0 && <Tag>{i.tiers.map(tierName).join('、')}</Tag>}
                  </>
                ),
              },
              {
                title: '状态',
                render: (_: unknown, i) =>
                  i.active ? <Tag color="green">上架中</Tag> : <Tag>已下架</Tag>,
              },
              {
                title: '操作',
                render: (_: unknown, i) => (
                  <RowActions
                    active={i.active}
                    name={i.name}
                    onEdit={() => setEditing(i)}
                    setActive={(active) =>
                      call(routes.mall.updateItem, { params: { id: i.id }, body: { active } })
                    }
                    remove={() => call(routes.mall.deleteItem, { params: { id: i.id } })}
                    after={items.reload}
                  />
                ),
              },
            ]}
          />
        )}
      </Loadable>
      {editing && (
        <ItemForm
          item={editing === 'new' ? null : editing}
          tierOptions={(tiers.data?.items ?? []).map((t) => ({ value: t.code, label: t.name }))}
          storeOptions={stores.options}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            items.reload();
          }}
        />
      )}
      {stocking && (
        <StockModal
          item={stocking}
          onClose={() => setStocking(null)}
          onSaved={() => {
            setStocking(null);
            items.reload();
          }}
        />
      )}
    </Card>
  );
}

/** What a redemption gives: the coupon (marked when it cannot be redeemed now), a voucher, or goods. */
function Delivers({ item }: { item: Item }) {
  if (item.kind === 'coupon') {
    return (
      <Space direction="vertical" size={0}>
        <span>
          {item.couponTemplate
            ? `${item.couponTemplate.name}（${item.couponTemplate.face}）`
            : '优惠券已删除'}
        </span>
        {item.unavailableReason && (
          <Tooltip title="修复前会员端不显示该商品">
            <Tag color="red">暂不可兑换：{item.unavailableReason}</Tag>
          </Tooltip>
        )}
      </Space>
    );
  }
  if (item.kind === 'virtual') return <span>兑换券（{item.voucherDays} 天内到店核销）</span>;
  return <span>实物，快递发货</span>;
}

function formValues(i: Item | null): Partial<Values> {
  if (!i)
    return {
      kind: 'coupon',
      pointsPrice: 100,
      stock: 10,
      perMemberLimit: 1,
      tiers: [],
      memberDayOnly: false,
      picture: null,
      voucherDays: 30,
      stores: [],
      active: true,
    };
  return {
    name: i.name,
    kind: i.kind,
    couponTemplateId: i.couponTemplateId ?? undefined,
    pointsPrice: i.pointsPrice,
    cashYuan: toYuan(i.cashPrice),
    stock: i.stock,
    perMemberLimit: i.perMemberLimit,
    window:
      i.availableFrom || i.availableTo
        ? [
            i.availableFrom ? dayjs(i.availableFrom) : null,
            i.availableTo ? dayjs(i.availableTo) : null,
          ]
        : null,
    tiers: i.tiers,
    memberDayOnly: i.memberDayOnly,
    picture: i.imageUrl ? { path: null, url: i.imageUrl } : null,
    description: i.description,
    voucherDays: i.voucherDays,
    stores: i.stores,
    active: i.active,
  };
}

function ItemForm({
  item,
  tierOptions,
  storeOptions,
  onClose,
  onSaved,
}: {
  item: Item | null;
  tierOptions: { value: string; label: string }[];
  storeOptions: { value: string; label: string }[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  const templates = useLoad(() =>
    call(routes.coupons.listTemplates, { query: { channel: 'mall', status: 'active' } }),
  );
  const done = (text: string) => () => {
    void toast.success(text);
    onSaved();
  };
  const create = useSchemaSubmit(
    mallItemInput,
    (b) => call(routes.mall.createItem, { body: b }),
    done('商品已创建'),
  );
  const update = useSchemaSubmit(
    mallItemInput,
    async (b) => {
      const { kind: _kind, stock: _stock, couponTemplateId, imageUrl, ...rest } = b;
      const picture = form.getFieldValue('picture') as PictureValue | null;
      // The picture is sent only when it changed (an unchanged one is shown from its served address).
      const pictureChanged = !picture || picture.path !== null;
      await call(routes.mall.updateItem, {
        params: { id: item!.id },
        body: {
          ...rest,
          ...(couponTemplateId ? { couponTemplateId } : {}),
          ...(pictureChanged ? { imageUrl } : {}),
        },
      });
    },
    done('商品已保存'),
  );
  const { error } = item ? update : create;
  const submit = (v: Values) => {
    const b = {
      name: v.name,
      kind: v.kind,
      couponTemplateId: v.kind === 'coupon' ? (v.couponTemplateId ?? null) : null,
      pointsPrice: v.pointsPrice,
      cashPrice: toFen(v.cashYuan),
      stock: v.stock,
      perMemberLimit: v.perMemberLimit,
      availableFrom: v.window?.[0]?.toISOString() ?? null,
      availableTo: v.window?.[1]?.toISOString() ?? null,
      tiers: v.tiers,
      memberDayOnly: v.memberDayOnly,
      imageUrl: v.picture?.path ?? null,
      description: v.description ?? '',
      voucherDays: v.voucherDays,
      stores: v.kind === 'virtual' ? v.stores : [],
      active: v.active,
    };
    return item ? update.submit(b) : create.submit(b);
  };
  const couponOptions = (templates.data?.items ?? []).map((t) => ({
    value: t.id,
    label: `${t.name} · ${couponFaceLabel(t)} · ${couponValidityLabel(t.validity)}`,
  }));
  // An item's current coupon may be off now: shown, marked, so staff see why and pick another.
  if (item?.couponTemplate && !couponOptions.some((o) => o.value === item.couponTemplate!.id))
    couponOptions.unshift({
      value: item.couponTemplate.id,
      label: `${item.couponTemplate.name}（${item.unavailableReason ?? '不可用'}）`,
    });
  return (
    <Modal
      title={item ? `编辑商品「${item.name}」` : '新建商品'}
      open
      width={640}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="保存"
      cancelText="取消"
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={formValues(item)}>
        <Form.Item label="名称" name="name" rules={[{ required: true, message: '请输入名称' }]}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item
          label="类型"
          name="kind"
          extra={item ? '商品类型创建后不能修改，需要其他类型请新建商品' : undefined}
        >
          <Select
            disabled={item !== null}
            options={[
              { value: 'coupon', label: '优惠券：兑换后放入会员券包' },
              { value: 'virtual', label: '虚拟商品：兑换后得到兑换券，到店出示核销' },
              { value: 'physical', label: '实物：填写收货地址，快递发货' },
            ]}
          />
        </Form.Item>
        {kind === 'coupon' && (
          <Form.Item
            label="兑换出的优惠券"
            name="couponTemplateId"
            rules={[{ required: true, message: '请选择兑换出的优惠券' }]}
          >
            <Select
              showSearch
              placeholder="搜索优惠券名称"
              optionFilterProp="label"
              loading={templates.loading}
              options={couponOptions}
              optionRender={(o) => {
                const t = templates.data?.items.find((x) => x.id === o.value);
                return t ? <CouponOption t={t} /> : o.label;
              }}
              notFoundContent={
                templates.loading
                  ? '加载中…'
                  : '没有可用于积分商城的优惠券：请先在「优惠券」页新建，并勾选「积分商城」渠道'
              }
            />
          </Form.Item>
        )}
        <Space size="large" wrap>
          <Form.Item label="积分价格" name="pointsPrice">
            <InputNumber min={0} addonAfter="积分" />
          </Form.Item>
          <Form.Item label="另加现金（积分 + 现金）" name="cashYuan">
            <InputNumber min={0} precision={2} addonAfter="元" />
          </Form.Item>
          {item ? (
            <Form.Item label="库存" extra="请在列表中点「调整库存」">
              <InputNumber value={item.stock} disabled addonAfter="件" />
            </Form.Item>
          ) : (
            <Form.Item label="库存" name="stock">
              <InputNumber min={0} addonAfter="件" />
            </Form.Item>
          )}
          <Form.Item label="每人限兑" name="perMemberLimit">
            <InputNumber min={1} max={1000} addonAfter="件" />
          </Form.Item>
        </Space>
        {kind === 'virtual' && (
          <Space size="large" wrap>
            <Form.Item label="兑换券有效期" name="voucherDays">
              <InputNumber min={1} max={3650} addonBefore="兑换后" addonAfter="天" />
            </Form.Item>
            <Form.Item label="可核销门店（不选为全部门店）" name="stores" style={{ minWidth: 280 }}>
              <Select
                mode="multiple"
                allowClear
                placeholder="全部门店"
                options={storeOptions}
                optionFilterProp="label"
              />
            </Form.Item>
          </Space>
        )}
        <Form.Item label="兑换时间（不选为一直可兑）" name="window">
          <DatePicker.RangePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            allowEmpty={[true, true]}
          />
        </Form.Item>
        <Form.Item label="可兑换的会员等级（不选为全部）" name="tiers">
          <Select
            mode="multiple"
            allowClear
            placeholder="全部等级"
            options={tierOptions}
            optionFilterProp="label"
          />
        </Form.Item>
        <Form.Item label="仅会员日可兑" name="memberDayOnly" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item label="商品图片" name="picture">
          <ImageUpload />
        </Form.Item>
        <Form.Item label="商品说明（会员可见）" name="description">
          <Input.TextArea maxLength={1000} rows={3} />
        </Form.Item>
        <Form.Item label="上架" name="active" valuePropName="checked">
          <Switch checkedChildren="上架" unCheckedChildren="下架" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type TemplateRow = RouteOutput<typeof routes.coupons.listTemplates>['items'][number];

/** A coupon in the picker: its name, face value and validity, so staff pick by what members get. */
function CouponOption({ t }: { t: TemplateRow }) {
  return (
    <Space direction="vertical" size={0} data-testid="coupon-option">
      <span>{t.name}</span>
      <Typography.Text type="secondary">
        {couponFaceLabel(t)} · {couponValidityLabel(t.validity)}
        {t.totalQuantity !== null ? ` · 剩余 ${t.totalQuantity - t.issued} 张` : ''}
      </Typography.Text>
    </Space>
  );
}

/** Stock by any amount: 补货 adds, 减少 takes away at most what is unsold; never below zero; audited. */
function StockModal({
  item,
  onClose,
  onSaved,
}: {
  item: Item;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [amount, setAmount] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const move = async (sign: 1 | -1) => {
    if (!amount) return void toast.warning('请输入数量');
    setBusy(true);
    try {
      const after = await call(routes.mall.updateItem, {
        params: { id: item.id },
        body: { stockDelta: sign * amount },
      });
      void toast.success(
        `${sign > 0 ? '已补货' : '已减少'} ${amount} 件，当前库存 ${after.stock} 件`,
      );
      setAmount(null);
      onSaved();
    } catch (err) {
      void toast.error(message(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={`调整库存「${item.name}」`} open onCancel={onClose} footer={null} destroyOnHidden>
      <p>
        当前库存（未兑出）：<b>{item.stock}</b> 件，已兑出 {item.redeemedCount} 笔
      </p>
      <Space>
        <InputNumber
          min={1}
          max={10_000_000}
          precision={0}
          value={amount}
          onChange={(v) => setAmount(v)}
          addonAfter="件"
          placeholder="数量"
          aria-label="调整数量"
        />
        <Button type="primary" loading={busy} onClick={() => void move(1)}>
          补货
        </Button>
        <Button loading={busy} disabled={item.stock === 0} onClick={() => void move(-1)}>
          减少库存
        </Button>
      </Space>
      <p style={{ marginTop: 12, color: '#888' }}>
        减少库存最多减到 0，已兑出的不受影响；每次调整都会记入操作日志。
      </p>
    </Modal>
  );
}
