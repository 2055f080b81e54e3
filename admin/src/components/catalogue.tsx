import { Button, Modal, Popconfirm, Segmented, Space, message as toast } from 'antd';
import { ApiError, routes } from '@huoyue/shared';
import { call, message } from '../api';
import { useLoad } from './Loadable';

/** 全部 / 上架中 / 已下架: the lists staff filter so what they took off sale can be found again. */
export type StatusFilterValue = 'all' | 'active' | 'inactive';

export function StatusFilter({
  value,
  onChange,
}: {
  value: StatusFilterValue;
  onChange: (v: StatusFilterValue) => void;
}) {
  return (
    <Segmented<StatusFilterValue>
      value={value}
      onChange={onChange}
      options={[
        { value: 'all', label: '全部' },
        { value: 'active', label: '上架中' },
        { value: 'inactive', label: '已下架' },
      ]}
    />
  );
}

export const statusQuery = (v: StatusFilterValue) => (v === 'all' ? {} : { status: v });

/** The brand's stores, for 适用门店 pickers and the desk (name shown, code sent). */
export function useStores() {
  const stores = useLoad(() => call(routes.staff.listStores));
  const items = stores.data?.items ?? [];
  return {
    loading: stores.loading,
    options: items.map((s) => ({ value: s.code, label: s.name })),
    name: (code: string) => items.find((s) => s.code === code)?.name ?? code,
  };
}

/** Yuan as staff type it (two decimals) ↔ fen as the server stores it. */
export const toFen = (yuan: number | null | undefined) => Math.round((yuan ?? 0) * 100);
export const toYuan = (fen: number) => fen / 100;

/**
 * 编辑 · 下架/上架 · 删除 for one row, each confirmed. A delete the server refuses because something depends on it
 * (409 IN_USE) shows the reason and offers 下架 instead.
 */
export function RowActions({
  active,
  name,
  onEdit,
  setActive,
  remove,
  after,
}: {
  active: boolean;
  name: string;
  onEdit: () => void;
  setActive: (active: boolean) => Promise<unknown>;
  remove: () => Promise<unknown>;
  after: () => void;
}) {
  const toggle = async () => {
    try {
      await setActive(!active);
      void toast.success(active ? `「${name}」已下架` : `「${name}」已上架`);
      after();
    } catch (err) {
      void toast.error(message(err));
    }
  };
  const del = async () => {
    try {
      await remove();
      void toast.success(`「${name}」已删除`);
      after();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'IN_USE' && active) {
        Modal.confirm({
          title: '不能删除',
          content: err.message,
          okText: '改为下架',
          cancelText: '取消',
          onOk: toggle,
        });
      } else if (err instanceof ApiError && err.code === 'IN_USE') {
        Modal.info({ title: '不能删除', content: err.message, okText: '知道了' });
      } else void toast.error(message(err));
    }
  };
  return (
    <Space size={0} wrap>
      <Button type="link" size="small" onClick={onEdit}>
        编辑
      </Button>
      <Popconfirm
        title={active ? `下架「${name}」？` : `上架「${name}」？`}
        description={
          active
            ? '下架后会员端看不到，也不能再领取或兑换；已发出的券仍可使用。'
            : '上架后会员端可以看到。'
        }
        okText={active ? '下架' : '上架'}
        cancelText="取消"
        onConfirm={toggle}
      >
        <Button type="link" size="small">
          {active ? '下架' : '上架'}
        </Button>
      </Popconfirm>
      <Popconfirm
        title={`删除「${name}」？`}
        description="删除后无法恢复。"
        okText="删除"
        okButtonProps={{ danger: true }}
        cancelText="取消"
        onConfirm={del}
      >
        <Button type="link" size="small" danger>
          删除
        </Button>
      </Popconfirm>
    </Space>
  );
}
