import { Segmented, Select, type SelectProps } from 'antd';
import {
  LIFECYCLE_STAGE_LABELS,
  LIFECYCLE_STAGES,
  RFM_SEGMENT_LABELS,
  RFM_SEGMENTS,
  routes,
  type RouteOutput,
} from '@huoyue/shared';
import { call } from '../api';
import { useLoad } from './Loadable';

/**
 * Pickers fetched from the API, so staff choose what exists by its name and never type an id or a code. Each
 * shows its loading state and searches by name.
 */
type Picker<V> = Omit<SelectProps<V>, 'options' | 'loading'>;

const searchable = {
  showSearch: { optionFilterProp: 'label' },
  allowClear: true,
} as const;

/** The tier ladder by name (value: the tier's code). */
export function TierSelect(props: Picker<string[]>) {
  const tiers = useLoad(() => call(routes.points.listTiers));
  return (
    <Select<string[]>
      mode="multiple"
      placeholder="全部等级"
      {...searchable}
      {...props}
      loading={tiers.loading}
      options={(tiers.data?.items ?? []).map((t) => ({ value: t.code, label: t.name }))}
    />
  );
}

/** Tier names for codes (lists show names, never codes). */
export function useTierNames(): (codes: string[]) => string[] {
  const tiers = useLoad(() => call(routes.points.listTiers));
  return (codes) =>
    codes.map((c) => tiers.data?.items.find((t) => t.code === c)?.name ?? '已删除的等级');
}

export function StageSelect(props: Picker<string[]>) {
  return (
    <Select<string[]>
      mode="multiple"
      placeholder="全部阶段"
      {...searchable}
      {...props}
      options={LIFECYCLE_STAGES.map((s) => ({ value: s, label: LIFECYCLE_STAGE_LABELS[s] }))}
    />
  );
}

export function SegmentSelect(props: Picker<string[]>) {
  return (
    <Select<string[]>
      mode="multiple"
      placeholder="全部分群"
      {...searchable}
      {...props}
      options={RFM_SEGMENTS.map((s) => ({ value: s, label: RFM_SEGMENT_LABELS[s] }))}
    />
  );
}

export type CouponTemplate = RouteOutput<typeof routes.coupons.listTemplates>['items'][number];

/** Coupon templates by name, with their face value; `only` narrows the list (e.g. those open to direct issue). */
export function CouponSelect<V extends number | number[]>(
  props: Picker<V> & { only?: (t: CouponTemplate) => boolean },
) {
  const { only, ...rest } = props;
  const templates = useLoad(() => call(routes.coupons.listTemplates));
  const items = (templates.data?.items ?? []).filter((t) => t.active && (!only || only(t)));
  return (
    <Select<V>
      placeholder="选择优惠券"
      notFoundContent="没有可选的优惠券"
      {...searchable}
      {...rest}
      loading={templates.loading}
      options={items.map((t) => ({ value: t.id, label: `${t.name}（${couponFace(t)}）` }))}
    />
  );
}

/** "满 100 减 20", "8 折", "赠 中杯咖啡", "包邮". */
export function couponFace(t: Pick<CouponTemplate, 'kind' | 'value' | 'threshold' | 'giftName'>) {
  const over = t.threshold > 0 ? `满 ${t.threshold / 100} 元` : '无门槛';
  switch (t.kind) {
    case 'cash':
      return `${over}减 ${t.value / 100} 元`;
    case 'percent':
      return `${over}打 ${(100 - t.value) / 10} 折`;
    case 'gift':
      return `赠 ${t.giftName ?? '礼品'}`;
    default:
      return '包邮';
  }
}

/** Mall items by name. */
export function MallItemSelect(props: Picker<number[]>) {
  const items = useLoad(() => call(routes.mall.listItems));
  return (
    <Select<number[]>
      mode="multiple"
      placeholder="选择商品"
      notFoundContent="积分商城还没有商品"
      {...searchable}
      {...props}
      loading={items.loading}
      options={(items.data?.items ?? []).map((i) => ({
        value: i.id,
        label: i.active ? i.name : `${i.name}（已下架）`,
      }))}
    />
  );
}

/** Message templates by name, in the order picked (the fallback order). */
export function MessageTemplateSelect(props: Picker<number[]>) {
  const templates = useLoad(() => call(routes.messaging.listTemplates));
  return (
    <Select<number[]>
      mode="multiple"
      placeholder="选择消息模板（按顺序降级）"
      {...searchable}
      {...props}
      loading={templates.loading}
      options={(templates.data?.items ?? []).map((t) => ({ value: t.id, label: t.name }))}
    />
  );
}

export type ActiveFilter = 'active' | 'inactive' | 'all';

/** 启用中 / 已停用 / 全部: switched-off things stay findable. */
export function ActiveFilterSwitch({
  value,
  onChange,
  labels = ['启用中', '已停用'],
}: {
  value: ActiveFilter;
  onChange: (v: ActiveFilter) => void;
  labels?: [string, string];
}) {
  return (
    <Segmented<ActiveFilter>
      value={value}
      onChange={onChange}
      options={[
        { value: 'active', label: labels[0] },
        { value: 'inactive', label: labels[1] },
        { value: 'all', label: '全部' },
      ]}
    />
  );
}

export function byActive<T extends { active: boolean }>(items: T[], filter: ActiveFilter): T[] {
  if (filter === 'all') return items;
  return items.filter((i) => i.active === (filter === 'active'));
}
