import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, JsonTextColumn } from '../../../infra/database/columns.js';

/** Who changed what, when, from what to what. Written in the same transaction as the change. */
@Entity('audit_log')
@Index('idx_audit_staff_at', ['staffId', 'id'])
@Index('idx_audit_entity', ['entityType', 'entityId'])
export class AuditLog {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'staff_id', type: 'int', nullable: true })
  staffId!: number | null;

  @Column({ name: 'staff_username', type: 'varchar', length: 32, nullable: true })
  staffUsername!: string | null;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ name: 'entity_type', type: 'varchar', length: 32 })
  entityType!: string;

  @Column({ name: 'entity_id', type: 'varchar', length: 64, nullable: true })
  entityId!: string | null;

  @JsonTextColumn({ name: 'before_json' })
  before!: object | null;

  @JsonTextColumn({ name: 'after_json' })
  after!: object | null;

  @CreatedAtColumn('at')
  at!: Date;
}
