import {
  Button,
  Card,
  DatePicker,
  Drawer,
  Input,
  Select,
  Space,
  Table,
  Tag,
  message as toast,
} from 'antd';
import {
  LIFECYCLE_STAGE_LABELS,
  LIFECYCLE_STAGES,
  MEMBER_LIST_STATUSES,
  MEMBER_STATUS_LABELS,
  routes,
  type MemberListFilter,
} from '@huoyue/shared';
import { useState } from 'react';
import { call, session } from '../api';
import { Loadable, useLoad } from '../components/Loadable';
import { useBrandTime } from '../session';
import { MemberDetail } from './MemberDetail';

const PAGE_SIZES = [10, 20, 50, 100];

/**
 * 会员: the whole member base, paged on the server (共 N 位会员), filtered by tier, stage, status, home store and
 * join dates, searched by card number, phone or its last four digits, or nickname; the filtered list exports as
 * CSV (all of it, not the page). A row opens the member.
 */
export function MembersPage() {
  const time = useBrandTime();
  const [filter, setFilter] = useState<MemberListFilter>({});
  const [paging, setPaging] = useState({ page: 1, limit: 20 });
  const [open, setOpen] = useState<number | null>(null);
  const [exporting, setExporting] = useState(false);
  const list = useLoad(
    () => call(routes.members.adminSearch, { query: { ...filter, ...paging } }),
    [filter, paging],
  );
  const options = useLoad(async () => {
    const [tiers, stores] = await Promise.all([
      call(routes.points.listTiers),
      call(routes.staff.listStores),
    ]);
    return { tiers: tiers.items, stores: stores.items };
  });
  const change = (next: Partial<MemberListFilter>) => {
    setFilter((f) => ({ ...f, ...next }));
    setPaging((p) => ({ ...p, page: 1 }));
  };
  const download = async () => {
    setExporting(true);
    try {
      const params = new URLSearchParams(
        Object.entries(filter).filter((e): e is [string, string] => Boolean(e[1])),
      );
      const res = await fetch(`/api/admin/members/export?${params.toString()}`, {
        headers: { authorization: `Bearer ${session.token()}` },
      });
      if (!res.ok) {
        void toast.error('导出失败，请稍后再试');
        return;
      }
      const url = URL.createObjectURL(await res.blob());
      Object.assign(document.createElement('a'), { href: url, download: '会员名单.csv' }).click();
      URL.revokeObjectURL(url);
      void toast.success('已导出筛选出的全部会员');
    } finally {
      setExporting(false);
    }
  };
  return (
    <Card title="会员">
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          placeholder="卡号、手机号、手机尾号后 4 位或昵称"
          allowClear
          enterButton="搜索"
          onSearch={(query) => change({ query: query.trim() || undefined })}
          style={{ width: 360 }}
        />
        <Select
          allowClear
          placeholder="会员等级"
          aria-label="会员等级"
          style={{ width: 130 }}
          options={options.data?.tiers.map((t) => ({ value: t.code, label: t.name }))}
          onChange={(tier?: string) => change({ tier })}
        />
        <Select
          allowClear
          placeholder="生命周期阶段"
          aria-label="生命周期阶段"
          style={{ width: 140 }}
          options={LIFECYCLE_STAGES.map((s) => ({ value: s, label: LIFECYCLE_STAGE_LABELS[s] }))}
          onChange={(stage?: MemberListFilter['stage']) => change({ stage })}
        />
        <Select
          allowClear
          placeholder="状态：会员与访客"
          aria-label="状态"
          style={{ width: 160 }}
          options={MEMBER_LIST_STATUSES.map((s) => ({ value: s, label: MEMBER_STATUS_LABELS[s] }))}
          onChange={(status?: MemberListFilter['status']) => change({ status })}
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder="归属门店"
          aria-label="归属门店"
          style={{ width: 170 }}
          options={options.data?.stores.map((s) => ({ value: s.code, label: s.name }))}
          onChange={(storeCode?: string) => change({ storeCode })}
        />
        <DatePicker.RangePicker
          placeholder={['入会开始日期', '入会结束日期']}
          onChange={(_, [from, to]) =>
            change({ joinedFrom: from || undefined, joinedTo: to || undefined })
          }
        />
        <Button onClick={download} loading={exporting} disabled={!list.data?.total}>
          导出 CSV
        </Button>
      </Space>
      <Loadable state={list}>
        {(data) => (
          <Table
            rowKey="id"
            loading={list.loading}
            dataSource={data.items}
            locale={{ emptyText: '没有符合条件的会员' }}
            onRow={(m) => ({ onClick: () => setOpen(m.id), style: { cursor: 'pointer' } })}
            pagination={{
              current: paging.page,
              pageSize: paging.limit,
              total: data.total,
              showSizeChanger: true,
              pageSizeOptions: PAGE_SIZES,
              showTotal: (total) => `共 ${total.toLocaleString('zh-CN')} 位会员`,
              onChange: (page, limit) => setPaging({ page, limit }),
            }}
            columns={[
              { title: '卡号', render: (_: unknown, m) => m.cardNo ?? '未开卡' },
              { title: '昵称', render: (_: unknown, m) => m.nickname ?? '—' },
              { title: '手机', render: (_: unknown, m) => m.phoneMasked ?? '—' },
              { title: '等级', render: (_: unknown, m) => m.tier?.name ?? '—' },
              { title: '状态', render: (_: unknown, m) => MEMBER_STATUS_LABELS[m.status] },
              {
                title: '阶段',
                render: (_: unknown, m) => <Tag>{LIFECYCLE_STAGE_LABELS[m.stage]}</Tag>,
              },
              { title: '积分', render: (_: unknown, m) => m.points.toLocaleString('zh-CN') },
              { title: '归属门店', render: (_: unknown, m) => m.homeStore?.name ?? '—' },
              { title: '入会时间', render: (_: unknown, m) => time(m.joinedAt) },
            ]}
          />
        )}
      </Loadable>
      <Drawer
        open={open !== null}
        width={720}
        title="会员详情"
        onClose={() => setOpen(null)}
        destroyOnHidden
      >
        {open !== null && <MemberDetail id={open} onChanged={list.reload} />}
      </Drawer>
    </Card>
  );
}
