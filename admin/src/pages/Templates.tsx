import {
  Alert,
  AutoComplete,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import { MEMBER_APP_PAGES, MESSAGE_VARIABLES, messageTemplateBody, routes } from '@huoyue/shared';
import { useState } from 'react';
import { call } from '../api';
import { Loadable, useLoad } from '../components/Loadable';
import { useSchemaSubmit } from '../components/useSchemaSubmit';

const CHANNELS = {
  subscribe: '小程序订阅消息',
  oa_template: '服务号模板消息',
  sms: '短信',
} as const;
const PURPOSES = {
  transactional: '服务通知（不限频）',
  reactivation: '召回提醒（限频）',
  marketing: '营销（仅短信，需同意）',
} as const;

interface Values {
  code: string;
  name: string;
  channel: keyof typeof CHANNELS;
  purpose: keyof typeof PURPOSES;
  wechatTemplateId?: string;
  fields?: { key: string; value: string }[];
  smsText?: string;
  page?: string;
}

export function TemplatesPage() {
  const list = useLoad(() => call(routes.messaging.listTemplates));
  const [open, setOpen] = useState(false);
  const [editing, setEditing] = useState<number | null>(null);
  const [form] = Form.useForm<Values>();
  const channel = Form.useWatch('channel', form);
  // WeChat forbids marketing in subscribe and template messages: the shared schema says so before the server does.
  const {
    error,
    submit: send,
    clear,
  } = useSchemaSubmit(
    messageTemplateBody,
    (body) =>
      editing
        ? call(routes.messaging.updateTemplate, { params: { id: editing }, body })
        : call(routes.messaging.createTemplate, { body }),
    () => {
      setOpen(false);
      setEditing(null);
      form.resetFields();
      list.reload();
    },
  );
  const submit = (v: Values) =>
    send({
      code: v.code,
      name: v.name,
      channel: v.channel,
      purpose: v.purpose,
      wechatTemplateId: v.channel === 'sms' ? null : (v.wechatTemplateId ?? null),
      fields: v.channel === 'sms' ? [] : (v.fields ?? []),
      smsText: v.channel === 'sms' ? (v.smsText ?? null) : null,
      page: v.page || null,
    });
  return (
    <Card
      title="消息模板"
      extra={
        <Button
          type="primary"
          onClick={() => {
            setEditing(null);
            clear();
            form.resetFields();
            setOpen(true);
          }}
        >
          新建模板
        </Button>
      }
    >
      <Loadable state={list} empty={(d) => d.items.length === 0}>
        {(data) => (
          <Table
            rowKey="id"
            dataSource={data.items}
            pagination={false}
            columns={[
              { title: 'ID', dataIndex: 'id' },
              { title: '名称', dataIndex: 'name' },
              { title: '渠道', render: (_: unknown, t) => CHANNELS[t.channel] },
              {
                title: '用途',
                render: (_: unknown, t) => (
                  <Tag color={t.purpose === 'marketing' ? 'orange' : undefined}>
                    {PURPOSES[t.purpose]}
                  </Tag>
                ),
              },
              {
                title: '内容',
                render: (_: unknown, t) =>
                  t.smsText ?? t.fields.map((f) => `${f.key}: ${f.value}`).join('；'),
              },
              {
                title: '',
                render: (_: unknown, t) => (
                  <Button
                    size="small"
                    onClick={() => {
                      setEditing(t.id);
                      clear();
                      form.setFieldsValue({
                        code: t.code,
                        name: t.name,
                        channel: t.channel,
                        purpose: t.purpose,
                        wechatTemplateId: t.wechatTemplateId ?? undefined,
                        fields: t.fields,
                        smsText: t.smsText ?? undefined,
                        page: t.page ?? undefined,
                      });
                      setOpen(true);
                    }}
                  >
                    编辑
                  </Button>
                ),
              },
            ]}
          />
        )}
      </Loadable>
      <Modal
        title={editing ? '编辑消息模板' : '新建消息模板'}
        width={640}
        open={open}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okText="保存"
        cancelText="取消"
        forceRender
      >
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        <Alert
          type="info"
          style={{ marginBottom: 12 }}
          message={`可用变量：${MESSAGE_VARIABLES.map((v) => `{{${v}}}`).join(' ')}`}
        />
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{
            channel: 'subscribe',
            purpose: 'reactivation',
            fields: [{ key: 'thing1', value: '' }],
          }}
        >
          <Space>
            <Form.Item label="编码" name="code" rules={[{ required: true, message: '请输入编码' }]}>
              <Input placeholder="points_expiring" />
            </Form.Item>
            <Form.Item label="名称" name="name" rules={[{ required: true, message: '请输入名称' }]}>
              <Input />
            </Form.Item>
          </Space>
          <Space>
            <Form.Item label="渠道" name="channel">
              <Select
                style={{ width: 180 }}
                options={Object.entries(CHANNELS).map(([value, label]) => ({ value, label }))}
              />
            </Form.Item>
            <Form.Item label="用途" name="purpose">
              <Select
                style={{ width: 220 }}
                options={Object.entries(PURPOSES).map(([value, label]) => ({ value, label }))}
              />
            </Form.Item>
          </Space>
          {channel === 'sms' ? (
            <Form.Item label="短信内容" name="smsText">
              <Input.TextArea rows={3} />
            </Form.Item>
          ) : (
            <>
              <Form.Item label="微信模板 ID" name="wechatTemplateId">
                <Input />
              </Form.Item>
              <Form.List name="fields">
                {(fields, { add, remove }) => (
                  <>
                    {fields.map((f) => (
                      <Space key={f.key} align="baseline">
                        <Form.Item name={[f.name, 'key']}>
                          <Input placeholder="thing1" style={{ width: 120 }} />
                        </Form.Item>
                        <Form.Item name={[f.name, 'value']}>
                          <Input
                            placeholder="{{nickname}}，您的积分即将到期"
                            style={{ width: 340 }}
                          />
                        </Form.Item>
                        <Button onClick={() => remove(f.name)}>删除</Button>
                      </Space>
                    ))}
                    <Button onClick={() => add({ key: '', value: '' })}>添加字段</Button>
                  </>
                )}
              </Form.List>
              <Form.Item
                label="落地页"
                name="page"
                style={{ marginTop: 12 }}
                extra="会员点开消息后打开的小程序页面"
              >
                <AutoComplete
                  placeholder="pages/points/index"
                  allowClear
                  options={MEMBER_APP_PAGES.map((p) => ({
                    value: p.path,
                    label: `${p.label} · ${p.path}`,
                  }))}
                />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </Card>
  );
}
