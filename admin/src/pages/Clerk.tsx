import { Alert, Button, Card, Form, Input, Result } from 'antd';
import { routes } from '@huoyue/shared';
import { useState } from 'react';
import { call, message } from '../api';

/** In-store verification: type or scan a coupon code and verify it (exactly once). */
export function ClerkPage() {
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [loading, setLoading] = useState(false);
  const verify = async (values: { code: string; storeCode: string }) => {
    setLoading(true);
    try {
      const coupon = await call(routes.coupons.redeem, {
        body: { code: values.code.trim(), storeCode: values.storeCode.trim() },
      });
      setResult({ ok: true, text: `${coupon.name} 核销成功` });
    } catch (err) {
      setResult({ ok: false, text: message(err) });
    } finally {
      setLoading(false);
    }
  };
  const [member, setMember] = useState<{ ok: boolean; text: string } | null>(null);
  const lookup = async (values: { cardCode: string }) => {
    try {
      const m = await call(routes.members.adminByCardCode, {
        params: { code: values.cardCode.trim() },
      });
      setMember({
        ok: true,
        text: `${m.nickname ?? '会员'} · 卡号 ${m.cardNo ?? '—'} · ${m.tier?.name ?? '—'} · 积分 ${m.points}`,
      });
    } catch (err) {
      setMember({ ok: false, text: message(err) });
    }
  };
  return (
    <>
      <Card title="会员码" style={{ maxWidth: 520, marginBottom: 16 }}>
        <Form layout="inline" onFinish={lookup}>
          <Form.Item name="cardCode" rules={[{ required: true, message: '请扫描会员码' }]}>
            <Input placeholder="扫描顾客出示的会员码" style={{ width: 300 }} />
          </Form.Item>
          <Button htmlType="submit">查询</Button>
        </Form>
        {member && (
          <Alert
            style={{ marginTop: 12 }}
            type={member.ok ? 'success' : 'error'}
            showIcon
            message={member.text}
          />
        )}
      </Card>
      <Card title="核销台" style={{ maxWidth: 520 }}>
        <Form layout="vertical" onFinish={verify} initialValues={{ storeCode: 'SH001' }}>
          <Form.Item
            label="券码"
            name="code"
            rules={[{ required: true, message: '请输入或扫描券码' }]}
          >
            <Input placeholder="扫码枪扫描或手动输入" autoFocus />
          </Form.Item>
          <Form.Item
            label="门店编码"
            name="storeCode"
            rules={[{ required: true, message: '请输入门店编码' }]}
          >
            <Input />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={loading}>
            核销
          </Button>
        </Form>
        {result &&
          (result.ok ? (
            <Result status="success" title={result.text} />
          ) : (
            <Alert style={{ marginTop: 16 }} type="error" showIcon message={result.text} />
          ))}
      </Card>
    </>
  );
}
