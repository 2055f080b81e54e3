/**
 * Every SQL difference between MySQL/MariaDB and SQLite, in one place. Modules never branch on the database: they
 * ask this file for the piece they need (an INSERT that skips duplicates, a row lock, an upsert, an instant as a
 * parameter, a brand-local date), and the module-idiom check (scripts/src/lint/module-idioms.ts) fails on a
 * dialect name or `options.type` in a module file.
 */
import type { DataSource, EntityManager } from 'typeorm';

export type Dialect = 'sqlite' | 'mysql';

/** The dialect of a transaction's or the data source's connection. */
export function dialectOf(db: EntityManager | DataSource): Dialect {
  const options = 'manager' in db ? db.options : db.connection.options;
  return options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
}

/** A table or column name quoted for raw SQL. */
export function quoteName(kind: Dialect, name: string): string {
  return kind === 'mysql' ? `\`${name}\`` : `"${name}"`;
}

/**
 * An instant as a raw SQL parameter. TypeORM converts entity values itself; raw statements must match what it
 * stores: UTC text 'YYYY-MM-DD HH:MM:SS.mmm' on SQLite, a Date on MySQL (mysql2 runs with timezone Z).
 */
export function sqlInstant(kind: Dialect, d: Date): string | Date {
  return kind === 'sqlite' ? d.toISOString().replace('T', ' ').replace('Z', '') : d;
}

/** The verb of an INSERT that skips rows colliding with a unique key (the way inserts stay idempotent). */
export function insertIgnore(kind: Dialect): string {
  return kind === 'mysql' ? 'INSERT IGNORE' : 'INSERT OR IGNORE';
}

/**
 * Row locks exist only on MySQL/MariaDB; SQLite runs one transaction at a time (SqliteGate), which is the same
 * guarantee there.
 */
export const hasRowLocks = (kind: Dialect): boolean => kind === 'mysql';

/**
 * The suffix of a SELECT that locks its rows until the transaction ends (empty on SQLite, see hasRowLocks).
 * `skipLocked`: rows another transaction holds are passed over instead of waited for (a queue's claim).
 */
export function forUpdate(kind: Dialect, options: { skipLocked?: boolean } = {}): string {
  if (!hasRowLocks(kind)) return '';
  return options.skipLocked ? ' FOR UPDATE SKIP LOCKED' : ' FOR UPDATE';
}

/**
 * The tail of an INSERT that, on a duplicate key, runs `set` instead (`set` empty: keeps the row as it is, still
 * taking its exclusive lock on MySQL, where an INSERT IGNORE would take a shared one). `keys`: the unique columns,
 * quoted, which SQLite's ON CONFLICT names.
 */
export function onDuplicateKey(kind: Dialect, keys: string[], set: string): string {
  if (kind === 'mysql') return `ON DUPLICATE KEY UPDATE ${set || `${keys[0]} = ${keys[0]}`}`;
  return set ? `ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${set}` : 'ON CONFLICT DO NOTHING';
}

/** String concatenation of SQL expressions. */
export function concatSql(kind: Dialect, ...parts: string[]): string {
  return kind === 'mysql' ? `CONCAT(${parts.join(', ')})` : `(${parts.join(' || ')})`;
}

/** 24 random hex characters per row, computed by the database (a token for rows written by INSERT … SELECT). */
export function randomHex24Sql(kind: Dialect, salt: string): string {
  return kind === 'mysql'
    ? `SUBSTR(MD5(CONCAT(UUID(), ${salt})), 1, 24)`
    : 'lower(hex(randomblob(12)))';
}

/** The brand-local date (YYYY-MM-DD) of a UTC instant column, by a fixed offset in minutes (the zone's current one). */
export function localDateSql(kind: Dialect, column: string, offsetMinutes: number): string {
  return kind === 'mysql'
    ? `DATE(${column} + INTERVAL ${Math.trunc(offsetMinutes)} MINUTE)`
    : `date(${column}, '${offsetMinutes >= 0 ? '+' : ''}${Math.trunc(offsetMinutes)} minutes')`;
}
