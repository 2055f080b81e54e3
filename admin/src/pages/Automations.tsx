import { Button, Card, List, Table, Tag, message as toast } from 'antd';
import { routes, type PLAYBOOK_CODES } from '@huoyue/shared';
import { call, message } from '../api';
import { Loadable, useLoad } from '../components/Loadable';

const percent = (v: number) => `${(v * 100).toFixed(1)}%`;

export function AutomationsPage() {
  const list = useLoad(async () => {
    const { items } = await call(routes.campaigns.list);
    return Promise.all(items.map(async (a) => ({ ...a, report: await call(routes.campaigns.report, { params: { id: a.id } }) })));
  });
  const playbooks = useLoad(() => call(routes.campaigns.playbooks));
  const install = async (code: (typeof PLAYBOOK_CODES)[number]) => {
    try {
      await call(routes.campaigns.installPlaybook, { params: { code }, body: {} });
      toast.success('已安装');
      list.reload();
      playbooks.reload();
    } catch (err) {
      toast.error(message(err));
    }
  };
  return (
    <>
      <Card title="自动化营销" style={{ marginBottom: 16 }}>
        <Loadable state={list} empty={(d) => d.length === 0}>
          {(items) => (
            <Table rowKey="id" dataSource={items} pagination={false}
              columns={[
                { title: '名称', dataIndex: 'name' },
                { title: '状态', render: (_: unknown, a) => (a.active ? <Tag color="green">运行中</Tag> : <Tag>已停用</Tag>) },
                { title: '进入（实验/对照）', render: (_: unknown, a) => `${a.report.treatment.qualified} / ${a.report.control.qualified}` },
                { title: '已发送', render: (_: unknown, a) => a.report.treatment.sent },
                { title: '打开', render: (_: unknown, a) => a.report.treatment.opened },
                { title: '转化率（实验/对照）', render: (_: unknown, a) => `${percent(a.report.treatment.conversionRate)} / ${percent(a.report.control.conversionRate)}` },
                { title: '提升（95% 区间）', render: (_: unknown, a) => (a.report.uplift ? `${percent(a.report.uplift.absolute)}（${percent(a.report.uplift.low)} ~ ${percent(a.report.uplift.high)}）` : '样本不足') },
              ]} />
          )}
        </Loadable>
      </Card>
      <Card title="现成方案">
        <Loadable state={playbooks}>
          {(data) => (
            <List dataSource={data.items} renderItem={(p) => (
              <List.Item actions={[p.installedAutomationId ? <Tag key="i">已安装</Tag> : <Button key="b" size="small" onClick={() => install(p.code)}>安装</Button>]}>
                <List.Item.Meta title={`${p.name}（${p.audience}）`} description={p.description} />
              </List.Item>
            )} />
          )}
        </Loadable>
      </Card>
    </>
  );
}
