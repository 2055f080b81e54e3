/**
 * Dialect-specific pieces of set-based SQL (MySQL/MariaDB and SQLite): upserts from a SELECT, updates joined to
 * another table, day numbers of instants and dates, GREATEST, and row locks in a SELECT. Modules build their
 * statements from these and never branch on the dialect themselves.
 */
import type { Dialect } from './bulk.js';

/**
 * The brand-local day number (days since 1970-01-01) of a UTC instant column. The offset is the brand zone's offset
 * now: exact for zones without daylight saving (all of mainland China), an hour off around DST changes elsewhere.
 */
export function instantDn(kind: Dialect, column: string, offset: number): string {
  return kind === 'mysql'
    ? `(TO_DAYS(${column} + INTERVAL ${offset} MINUTE) - 719528)`
    : `CAST(julianday(${column}, '${offset >= 0 ? '+' : ''}${offset} minutes') - 2440587.5 AS INTEGER)`;
}

/** The day number of a DATE column. */
export function dateDn(kind: Dialect, column: string): string {
  return kind === 'mysql'
    ? `(TO_DAYS(${column}) - 719528)`
    : `CAST(julianday(${column}) - 2440587.5 AS INTEGER)`;
}

export const greatest = (kind: Dialect, a: string, b: string) =>
  kind === 'mysql' ? `GREATEST(${a}, ${b})` : `MAX(${a}, ${b})`;

/**
 * `INSERT … SELECT` that updates the row when its key (`conflict`, by default member_id) is taken. `updates` maps a
 * column to its new value, written with `NEW(col)` for the inserted value and `col` for the current one.
 */
export function upsertSelect(
  kind: Dialect,
  table: string,
  columns: string[],
  select: string,
  updates: Record<string, string>,
  conflict = 'member_id',
): string {
  const value = (col: string) => (kind === 'mysql' ? `VALUES(${col})` : `excluded.${col}`);
  const sets = Object.entries(updates)
    .map(([col, expr]) => `${col} = ${expr.replace(/NEW\((\w+)\)/g, (_m, c: string) => value(c))}`)
    .join(', ');
  const into = `INSERT INTO ${table} (${columns.join(', ')})`;
  return kind === 'mysql'
    ? `${into} ${select} ON DUPLICATE KEY UPDATE ${sets}`
    : // SQLite needs a WHERE in the SELECT to tell the upsert's ON from a join's.
      `${into} SELECT * FROM (${select}) WHERE true ON CONFLICT(${conflict}) DO UPDATE SET ${sets}`;
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

/**
 * The end of a SELECT that locks what it reads until the transaction ends: `share` (others may read-lock too) or
 * `update`. Empty on SQLite, whose single writer gives the same guarantee (SqliteGate).
 */
export function lockClause(kind: Dialect, mode: 'share' | 'update'): string {
  if (kind !== 'mysql') return '';
  return mode === 'share' ? ' LOCK IN SHARE MODE' : ' FOR UPDATE';
}
