import { Alert, Button, Form, Input, Modal, message as toast } from 'antd';
import { changeOwnPasswordBody, routes, STAFF_PASSWORD_RULE } from '@huoyue/shared';
import { useState } from 'react';
import { call, message, session } from '../api';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** 修改密码 for the signed-in staff member: other sessions end, this one carries on with a fresh token. */
export function ChangePassword() {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<Values>();
  const submit = async (v: Values) => {
    setError(null);
    if (v.newPassword !== v.confirm) return setError('两次输入的新密码不一致');
    const checked = changeOwnPasswordBody.safeParse({
      currentPassword: v.currentPassword,
      newPassword: v.newPassword,
    });
    if (!checked.success) return setError(checked.error.issues.map((i) => i.message).join('；'));
    try {
      const { token } = await call(routes.staff.changePassword, { body: checked.data });
      session.save(token);
      setOpen(false);
      toast.success('密码已修改，其他设备上的登录已失效');
    } catch (err) {
      setError(message(err));
    }
  };
  return (
    <>
      <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setOpen(true)}>
        修改密码
      </Button>
      {open && (
        <Modal
          open
          title="修改密码"
          okText="修改"
          cancelText="取消"
          onOk={() => form.submit()}
          onCancel={() => setOpen(false)}
          destroyOnHidden
        >
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
          <Form form={form} layout="vertical" onFinish={submit}>
            <Form.Item
              label="当前密码"
              name="currentPassword"
              rules={[{ required: true, message: '请填写当前密码' }]}
            >
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Form.Item
              label="新密码"
              name="newPassword"
              extra={`${STAFF_PASSWORD_RULE}；修改后其他设备上的登录立即失效`}
              rules={[{ required: true, message: '请填写新密码' }]}
            >
              <Input.Password autoComplete="new-password" placeholder="至少 10 位" />
            </Form.Item>
            <Form.Item
              label="确认新密码"
              name="confirm"
              rules={[{ required: true, message: '请再次填写新密码' }]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          </Form>
        </Modal>
      )}
    </>
  );
}
