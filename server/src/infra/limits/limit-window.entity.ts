import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One fixed window of one shared limit ("login attempts from this IP this minute", "sends on this channel this
 * second"): the hits taken so far by every instance. Rows are swept once their window has ended (SharedCounter).
 */
@Entity('limit_window')
@Index('idx_limit_window_expires', ['expiresAt'])
export class LimitWindow {
  @PrimaryColumn({ name: 'limit_key', type: 'varchar', length: 191 })
  key!: string;

  /** The window's start, epoch milliseconds (a multiple of the window's length). */
  @PrimaryColumn({ name: 'window_start', type: 'bigint' })
  windowStart!: string;

  @Column({ type: 'integer', default: 0 })
  hits!: number;

  /** Epoch milliseconds after which the row is only garbage. */
  @Column({ name: 'expires_at', type: 'bigint' })
  expiresAt!: string;
}
