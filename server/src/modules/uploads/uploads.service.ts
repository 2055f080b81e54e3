import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { UPLOADED_IMAGE_PATH } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { DomainError } from '../../infra/http/domain-error.js';

type ImageType = 'jpg' | 'png' | 'webp';

/** What the bytes are, by their signature (the declared type and the file name are not trusted). */
export function sniffImage(bytes: Buffer): ImageType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return 'jpg';
  if (
    bytes.length >= 8 &&
    bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return 'png';
  if (
    bytes.length >= 12 &&
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  )
    return 'webp';
  return null;
}

/** "2 兆字节": the limit as staff read it (MB, in words, so the console shows no English). */
export const megabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} 兆字节`;

/**
 * Pictures staff upload (mall items): checked by content (JPEG, PNG, WebP) and size, stored under DATA_DIR/uploads
 * with a random name (never the uploader's), served at /uploads/ with a year's cache (a name never changes its
 * content). With PUBLIC_ASSET_BASE_URL the apps are sent to the CDN in front of it instead.
 */
@Injectable()
export class UploadsService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async saveImage(body: unknown): Promise<{ path: string; url: string }> {
    if (!Buffer.isBuffer(body) || body.length === 0)
      throw new DomainError('UNSUPPORTED_MEDIA_TYPE', '请选择一张 JPEG、PNG 或 WebP 图片上传');
    if (body.length > this.config.uploads.maxBytes) throw tooLarge(this.config.uploads.maxBytes);
    const type = sniffImage(body);
    if (!type)
      throw new DomainError(
        'UNSUPPORTED_MEDIA_TYPE',
        '只支持 JPEG、PNG 或 WebP 格式的图片，请换一张再试',
      );
    const name = `${randomBytes(16).toString('hex')}.${type}`;
    await mkdir(this.config.uploads.dir, { recursive: true });
    await writeFile(join(this.config.uploads.dir, name), body, { flag: 'wx', mode: 0o644 });
    const path = `/uploads/${name}`;
    return { path, url: this.url(path)! };
  }

  /** Whether a stored image reference points at a file we hold (or is an outside URL, which we do not check). */
  exists(stored: string): boolean {
    if (!UPLOADED_IMAGE_PATH.test(stored)) return true;
    return existsSync(join(this.config.uploads.dir, stored.slice('/uploads/'.length)));
  }

  /** Where the apps load a stored image from: the CDN when one is configured, else this server's /uploads/. */
  url(stored: string | null): string | null {
    if (!stored || !UPLOADED_IMAGE_PATH.test(stored)) return stored;
    const base = this.config.uploads.publicBaseUrl;
    return base ? `${base}/${stored.slice('/uploads/'.length)}` : stored;
  }
}

export const tooLarge = (maxBytes: number) =>
  new DomainError('PAYLOAD_TOO_LARGE', `图片不能超过 ${megabytes(maxBytes)}，请压缩后再上传`, {
    maxBytes,
  });
