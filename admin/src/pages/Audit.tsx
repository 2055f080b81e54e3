import { Button, Card, Select, Space, Table, Typography } from 'antd';
import {
  AUDIT_ENTITY_LABELS,
  auditActionLabel,
  auditChanges,
  auditEntityLabel,
  routes,
  type AuditChange,
  type AuditValueOptions,
  type RouteOutput,
} from '@huoyue/shared';
import { useMemo, useState } from 'react';
import { call } from '../api';
import { downloadCsv } from '../components/csv';
import { Loadable, useLoad } from '../components/Loadable';
import { useBrandTime } from '../session';

type Entry = RouteOutput<typeof routes.staff.audit>['items'][number];

/** The entity kinds staff filter the log by (one per Chinese name). */
const ENTITY_FILTERS = [
  'staff',
  'store',
  'member',
  'setting',
  'coupon_template',
  'mall_item',
  'mall_redemption',
  'badge',
  'tier',
  'member_day',
  'automation',
  'message_template',
  'integration_key',
];

function changeLine(c: AuditChange): string {
  if (c.before === null) return `${c.field}：${c.after}`;
  if (c.after === null) return `${c.field}：${c.before}（已移除）`;
  return `${c.field}：${c.before} → ${c.after}`;
}

/**
 * Every staff write, newest first (owners only): who (by name), what (in words), on what, and each field that
 * changed as 字段：旧值 → 新值, with codes named (stores, tiers, roles) and times in the brand's zone.
 */
export function AuditPage() {
  const time = useBrandTime();
  const [entityType, setEntityType] = useState<string | undefined>();
  const [staffId, setStaffId] = useState<number | undefined>();
  const [more, setMore] = useState<{ items: Entry[]; cursor: string | null } | null>(null);
  const names = useLoad(async () => {
    const [staff, stores, tiers] = await Promise.all([
      call(routes.staff.list),
      call(routes.staff.listStores),
      call(routes.points.listTiers),
    ]);
    return {
      staff: staff.items,
      stores: new Map(stores.items.map((s) => [s.code, s.name])),
      tiers: new Map(tiers.items.map((t) => [t.code, t.name])),
    };
  });
  const list = useLoad(async () => {
    setMore(null);
    return call(routes.staff.audit, { query: { limit: 50, entityType, staffId } });
  }, [entityType, staffId]);
  const options = useMemo<AuditValueOptions>(
    () => ({
      formatInstant: time,
      nameOf: (field, value) => {
        if (field === 'storeCode' || field === 'usedStoreCode' || field === 'homeStoreCode')
          return names.data?.stores.get(value);
        if (field.startsWith('tier')) return names.data?.tiers.get(value);
        // A tier's code ("gold") reads as its name; a store's code is the brand's own and shows as it is.
        if (field === 'code') return names.data?.tiers.get(value);
        return undefined;
      },
    }),
    [names.data, time],
  );
  const who = (e: Entry) => {
    if (e.staffId === null)
      return e.staffUsername?.startsWith('integration:') ? '对接系统' : '系统';
    const s = names.data?.staff.find((x) => x.id === e.staffId);
    return s?.displayName ?? e.staffUsername ?? '员工';
  };
  const lines = (e: Entry) => auditChanges(e.before, e.after, options).map(changeLine);
  const more$ = async (cursor: string) => {
    const page = await call(routes.staff.audit, {
      query: { limit: 50, cursor, entityType, staffId },
    });
    setMore((m) => ({ items: [...(m?.items ?? []), ...page.items], cursor: page.nextCursor }));
  };
  const rows = [...(list.data?.items ?? []), ...(more?.items ?? [])];
  const cursor = more ? more.cursor : (list.data?.nextCursor ?? null);
  return (
    <Card
      title="操作日志"
      extra={
        <Button
          disabled={rows.length === 0}
          onClick={() =>
            downloadCsv(
              '操作日志.csv',
              ['时间', '操作人', '操作', '对象', '变更内容'],
              rows.map((e) => [
                time(e.at),
                who(e),
                auditActionLabel(e.action),
                auditEntityLabel(e.entityType, e.entityId),
                lines(e).join('；'),
              ]),
            )
          }
        >
          导出 CSV
        </Button>
      }
    >
      <Space style={{ marginBottom: 16 }} wrap>
        <Select
          allowClear
          placeholder="全部对象"
          aria-label="对象"
          style={{ width: 160 }}
          options={ENTITY_FILTERS.map((k) => ({ value: k, label: AUDIT_ENTITY_LABELS[k] }))}
          onChange={setEntityType}
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder="全部操作人"
          aria-label="操作人"
          style={{ width: 180 }}
          options={names.data?.staff.map((s) => ({
            value: s.id,
            label: s.displayName ?? s.username,
          }))}
          onChange={setStaffId}
        />
      </Space>
      <Loadable state={list}>
        {() => (
          <>
            <Table
              rowKey="id"
              size="small"
              dataSource={rows}
              pagination={false}
              locale={{ emptyText: '暂无操作记录' }}
              columns={[
                { title: '时间', width: 170, render: (_: unknown, e) => time(e.at) },
                { title: '操作人', width: 120, render: (_: unknown, e) => who(e) },
                {
                  title: '操作',
                  width: 170,
                  render: (_: unknown, e) => auditActionLabel(e.action),
                },
                {
                  title: '对象',
                  width: 140,
                  render: (_: unknown, e) => auditEntityLabel(e.entityType, e.entityId),
                },
                {
                  title: '变更内容',
                  render: (_: unknown, e) => <Changes lines={lines(e)} />,
                },
              ]}
            />
            {cursor && (
              <Button style={{ marginTop: 12 }} onClick={() => more$(cursor)}>
                加载更多
              </Button>
            )}
          </>
        )}
      </Loadable>
    </Card>
  );
}

/** The first lines of a change, the rest behind 展开. */
function Changes({ lines }: { lines: string[] }) {
  const [open, setOpen] = useState(false);
  if (lines.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  const shown = open ? lines : lines.slice(0, 4);
  return (
    <div style={{ fontSize: 12, lineHeight: 1.7 }}>
      {shown.map((l, i) => (
        <div key={i}>{l}</div>
      ))}
      {lines.length > 4 && (
        <Typography.Link onClick={() => setOpen(!open)}>
          {open ? '收起' : `展开其余 ${lines.length - 4} 项`}
        </Typography.Link>
      )}
    </div>
  );
}
