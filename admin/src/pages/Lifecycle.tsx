import {
  Alert,
  Button,
  Card,
  Form,
  InputNumber,
  Select,
  Space,
  Switch,
  message as toast,
} from 'antd';
import {
  LIFECYCLE_STAGE_LABELS,
  LIFECYCLE_STAGES,
  lifecycleSettings,
  RFM_SEGMENT_LABELS,
  RFM_SEGMENTS,
  routes,
  type LifecycleSettings,
  type LifecycleStage,
  type RfmSegment,
} from '@huoyue/shared';
import { useState } from 'react';
import { call, message, session } from '../api';
import { Loadable, useLoad } from '../components/Loadable';

/** Lifecycle thresholds (owner), a recompute now, and CSV exports of any stage or segment. */
export function LifecyclePage() {
  const settings = useLoad(() => call(routes.lifecycle.getSettings));
  const [error, setError] = useState<string | null>(null);
  const [exportBy, setExportBy] = useState<string>('stage:dormant');
  const save = async (values: LifecycleSettings) => {
    setError(null);
    const checked = lifecycleSettings.safeParse(values);
    if (!checked.success) return setError(checked.error.issues.map((i) => i.message).join('；'));
    try {
      await call(routes.lifecycle.putSettings, { body: checked.data });
      toast.success('已保存，下次计算时生效');
    } catch (err) {
      setError(message(err));
    }
  };
  const download = async () => {
    const [kind, value] = exportBy.split(':') as ['stage' | 'segment', string];
    const res = await fetch(`/api/admin/lifecycle/export?${kind}=${value}`, {
      headers: { authorization: `Bearer ${session.token()}` },
    });
    if (!res.ok) return toast.error('导出失败，请稍后再试');
    const url = URL.createObjectURL(await res.blob());
    Object.assign(document.createElement('a'), {
      href: url,
      download: `会员名单-${
        kind === 'stage'
          ? LIFECYCLE_STAGE_LABELS[value as LifecycleStage]
          : RFM_SEGMENT_LABELS[value as RfmSegment]
      }.csv`,
    }).click();
    URL.revokeObjectURL(url);
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card title="生命周期阈值">
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        <Loadable state={settings}>
          {(s) => (
            <Form layout="inline" initialValues={s} onFinish={save}>
              <Form.Item label="新会员（天）" name="newDays">
                <InputNumber min={1} />
              </Form.Item>
              <Form.Item label="活跃（天）" name="activeDays">
                <InputNumber min={1} />
              </Form.Item>
              <Form.Item label="沉默（天）" name="silentDays">
                <InputNumber min={1} />
              </Form.Item>
              <Form.Item label="沉睡（天）" name="dormantDays">
                <InputNumber min={1} />
              </Form.Item>
              <Form.Item label="互动计入活跃" name="interactionsCount" valuePropName="checked">
                <Switch />
              </Form.Item>
              <Form.Item label="低频判定（天）" name="lowFrequencyDays">
                <InputNumber min={1} />
              </Form.Item>
              <Form.Item label="RFM 回看（天）" name="rfmLookbackDays">
                <InputNumber min={1} />
              </Form.Item>
              <Form.Item label="流失预警阈值" name="atRiskThreshold">
                <InputNumber min={0.05} max={0.95} step={0.05} />
              </Form.Item>
              <Button type="primary" htmlType="submit">
                保存
              </Button>
            </Form>
          )}
        </Loadable>
        <Button
          style={{ marginTop: 16 }}
          onClick={async () => {
            try {
              const r = await call(routes.lifecycle.recompute, { body: {} });
              toast.success(`已重新计算：${r.transitions} 位会员阶段变化`);
            } catch (err) {
              toast.error(message(err));
            }
          }}
        >
          立即重新计算
        </Button>
      </Card>
      <Card title="导出会员">
        <Space>
          <Select
            style={{ width: 240 }}
            value={exportBy}
            onChange={setExportBy}
            options={[
              {
                label: '按阶段',
                options: LIFECYCLE_STAGES.map((s) => ({
                  value: `stage:${s}`,
                  label: LIFECYCLE_STAGE_LABELS[s],
                })),
              },
              {
                label: '按 RFM 分群',
                options: RFM_SEGMENTS.map((s) => ({
                  value: `segment:${s}`,
                  label: RFM_SEGMENT_LABELS[s],
                })),
              },
            ]}
          />
          <Button onClick={download}>导出 CSV</Button>
        </Space>
      </Card>
    </Space>
  );
}
