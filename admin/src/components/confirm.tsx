import { Modal } from 'antd';
import type { ReactNode } from 'react';

/** A confirmation dialog as a promise: true when staff press the confirm button. */
export function confirmAsync(options: {
  title: ReactNode;
  content?: ReactNode;
  okText?: string;
  danger?: boolean;
}): Promise<boolean> {
  return new Promise((resolve) => {
    Modal.confirm({
      title: options.title,
      content: options.content,
      okText: options.okText ?? '确定',
      cancelText: '取消',
      okButtonProps: options.danger ? { danger: true } : undefined,
      onOk: () => resolve(true),
      onCancel: () => resolve(false),
    });
  });
}
