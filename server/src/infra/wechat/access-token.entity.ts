import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../database/columns.js';

/** The one access token per app id, shared by every server instance through the database. */
@Entity('wechat_access_token')
export class WechatAccessToken {
  @PrimaryColumn({ name: 'app_id', type: 'varchar', length: 32 })
  appId!: string;

  @Column({ type: 'varchar', length: 600 })
  token!: string;

  @InstantColumn({ name: 'expires_at' })
  expiresAt!: Date;

  @InstantColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
