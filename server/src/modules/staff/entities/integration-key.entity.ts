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
