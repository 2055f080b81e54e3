import {
  Alert,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  message as toast,
  Select,
  Space,
} from 'antd';
import { joinSettingsBody, routes } from '@huoyue/shared';
import { useEffect } from 'react';
import { call } from '../api';
import { Loadable, useLoad } from '../components/Loadable';
import { useSchemaSubmit } from '../components/useSchemaSubmit';

interface Values {
  welcomePoints: number | null;
  welcomeCouponTemplateId: number | null;
  terms: string;
  privacy: string;
}

/**
 * 开卡设置: the welcome gift every new member receives once (points and/or a coupon picked from the list), and the
 * 会员协议 and 隐私政策 members agree to when joining (plain text, shown in the app as written).
 */
export function JoinSettingsPage() {
  const load = useLoad(() =>
    Promise.all([call(routes.membership.joinSettings), call(routes.coupons.listTemplates)]),
  );
  const [form] = Form.useForm<Values>();
  const settings = load.data?.[0];
  useEffect(() => {
    if (settings) form.setFieldsValue(settings);
  }, [settings, form]);
  const { error, submit } = useSchemaSubmit(
    joinSettingsBody,
    (body) => call(routes.membership.updateJoinSettings, { body }),
    () => {
      void toast.success('开卡设置已保存');
      load.reload();
    },
  );
  const save = (v: Values) =>
    submit({
      welcomePoints: v.welcomePoints ?? 0,
      welcomeCouponTemplateId: v.welcomeCouponTemplateId ?? null,
      terms: v.terms,
      privacy: v.privacy,
    });
  return (
    <Card title="开卡设置">
      <Loadable state={load}>
        {([, templates]) => (
          <Form form={form} layout="vertical" onFinish={save} style={{ maxWidth: 760 }}>
            <Card type="inner" title="开卡礼" style={{ marginBottom: 24 }}>
              <Space size="large" align="start" wrap>
                <Form.Item
                  label="赠送积分"
                  name="welcomePoints"
                  extra="每位新会员开卡时到账一次；0 表示不送"
                >
                  <InputNumber
                    min={0}
                    max={100_000}
                    precision={0}
                    style={{ width: 200 }}
                    addonAfter="积分"
                  />
                </Form.Item>
                <Form.Item
                  label="赠送优惠券"
                  name="welcomeCouponTemplateId"
                  extra="从已创建的优惠券中选择；券领完或停用后，新会员只得到积分"
                >
                  <Select
                    allowClear
                    showSearch
                    optionFilterProp="label"
                    placeholder="不送优惠券"
                    style={{ width: 320 }}
                    options={templates.items
                      .filter((t) => t.active)
                      .map((t) => ({ value: t.id, label: t.name }))}
                  />
                </Form.Item>
              </Space>
            </Card>
            <Form.Item
              label="会员协议"
              name="terms"
              extra="会员开卡前阅读并勾选同意；纯文本，换行即分段"
            >
              <Input.TextArea rows={8} maxLength={8000} showCount />
            </Form.Item>
            <Form.Item
              label="隐私政策"
              name="privacy"
              extra="说明收集哪些信息、如何使用、会员的权利"
            >
              <Input.TextArea rows={8} maxLength={8000} showCount />
            </Form.Item>
            {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
            <Button type="primary" htmlType="submit">
              保存
            </Button>
          </Form>
        )}
      </Loadable>
    </Card>
  );
}
