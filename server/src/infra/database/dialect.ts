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

/** A lock on the rows a SELECT reads: `share` lets other readers lock them too, `update` is exclusive. */
export function rowLock(kind: Dialect, mode: 'share' | 'update'): string {
  if (!hasRowLocks(kind)) return '';
  return mode === 'share' ? ' LOCK IN SHARE MODE' : ' FOR UPDATE';
}

/** Empties a working table: TRUNCATE where it exists (fast, no undo log), DELETE on SQLite. */
export function truncateTable(kind: Dialect, table: string): string {
  return kind === 'mysql' ? `TRUNCATE TABLE ${table}` : `DELETE FROM ${table}`;
}

/** Equality that holds for two NULLs (`<=>` / `IS`). */
export function nullSafeEquals(kind: Dialect, a: string, b: string): string {
  return kind === 'mysql' ? `${a} <=> ${b}` : `${a} IS ${b}`;
}

/** The larger of two values (MAX of two arguments on SQLite). */
export function greatestSql(kind: Dialect, a: string, b: string): string {
  return kind === 'mysql' ? `GREATEST(${a}, ${b})` : `MAX(${a}, ${b})`;
}

/** In an upsert's update, the value the INSERT carried for `column`. */
export function insertedValue(kind: Dialect, column: string): string {
  return kind === 'mysql' ? `VALUES(${column})` : `excluded.${column}`;
}

/**
 * An assignment that stamps an `@UpdateDateColumn` in a raw UPDATE (empty on MySQL, whose column is declared
 * ON UPDATE CURRENT_TIMESTAMP and stamps itself; SQLite has no such clause).
 */
export function touchUpdatedAt(kind: Dialect, column = 'updated_at'): string {
  return kind === 'mysql' ? '' : `, ${column} = CURRENT_TIMESTAMP`;
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

/**
 * The day number (days since 1970-01-01) of a UTC instant column, brand-local by a fixed offset in minutes: ages
 * are then integer subtraction, and no query needs a time zone table.
 */
export function instantDaySql(kind: Dialect, column: string, offset: number): string {
  return kind === 'mysql'
    ? `(TO_DAYS(${column} + INTERVAL ${offset} MINUTE) - 719528)`
    : `CAST(julianday(${column}, '${offset >= 0 ? '+' : ''}${offset} minutes') - 2440587.5 AS INTEGER)`;
}

/** The day number of a DATE column. */
export function dateDaySql(kind: Dialect, column: string): string {
  return kind === 'mysql'
    ? `(TO_DAYS(${column}) - 719528)`
    : `CAST(julianday(${column}) - 2440587.5 AS INTEGER)`;
}

/**
 * `INSERT … SELECT` that updates the row when the key (`conflictKey`, SQLite's ON CONFLICT target) already has one.
 * `updates` maps a column to its new value, written with `NEW(col)` for the inserted value and `col` for the current
 * one.
 */
export function upsertSelect(
  kind: Dialect,
  table: string,
  columns: string[],
  select: string,
  updates: Record<string, string>,
  conflictKey = 'member_id',
): string {
  const sets = Object.entries(updates)
    .map(
      ([col, expr]) =>
        `${col} = ${expr.replace(/NEW\((\w+)\)/g, (_m, c: string) => insertedValue(kind, c))}`,
    )
    .join(', ');
  const into = `INSERT INTO ${table} (${columns.join(', ')})`;
  return kind === 'mysql'
    ? `${into} ${select} ON DUPLICATE KEY UPDATE ${sets}`
    : // SQLite needs a WHERE in the SELECT to tell the upsert's ON from a join's.
      `${into} SELECT * FROM (${select}) WHERE true ON CONFLICT(${conflictKey}) DO UPDATE SET ${sets}`;
}

/** UPDATE of `table` from rows of a joined table; `set` and `where` may name both aliases `t` and `s`. */
export function updateFrom(
  kind: Dialect,
  table: string,
  source: string,
  on: string,
  set: string,
  where: string,
): string {
  if (kind === 'mysql')
    return `UPDATE ${table} t JOIN ${source} s ON ${on} SET ${set} WHERE ${where}`;
  // SQLite names the assigned columns unqualified; expressions may still say t.
  const unqualified = set.replace(/(^|,\s*)t\.(\w+)\s*=/g, '$1$2 =');
  return `UPDATE ${table} AS t SET ${unqualified} FROM ${source} AS s WHERE ${on} AND ${where}`;
}
