import {
  Column,
  CreateDateColumn,
  UpdateDateColumn,
  type ColumnOptions,
  type ValueTransformer,
} from 'typeorm';

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

/** BIGINT arrives as a string from mysql2 past 2^53 (and always, with TypeORM's default driver options). */
const bigintAsNumber: ValueTransformer = {
  to: (value: unknown) => value,
  from: (value: unknown) => (value === null || value === undefined ? value : Number(value)),
};

/**
 * Balances, growth, amounts in fen and what sums them: BIGINT, so a balance past 2^31 or a few orders of 1e9 fen
 * fit on MySQL/MariaDB (SQLite's INTEGER is 64-bit already); read back as numbers (exact up to 2^53).
 */
export const BigIntColumn = (options: ColumnOptions = {}) =>
  Column({ type: 'bigint', transformer: bigintAsNumber, ...options });

/** JSON kept as text so both dialects read and write it the same way. */
export const JsonTextColumn = (options: ColumnOptions = {}) =>
  Column({ type: 'simple-json', nullable: true, ...options });
