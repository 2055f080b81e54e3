import { Column, CreateDateColumn, UpdateDateColumn, type ColumnOptions } from 'typeorm';

/**
 * Instants are stored in UTC with millisecond precision (datetime(3) on MySQL, text on SQLite).
 * Brand-local business days are separate `date` columns: a day is a brand fact, not a rendering of an instant.
 */
export const InstantColumn = (options: ColumnOptions = {}) =>
  Column({ type: 'datetime', precision: 3, ...options });
// TypeORM gives generated timestamps a CURRENT_TIMESTAMP(6) default, so they carry microseconds to match it
// (MySQL 8 refuses a default more precise than its column).
export const CreatedAtColumn = (name = 'created_at') =>
  CreateDateColumn({ name, type: 'datetime', precision: 6 });
export const UpdatedAtColumn = (name = 'updated_at') =>
  UpdateDateColumn({ name, type: 'datetime', precision: 6 });

/** Money and points are integers (fen, points). Never a float. */
export const IntegerColumn = (options: ColumnOptions = {}) =>
  Column({ type: 'int', default: 0, ...options });

/** JSON kept as text so both dialects read and write it the same way. */
export const JsonTextColumn = (options: ColumnOptions = {}) =>
  Column({ type: 'simple-json', nullable: true, ...options });
