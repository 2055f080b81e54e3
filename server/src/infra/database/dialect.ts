import type { EntityManager } from 'typeorm';

/**
 * Dialect-specific SQL for row-level writes: upserts that answer the row as it stands after them, inserts that skip
 * rows colliding with a unique key, multi-row inserts that answer their generated ids, and row locks. MariaDB and
 * SQLite have RETURNING on INSERT (an upsert returns the row after its update); MySQL 8 has none, so there the same
 * helpers read the row back with one more statement. MariaDB has no UPDATE … RETURNING: writes that need the values
 * after them are upserts.
 */
export type SqlFlavour = 'sqlite' | 'mysql' | 'mariadb';

export function flavourOf(em: EntityManager): SqlFlavour {
  const type = em.connection.options.type;
  if (type === 'better-sqlite3') return 'sqlite';
  return type === 'mariadb' ? 'mariadb' : 'mysql';
}

/** A table or column name quoted for the dialect (names come from code, never from input). */
export function quoteName(flavour: SqlFlavour, name: string): string {
  return flavour === 'sqlite' ? `"${name}"` : `\`${name}\``;
}

/** ` FOR UPDATE` where row locks exist (MySQL, MariaDB); SQLite runs one writer at a time (SqliteGate). */
export function forUpdate(em: EntityManager): string {
  return flavourOf(em) === 'sqlite' ? '' : ' FOR UPDATE';
}

export interface UpsertSpec {
  table: string;
  /** The primary key or unique index the row collides on: column → value. */
  key: Record<string, unknown>;
  /** The other columns of a new row: column → value. */
  insert: Record<string, unknown>;
  /** The change of an existing row, as `column = expression` pairs with `?` parameters (same text in every dialect). */
  update: string;
  updateParams?: unknown[];
  /** Columns to answer, as the row stands after the statement. */
  returning: string[];
}

/**
 * Inserts the row or changes the existing one, in one statement that holds the row's exclusive lock until the
 * transaction ends either way; answers the row after it (RETURNING; MySQL 8: a read-back). A failing CHECK throws.
 */
export async function upsertReturning<R extends Record<string, unknown>>(
  em: EntityManager,
  spec: UpsertSpec,
): Promise<R> {
  const flavour = flavourOf(em);
  const q = (n: string) => quoteName(flavour, n);
  const keyColumns = Object.keys(spec.key);
  const columns = [...keyColumns, ...Object.keys(spec.insert)];
  const values = [...Object.values(spec.key), ...Object.values(spec.insert)];
  const tuple = columns.map(() => '?').join(', ');
  const conflict =
    flavour === 'sqlite'
      ? `ON CONFLICT (${keyColumns.map(q).join(', ')}) DO UPDATE SET ${spec.update}`
      : `ON DUPLICATE KEY UPDATE ${spec.update}`;
  const sql = `INSERT INTO ${q(spec.table)} (${columns.map(q).join(', ')}) VALUES (${tuple}) ${conflict}`;
  const params = [...values, ...(spec.updateParams ?? [])];
  const returning = spec.returning.map(q).join(', ');
  if (flavour !== 'mysql') {
    const rows = (await em.query(`${sql} RETURNING ${returning}`, params)) as R[];
    return rows[0]!;
  }
  await em.query(sql, params);
  const where = keyColumns.map((c) => `${q(c)} = ?`).join(' AND ');
  const rows = (await em.query(
    `SELECT ${returning} FROM ${q(spec.table)} WHERE ${where}`,
    Object.values(spec.key),
  )) as R[];
  return rows[0]!;
}

/** `, updated_at = CURRENT_TIMESTAMP` in a raw upsert's SET on SQLite; MySQL and MariaDB's column updates itself. */
export function touchUpdatedAt(em: EntityManager, column = 'updated_at'): string {
  return flavourOf(em) === 'sqlite' ? `, ${column} = CURRENT_TIMESTAMP` : '';
}

export interface UpsertManySpec {
  table: string;
  /** The primary key column; each row's first value. */
  key: string;
  /** The other columns of a new row, in the order of each row's remaining values. */
  columns: string[];
  /** Columns an existing row adds the new row's value to. */
  add: string[];
  /** More of the change of an existing row, e.g. `version = version + 1` (no parameters). */
  also?: string;
  rows: unknown[][];
  /** Columns to answer (with the key), as each row stands after the statement. */
  returning: string[];
}

/**
 * Inserts many rows or adds their values to the existing ones, in one statement (each row's exclusive lock held
 * until the transaction ends); answers every row after it, with its key. Rows must not repeat a key; give them in
 * key order so concurrent writers lock in the same order.
 */
export async function upsertAddMany(
  em: EntityManager,
  spec: UpsertManySpec,
): Promise<Record<string, unknown>[]> {
  if (spec.rows.length === 0) return [];
  const flavour = flavourOf(em);
  const q = (n: string) => quoteName(flavour, n);
  const columns = [spec.key, ...spec.columns];
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const added = (from: (c: string) => string) =>
    [
      ...spec.add.map((c) => `${q(c)} = ${q(c)} + ${from(c)}`),
      ...(spec.also ? [spec.also] : []),
    ].join(', ');
  const conflict =
    flavour === 'sqlite'
      ? `ON CONFLICT (${q(spec.key)}) DO UPDATE SET ${added((c) => `excluded.${q(c)}`)}${touchUpdatedAt(em)}`
      : `ON DUPLICATE KEY UPDATE ${added((c) => `VALUES(${q(c)})`)}`;
  const tuples = spec.rows.map(() => tuple).join(', ');
  const sql = `INSERT INTO ${q(spec.table)} (${columns.map(q).join(', ')}) VALUES ${tuples} ${conflict}`;
  const returning = [spec.key, ...spec.returning].map(q).join(', ');
  if (flavour !== 'mysql')
    return (await em.query(`${sql} RETURNING ${returning}`, spec.rows.flat())) as Record<
      string,
      unknown
    >[];
  await em.query(sql, spec.rows.flat());
  const keys = spec.rows.map((r) => r[0]);
  return (await em.query(
    `SELECT ${returning} FROM ${q(spec.table)} WHERE ${q(spec.key)} IN (${keys.map(() => '?').join(', ')})`,
    keys,
  )) as Record<string, unknown>[];
}

/**
 * Inserts the row unless it collides with a unique key (INSERT IGNORE / INSERT OR IGNORE); answers whether it went
 * in. Needs the caller's transaction (the affected-row count comes from its runner).
 */
export async function insertIgnore(
  em: EntityManager,
  table: string,
  row: Record<string, unknown>,
): Promise<boolean> {
  if (!em.queryRunner) throw new Error('insertIgnore() needs a transaction');
  const flavour = flavourOf(em);
  const q = (n: string) => quoteName(flavour, n);
  const columns = Object.keys(row);
  const verb = flavour === 'sqlite' ? 'INSERT OR IGNORE' : 'INSERT IGNORE';
  const sql = `${verb} INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
  const result = await em.queryRunner.query(sql, Object.values(row), true);
  return (result.affected ?? 0) > 0;
}

/** A CHECK constraint refused the row (MariaDB, MySQL 8, SQLite): e.g. a balance that would go below zero. */
export function isCheckViolation(err: unknown): boolean {
  type DriverError = { code?: string; errno?: number };
  const e = err as (DriverError & { driverError?: DriverError }) | null;
  const code = e?.driverError?.code ?? e?.code;
  const errno = e?.driverError?.errno ?? e?.errno;
  // mysql2 names MariaDB's 4025 (ER_CONSTRAINT_FAILED) after an unrelated MySQL error: the number is what counts.
  return errno === 4025 || errno === 3819 || code === 'SQLITE_CONSTRAINT_CHECK';
}
