import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn } from '../../../infra/database/columns.js';

@Entity('store')
export class Store {
  @PrimaryGeneratedColumn()
  id!: number;

  /** Chosen or generated once at creation and never changed: orders, clerks and coupon uses refer to it. */
  @Column({ type: 'varchar', length: 32, unique: true })
  code!: string;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'varchar', length: 128, nullable: true })
  address!: string | null;

  /** A closed store keeps its history; its clerks cannot sign in and no clerk can be bound to it. */
  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreatedAtColumn()
  createdAt!: Date;
}
