import { Alert, Button, Card, Form, Input, InputNumber, Modal, Switch, Table, Tag } from 'antd';
import { routes, updateTierBody } from '@huoyue/shared';
import { useState } from 'react';
import { call } from '../api';
import { TierMultiplierItem, TierThresholdItem } from '../components/BenefitFields';
import { Loadable, useLoad } from '../components/Loadable';
import { useSchemaSubmit } from '../components/useSchemaSubmit';

interface Values {
  name: string;
  growthThreshold: number;
  retentionGrowth: number;
  validityMonths: number;
  pointsMultiplier: number;
  freeShipping: boolean;
  perks: string;
}

/** The tier ladder: thresholds, retention, validity and benefits (owners change them; audited). */
export function TiersPage() {
  const tiers = useLoad(() => call(routes.points.listTiers));
  const [editing, setEditing] = useState<string | null>(null);
  const [form] = Form.useForm<Values>();
  const {
    error,
    submit: send,
    clear,
  } = useSchemaSubmit(
    updateTierBody,
    (body) => call(routes.points.updateTier, { params: { code: editing! }, body }),
    () => {
      setEditing(null);
      tiers.reload();
    },
  );
  const open = (code: string) => {
    const t = tiers.data?.items.find((x) => x.code === code);
    if (!t) return;
    form.setFieldsValue({
      name: t.name,
      growthThreshold: t.growthThreshold,
      retentionGrowth: t.retentionGrowth,
      validityMonths: t.validityMonths,
      pointsMultiplier: t.benefits.pointsMultiplier,
      freeShipping: t.benefits.freeShipping,
      perks: t.benefits.perks.join('，'),
    });
    clear();
    setEditing(code);
  };
  const save = (v: Values) =>
    send({
      name: v.name,
      growthThreshold: v.growthThreshold,
      retentionGrowth: v.retentionGrowth,
      validityMonths: v.validityMonths,
      benefits: {
        pointsMultiplier: v.pointsMultiplier,
        freeShipping: v.freeShipping,
        perks: v.perks
          .split(/[,，]/)
          .map((p) => p.trim())
          .filter(Boolean),
      },
    });
  return (
    <Card title="会员等级">
      <Loadable state={tiers} empty={(d) => d.items.length === 0}>
        {(data) => (
          <Table
            rowKey="code"
            dataSource={data.items}
            pagination={false}
            columns={[
              { title: '等级', dataIndex: 'name' },
              { title: '升级成长值', dataIndex: 'growthThreshold' },
              { title: '保级成长值', dataIndex: 'retentionGrowth' },
              { title: '有效期（月）', render: (_: unknown, t) => t.validityMonths || '长期' },
              {
                title: '权益',
                render: (_: unknown, t) => (
                  <>
                    {t.benefits.pointsMultiplier > 1 && (
                      <Tag color="orange">积分 {t.benefits.pointsMultiplier} 倍</Tag>
                    )}
                    {t.benefits.freeShipping && <Tag>包邮</Tag>}
                    {t.benefits.perks.map((p) => (
                      <Tag key={p}>{p}</Tag>
                    ))}
                  </>
                ),
              },
              {
                title: '',
                render: (_: unknown, t) => (
                  <Button size="small" onClick={() => open(t.code)}>
                    编辑
                  </Button>
                ),
              },
            ]}
          />
        )}
      </Loadable>
      <Modal
        title="编辑等级"
        open={editing !== null}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okText="保存"
        cancelText="取消"
      >
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical" onFinish={save}>
          <Form.Item label="名称" name="name">
            <Input />
          </Form.Item>
          <TierThresholdItem name="growthThreshold" />
          <Form.Item label="保级成长值" name="retentionGrowth">
            <InputNumber min={0} />
          </Form.Item>
          <Form.Item label="有效期（月，0 为长期）" name="validityMonths">
            <InputNumber min={0} max={120} />
          </Form.Item>
          <TierMultiplierItem name="pointsMultiplier" />
          <Form.Item label="包邮" name="freeShipping" valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item label="其他权益（逗号分隔）" name="perks">
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
