import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { StaffRole } from '@huoyue/shared';
import {
  CreatedAtColumn,
  InstantColumn,
  UpdatedAtColumn,
} from '../../../infra/database/columns.js';

@Entity('staff')
export class Staff {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 32, unique: true })
  username!: string;

  /** argon2id, with its parameters in the PHC string. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 32, nullable: true })
  displayName!: string | null;

  @Column({ type: 'varchar', length: 16 })
  role!: StaffRole;

  /** The store a clerk belongs to; owners and operators work across stores. */
  @Column({ name: 'store_code', type: 'varchar', length: 32, nullable: true })
  storeCode!: string | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** Bumped on every password change or reset and on deactivation: the account's older tokens stop working. */
  @Column({ name: 'token_version', type: 'int', default: 0 })
  tokenVersion!: number;

  /** Wrong passwords in a row, counted before each check (docs/security-auth.md); reset by a login or an unlock. */
  @Column({ name: 'failed_logins', type: 'int', default: 0 })
  failedLogins!: number;

  /** No login attempt is checked before this instant (the backoff after repeated wrong passwords). */
  @InstantColumn({ name: 'login_blocked_until', nullable: true })
  loginBlockedUntil!: Date | null;

  @InstantColumn({ name: 'last_login_at', nullable: true })
  lastLoginAt!: Date | null;

  @CreatedAtColumn()
  createdAt!: Date;

  @UpdatedAtColumn()
  updatedAt!: Date;
}
