import { Button, Image, Space, Typography, Upload, message as toast } from 'antd';
import { ApiError, isErrorBody } from '@huoyue/shared';
import { useState } from 'react';
import { session } from '../api';

/** What the picture field holds: the stored path to send, and the address to show it from. */
export interface PictureValue {
  path: string | null;
  url: string | null;
}

const TYPES = ['image/jpeg', 'image/png', 'image/webp'];

/**
 * A picture for a mall item: JPEG, PNG or WebP, sent as the file itself; the server checks its content and size
 * (UPLOAD_MAX_BYTES) and answers where it is stored. Used as a form control (value / onChange).
 */
export function ImageUpload({
  value,
  onChange,
}: {
  value?: PictureValue | null;
  onChange?: (v: PictureValue | null) => void;
}) {
  const [busy, setBusy] = useState(false);
  const send = async (file: File) => {
    setBusy(true);
    try {
      const res = await fetch(`${location.origin}/api/admin/uploads/images`, {
        method: 'POST',
        headers: {
          'content-type': file.type || 'application/octet-stream',
          authorization: `Bearer ${session.token() ?? ''}`,
        },
        body: file,
      });
      const data: unknown = await res.json().catch(() => null);
      if (!res.ok) {
        throw isErrorBody(data)
          ? new ApiError(res.status, data.error.code, data.error.message)
          : new ApiError(res.status, 'INTERNAL', '上传失败，请稍后再试');
      }
      const { path, url } = data as { path: string; url: string };
      onChange?.({ path, url });
      void toast.success('图片已上传');
    } catch (err) {
      void toast.error(err instanceof ApiError ? err.message : '网络不太稳定，请稍后再试');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space align="start">
      {value?.url ? (
        <Image
          src={value.url}
          width={96}
          height={96}
          style={{ objectFit: 'cover' }}
          alt="商品图片"
        />
      ) : (
        <div
          style={{
            width: 96,
            height: 96,
            border: '1px dashed #d9d9d9',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'center',
            color: '#999',
          }}
        >
          暂无图片
        </div>
      )}
      <Space direction="vertical">
        <Upload
          accept={TYPES.join(',')}
          showUploadList={false}
          beforeUpload={(file) => {
            if (!TYPES.includes(file.type)) {
              void toast.error('只支持 JPEG、PNG 或 WebP 格式的图片');
              return Upload.LIST_IGNORE;
            }
            void send(file);
            return false;
          }}
        >
          <Button loading={busy}>{value?.url ? '更换图片' : '上传图片'}</Button>
        </Upload>
        {value?.url && (
          <Button type="link" danger size="small" onClick={() => onChange?.(null)}>
            移除图片
          </Button>
        )}
        <Typography.Text type="secondary">
          建议使用正方形的照片，大小有上限（默认 2 兆字节）
        </Typography.Text>
      </Space>
    </Space>
  );
}
