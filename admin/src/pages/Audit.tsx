import { Button, Card, Table } from 'antd';
import { routes } from '@huoyue/shared';
import { call } from '../api';
import { downloadCsv } from '../components/csv';
import { Loadable, useLoad } from '../components/Loadable';

/** Every staff write, newest first (owners only). */
export function AuditPage() {
  const list = useLoad(() => call(routes.staff.audit, { query: { limit: 100 } }));
  return (
    <Card
      title="操作日志"
      extra={
        <Button
          disabled={!list.data?.items.length}
          onClick={() =>
            downloadCsv(
              'audit-log.csv',
              ['时间', '操作人', '操作', '对象', '对象 ID', '变更后'],
              (list.data?.items ?? []).map((e) => [
                e.at,
                e.staffUsername,
                e.action,
                e.entityType,
                e.entityId,
                JSON.stringify(e.after),
              ]),
            )
          }
        >
          导出 CSV
        </Button>
      }
    >
      <Loadable state={list} empty={(d) => d.items.length === 0}>
        {(page) => (
          <Table
            rowKey="id"
            size="small"
            dataSource={page.items}
            pagination={{ pageSize: 20 }}
            columns={[
              { title: '时间', render: (_: unknown, e) => new Date(e.at).toLocaleString('zh-CN') },
              { title: '操作人', render: (_: unknown, e) => e.staffUsername ?? '系统' },
              { title: '操作', dataIndex: 'action' },
              {
                title: '对象',
                render: (_: unknown, e) => `${e.entityType}${e.entityId ? ` #${e.entityId}` : ''}`,
              },
              {
                title: '变更后',
                render: (_: unknown, e) => (
                  <code style={{ fontSize: 12 }}>{JSON.stringify(e.after)?.slice(0, 120)}</code>
                ),
              },
            ]}
          />
        )}
      </Loadable>
    </Card>
  );
}
