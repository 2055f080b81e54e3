import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn } from '../database/columns.js';

/**
 * A request id a client sent with an idempotent write, with the hash of the canonical request it named: a repeat
 * with the same body replays, one with a different body is refused (docs/security-robust.md).
 */
@Entity('request_key')
export class RequestKey {
  /** The kind of write: `mall.redeem`, `points.adjust`, `message.send`, `message.broadcast`. */
  @PrimaryColumn({ type: 'varchar', length: 32 })
  scope!: string;

  /** The caller's request id, prefixed with whose it is where ids are per member. */
  @PrimaryColumn({ name: 'request_key', type: 'varchar', length: 128 })
  requestKey!: string;

  /** SHA-256 of the canonical JSON of the request (keys sorted), hex. */
  @Column({ name: 'request_hash', type: 'varchar', length: 64 })
  requestHash!: string;

  @CreatedAtColumn()
  createdAt!: Date;
}
