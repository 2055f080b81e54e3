import {
  Alert,
  Button,
  Card,
  Form,
  Input,
  message as toast,
  Modal,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { routes, type RouteOutput } from '@huoyue/shared';
import { call, message } from '../api';
import { confirmAsync } from '../components/confirm';
import { Loadable, useLoad } from '../components/Loadable';
import { useBrandTime } from '../session';

type Key = RouteOutput<typeof routes.system.listIntegrationKeys>['items'][number];
type Issued = RouteOutput<typeof routes.system.createIntegrationKey>;

/**
 * 对接密钥 (owners only): the keys POS and e-commerce systems sign their webhooks with. The secret is shown once,
 * when a key is made or rotated; the list shows only its last 4 characters. Rotating keeps the old secret valid
 * for an overlap window so the other system can switch without a gap; revoking stops the key at once.
 */
export function IntegrationKeysPage() {
  const time = useBrandTime();
  const list = useLoad(() => call(routes.system.listIntegrationKeys));
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState(false);
  const [issued, setIssuedState] = useState<{ title: string; key: Issued } | null>(null);
  const [showing, setShowing] = useState(false);
  const setIssued = (value: { title: string; key: Issued } | null) => {
    setIssuedState(value);
    setShowing(value !== null);
  };
  const [form] = Form.useForm<{ name: string }>();

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
      list.reload();
    } catch (err) {
      void toast.error(message(err));
    } finally {
      setBusy(false);
    }
  };

  const create = (values: { name: string }) =>
    run(async () => {
      const key = await call(routes.system.createIntegrationKey, { body: values });
      setCreating(false);
      form.resetFields();
      setIssued({ title: '密钥已创建', key });
    });

  const rotate = async (key: Key) => {
    const ok = await confirmAsync({
      title: `轮换「${key.name}」的密钥？`,
      content:
        '将生成新密钥；旧密钥在过渡期内（默认 24 小时）仍可使用，请在此期间把对接系统换成新密钥。',
      okText: '轮换',
    });
    if (!ok) return;
    await run(async () => {
      const rotated = await call(routes.system.rotateIntegrationKey, {
        params: { keyId: key.keyId },
        body: {},
      });
      setIssued({ title: '密钥已轮换', key: rotated });
    });
  };

  const revoke = async (key: Key) => {
    const ok = await confirmAsync({
      title: `吊销「${key.name}」？`,
      content: '吊销后，用该密钥（包括过渡期内的旧密钥）签名的请求会立即被拒绝，且无法恢复。',
      okText: '吊销',
      danger: true,
    });
    if (!ok) return;
    await run(async () => {
      await call(routes.system.revokeIntegrationKey, { params: { keyId: key.keyId } });
      void toast.success('已吊销');
    });
  };

  return (
    <Card
      title="对接密钥"
      extra={
        <Button type="primary" onClick={() => setCreating(true)}>
          新建密钥
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">
        收银系统、电商平台用对接密钥调用录入订单、退款等接口，每个请求都要用密钥签名（签名方法见对接文档）。
        密钥只在创建或轮换时显示一次；轮换后旧密钥在过渡期内仍可使用，吊销立即生效。
      </Typography.Paragraph>
      <Loadable state={list}>
        {(data) => (
          <Table<Key>
            rowKey="keyId"
            dataSource={data.items}
            pagination={false}
            locale={{ emptyText: '还没有对接密钥' }}
            columns={[
              { title: '名称', dataIndex: 'name' },
              { title: '密钥编号', dataIndex: 'keyId' },
              {
                title: '密钥尾号',
                dataIndex: 'secretHint',
                render: (hint: string | null) => (hint ? `••••${hint}` : '—'),
              },
              { title: '创建时间', dataIndex: 'createdAt', render: time },
              { title: '最近使用', dataIndex: 'lastUsedAt', render: time },
              {
                title: '状态',
                key: 'status',
                render: (_, k) => <KeyStatus k={k} time={time} />,
              },
              {
                title: '操作',
                key: 'actions',
                render: (_, k) =>
                  k.active ? (
                    <Space>
                      <Button size="small" disabled={busy} onClick={() => void rotate(k)}>
                        轮换
                      </Button>
                      <Button size="small" danger disabled={busy} onClick={() => void revoke(k)}>
                        吊销
                      </Button>
                    </Space>
                  ) : null,
              },
            ]}
          />
        )}
      </Loadable>
      <Modal
        title="新建对接密钥"
        open={creating}
        okText="创建"
        cancelText="取消"
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={() => setCreating(false)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => void create(v)}>
          <Form.Item
            label="名称"
            name="name"
            extra="写明是哪个系统在用，例如「门店收银系统」"
            rules={[{ required: true, whitespace: true, message: '请填写名称' }]}
          >
            <Input maxLength={64} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        title={issued?.title}
        open={issued !== null && showing}
        okText="我已保存"
        onOk={() => setShowing(false)}
        onCancel={() => setShowing(false)}
        // The secret leaves the page once the dialog has closed.
        afterClose={() => setIssued(null)}
        destroyOnHidden
        cancelButtonProps={{ style: { display: 'none' } }}
      >
        {issued && (
          <>
            <Alert
              type="warning"
              showIcon
              message="密钥只显示这一次，关闭后无法再查看，请立即复制并保存到对接系统。"
              style={{ marginBottom: 16 }}
            />
            <Typography.Paragraph>密钥编号：{issued.key.keyId}</Typography.Paragraph>
            <Typography.Paragraph
              copyable={{ text: issued.key.secret, tooltips: ['复制', '已复制'] }}
            >
              密钥：
              <Typography.Text code data-testid="issued-secret">
                {issued.key.secret}
              </Typography.Text>
            </Typography.Paragraph>
            {issued.key.previousValidUntil && (
              <Typography.Paragraph type="secondary">
                旧密钥在 {time(issued.key.previousValidUntil)} 前仍然有效。
              </Typography.Paragraph>
            )}
          </>
        )}
      </Modal>
    </Card>
  );
}

function KeyStatus({ k, time }: { k: Key; time: (v: string | null) => string }) {
  if (!k.active) return <Tag>已吊销（{time(k.revokedAt)}）</Tag>;
  if (k.previousValidUntil)
    return <Tag color="orange">轮换过渡中，旧密钥 {time(k.previousValidUntil)} 失效</Tag>;
  return <Tag color="green">启用</Tag>;
}
