import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, InstantColumn } from '../../../infra/database/columns.js';

/**
 * A key a POS or e-commerce system signs its webhooks with. HMAC needs the secret itself, so it is stored
 * encrypted (AES-256-GCM under a key derived from JWT_SECRET), never in clear, and shown once at creation.
 */
@Entity('integration_key')
export class IntegrationKey {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'key_id', type: 'varchar', length: 32, unique: true })
  keyId!: string;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ name: 'secret_enc', type: 'varchar', length: 255 })
  secretEnc!: string;

  /** The secret's last 4 characters, shown in the list so staff can tell keys apart (never the secret). */
  @Column({ name: 'secret_hint', type: 'varchar', length: 8, nullable: true })
  secretHint!: string | null;

  /** After a rotation: the previous secret, still accepted until `previousValidUntil` (the overlap window). */
  @Column({ name: 'previous_secret_enc', type: 'varchar', length: 255, nullable: true })
  previousSecretEnc!: string | null;

  @InstantColumn({ name: 'previous_valid_until', nullable: true })
  previousValidUntil!: Date | null;

  @InstantColumn({ name: 'rotated_at', nullable: true })
  rotatedAt!: Date | null;

  /** Written at most once a minute by the signature check. */
  @InstantColumn({ name: 'last_used_at', nullable: true })
  lastUsedAt!: Date | null;

  @InstantColumn({ name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ name: 'created_by', type: 'int', nullable: true })
  createdBy!: number | null;

  @CreatedAtColumn()
  createdAt!: Date;
}

/** Signatures already accepted, kept for the replay window: a replayed webhook is refused even within it. */
@Entity('request_nonce')
@Index('idx_request_nonce_expiry', ['expiresAt'])
export class RequestNonce {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 64, unique: true })
  signature!: string;

  @InstantColumn({ name: 'expires_at' })
  expiresAt!: Date;
}
