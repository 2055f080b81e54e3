import {
  Button,
  Card,
  Form,
  InputNumber,
  Select,
  Space,
  Switch,
  Typography,
  message as toast,
} from 'antd';
import { messagingSettings, routes, type MessagingSettings } from '@huoyue/shared';
import { call, message } from '../api';
import { Loadable, useLoad } from './Loadable';

const HOURS = Array.from({ length: 24 }, (_, h) => {
  const t = `${String(h).padStart(2, '0')}:00`;
  return { value: t, label: t };
});

interface Values {
  quiet: boolean;
  start: string;
  end: string;
  per3Days: number;
  per30Days: number;
}

/**
 * 发送设置: quiet hours (messages due inside wait for the window's end, never dropped) and the frequency caps on
 * reactivation and marketing messages. Rate limits and retries are kept as they are. Owners change them.
 */
export function SendSettings() {
  const settings = useLoad(() => call(routes.messaging.getSettings));
  const save = async (current: MessagingSettings, v: Values) => {
    const body = {
      ...current,
      quietHours: v.quiet ? { start: v.start, end: v.end } : null,
      caps: { per3Days: v.per3Days, per30Days: v.per30Days },
    };
    const checked = messagingSettings.safeParse(body);
    if (!checked.success) {
      toast.error(checked.error.issues.map((i) => i.message).join('；'));
      return;
    }
    try {
      await call(routes.messaging.putSettings, { body: checked.data });
      toast.success('发送设置已保存');
      settings.reload();
    } catch (err) {
      toast.error(message(err));
    }
  };
  return (
    <Card title="发送设置" style={{ marginBottom: 16 }}>
      <Loadable state={settings}>
        {(s) => <SettingsForm settings={s} onSave={(v) => save(s, v)} />}
      </Loadable>
    </Card>
  );
}

function SettingsForm({
  settings,
  onSave,
}: {
  settings: MessagingSettings;
  onSave: (v: Values) => Promise<void>;
}) {
  const [form] = Form.useForm<Values>();
  const quiet = Form.useWatch('quiet', form);
  return (
    <Form
      form={form}
      layout="inline"
      onFinish={onSave}
      initialValues={{
        quiet: settings.quietHours !== null,
        start: settings.quietHours?.start ?? '21:00',
        end: settings.quietHours?.end ?? '09:00',
        per3Days: settings.caps.per3Days,
        per30Days: settings.caps.per30Days,
      }}
    >
      <Space wrap align="center">
        <Form.Item label="免打扰时段" name="quiet" valuePropName="checked">
          <Switch checkedChildren="开" unCheckedChildren="关" />
        </Form.Item>
        {quiet && (
          <>
            <Form.Item label="从" name="start">
              <Select options={HOURS} style={{ width: 100 }} />
            </Form.Item>
            <Form.Item label="到" name="end">
              <Select options={HOURS} style={{ width: 100 }} />
            </Form.Item>
          </>
        )}
        <Form.Item label="营销与唤醒消息：3 天内最多" name="per3Days">
          <InputNumber min={0} max={100} addonAfter="条" style={{ width: 110 }} />
        </Form.Item>
        <Form.Item label="30 天内最多" name="per30Days">
          <InputNumber min={0} max={1000} addonAfter="条" style={{ width: 110 }} />
        </Form.Item>
        <Button htmlType="submit">保存发送设置</Button>
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, width: '100%' }}>
        免打扰时段内到期的消息会等到时段结束再发，不会丢弃；服务通知（会员自己操作产生的）不受频次上限限制。
      </Typography.Paragraph>
    </Form>
  );
}
