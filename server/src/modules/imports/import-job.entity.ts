import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, InstantColumn } from '../../infra/database/columns.js';

export type ImportKind = 'orders' | 'members';
export type ImportStatus = 'queued' | 'running' | 'done' | 'failed';

/**
 * An uploaded CSV and how far its processing got. Each batch commits together with its `import_batch` row and the
 * counters, so after a crash the job resumes with exactly the batches that did not commit.
 */
@Entity('import_job')
@Index('idx_import_job_status', ['status', 'heartbeatAt'])
export class ImportJob {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 16 })
  kind!: ImportKind;

  @Column({ type: 'varchar', length: 16 })
  status!: ImportStatus;

  @Column({ name: 'credit_points', type: 'boolean', default: false })
  creditPoints!: boolean;

  @Column({ name: 'file_path', type: 'varchar', length: 500 })
  filePath!: string;

  @Column({ name: 'file_bytes', type: 'bigint', default: 0 })
  fileBytes!: string;

  /** Data rows read and settled (imported, skipped or rejected) in committed batches. */
  @Column({ name: 'rows_done', type: 'int', default: 0 })
  rowsDone!: number;

  @Column({ name: 'rows_imported', type: 'int', default: 0 })
  rowsImported!: number;

  @Column({ name: 'rows_skipped', type: 'int', default: 0 })
  rowsSkipped!: number;

  @Column({ name: 'rows_rejected', type: 'int', default: 0 })
  rowsRejected!: number;

  @Column({ type: 'varchar', length: 64, nullable: true })
  owner!: string | null;

  @InstantColumn({ name: 'heartbeat_at', nullable: true })
  heartbeatAt!: Date | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error!: string | null;

  @Column({ name: 'created_by', type: 'int', nullable: true })
  createdBy!: number | null;

  @CreatedAtColumn()
  createdAt!: Date;

  @InstantColumn({ name: 'finished_at', nullable: true })
  finishedAt!: Date | null;
}

/** A row an import refused, with why (kept up to a limit per import; the count is always exact). */
@Entity('import_rejection')
@Index('idx_import_rejection_job', ['importId', 'rowNo'])
export class ImportRejection {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'import_id', type: 'int' })
  importId!: number;

  @Column({ name: 'row_no', type: 'int' })
  rowNo!: number;

  @Column({ type: 'varchar', length: 200 })
  reason!: string;

  @Column({ type: 'varchar', length: 500 })
  line!: string;
}

/**
 * A batch of an import that committed: rows first_row..last_row (data rows, 1-based). Written in the batch's own
 * transaction, so after a crash exactly the committed batches are skipped, even when batches commit out of order.
 */
@Entity('import_batch')
export class ImportBatch {
  @PrimaryColumn({ name: 'import_id', type: 'int' })
  importId!: number;

  @PrimaryColumn({ name: 'first_row', type: 'int' })
  firstRow!: number;

  @Column({ name: 'last_row', type: 'int' })
  lastRow!: number;
}
