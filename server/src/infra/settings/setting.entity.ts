import { Column, Entity, PrimaryColumn } from 'typeorm';
import { UpdatedAtColumn } from '../database/columns.js';

/** Brand settings a module owns, by key (`points.rules`, later `checkins.ladder`, `lifecycle.thresholds`). */
@Entity('setting')
export class Setting {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  key!: string;

  @Column({ type: 'text' })
  value!: string;

  @UpdatedAtColumn()
  updatedAt!: Date;
}
