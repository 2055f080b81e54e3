/**
 * Every SQL difference between MySQL/MariaDB and SQLite, in one place. Modules never branch on the database: they
 * ask this file for the piece they need (an INSERT that skips duplicates, a row lock, an upsert, an instant as a
 * parameter, a brand-local date), and the module-idiom check (scripts/src/lint/module-idioms.ts) fails on a
 * dialect name or `options.type` in a module file.
 */
import type { DataSource, EntityManager } from 'typeorm';

/** The SQL spelling: MySQL and MariaDB write the same. */
export type Dialect = 'sqlite' | 'mysql';
/**
 * Where RETURNING matters: MariaDB and SQLite have RETURNING on INSERT (an upsert returns the row after its update);
 * MySQL 8 has none, so there the helpers below read the row back with one more statement. MariaDB has no UPDATE …
 * RETURNING: writes that need the values after them are upserts.
 */
export type SqlFlavour = Dialect | 'mariadb';

/** The flavour of a transaction's or the data source's connection. */
export function flavourOf(db: EntityManager | DataSource): SqlFlavour {
  const type = 'manager' in db ? db.options.type : db.connection.options.type;
  if (type === 'better-sqlite3') return 'sqlite';
  return type === 'mariadb' ? 'mariadb' : 'mysql';
}

/** The dialect of a transaction's or the data source's connection. */
export function dialectOf(db: EntityManager | DataSource): Dialect {
  return flavourOf(db) === 'sqlite' ? 'sqlite' : 'mysql';
}

/** Whether an INSERT can answer its rows with RETURNING (MariaDB, SQLite; not MySQL 8). */
export const hasInsertReturning = (flavour: SqlFlavour): boolean => flavour !== 'mysql';

/** A table or column name quoted for raw SQL (names come from code, never from input). */
export function quoteName(kind: SqlFlavour, name: string): string {
  return kind === 'sqlite' ? `"${name}"` : `\`${name}\``;
}

/**
 * An instant as a raw SQL parameter. TypeORM converts entity values itself; raw statements must match what it
 * stores: UTC text 'YYYY-MM-DD HH:MM:SS.mmm' on SQLite, a Date on MySQL (mysql2 runs with timezone Z).
 */
export function sqlInstant(kind: Dialect, d: Date): string | Date {
  return kind === 'sqlite' ? d.toISOString().replace('T', ' ').replace('Z', '') : d;
}

/** The verb of an INSERT that skips rows colliding with a unique key (the way inserts stay idempotent). */
export function insertIgnoreVerb(kind: Dialect): string {
  return kind === 'mysql' ? 'INSERT IGNORE' : 'INSERT OR IGNORE';
}

/**
 * Row locks exist only on MySQL/MariaDB; SQLite runs one transaction at a time (SqliteGate), which is the same
 * guarantee there.
 */
export const hasRowLocks = (kind: Dialect): boolean => kind === 'mysql';

let skipLockedHonoured = true;
let consecutiveIds = true;

/**
 * Whether one multi-row INSERT takes consecutive AUTO_INCREMENT values: InnoDB (MySQL, MariaDB) and SQLite do;
 * TiDB allocates from per-server caches and is not relied on (set at start-up from the server's VERSION()).
 */
export const autoIncrementConsecutive = (): boolean => consecutiveIds;

/** Records what the server answered to VERSION(): TiDB says so in it. */
export function noteServerVersion(version: string): void {
  consecutiveIds = !/tidb/i.test(version);
}

/**
 * `false`: `forUpdate(…, { skipLocked: true })` reads with no lock at all, which is what TiDB does with SKIP LOCKED.
 * A test mode (DB_SKIP_LOCKED=false): claims must stay exclusive by their conditional UPDATE alone.
 */
export function honourSkipLocked(on: boolean): void {
  skipLockedHonoured = on;
}

/**
 * The suffix of a SELECT that locks its rows until the transaction ends (empty on SQLite, see hasRowLocks).
 * `skipLocked`: rows another transaction holds are passed over instead of waited for. Only an optimisation for a
 * queue's candidates: the claim itself must be a conditional UPDATE, since TiDB ignores SKIP LOCKED.
 */
export function forUpdate(kind: Dialect, options: { skipLocked?: boolean } = {}): string {
  if (!hasRowLocks(kind)) return '';
  if (!options.skipLocked) return ' FOR UPDATE';
  return skipLockedHonoured ? ' FOR UPDATE SKIP LOCKED' : '';
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

/**
 * A lock on the rows a SELECT reads: `share` lets other readers lock them too, `update` is exclusive. TiDB has no
 * shared lock (docs/distributed-sql.md): the lifecycle state row is the one place that still takes it.
 */
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

/** floor() of a non-negative number (SQLite has no FLOOR without its math extension; CAST truncates there). */
export function floorSql(kind: Dialect, expr: string): string {
  return kind === 'mysql' ? `FLOOR(${expr})` : `CAST(${expr} AS INTEGER)`;
}

/** Integer division of non-negative integers, rounded down (`/` is decimal division on MySQL/MariaDB). */
export function intDivSql(kind: Dialect, a: string, b: string): string {
  return kind === 'mysql' ? `(${a}) DIV (${b})` : `(${a}) / (${b})`;
}

/** An instant column plus whole seconds, as an instant of the same form. */
export function addSecondsSql(kind: Dialect, column: string, seconds: number): string {
  const n = Math.trunc(seconds);
  return kind === 'mysql'
    ? `DATE_ADD(${column}, INTERVAL ${n} SECOND)`
    : `strftime('%Y-%m-%d %H:%M:%f', ${column}, '+${n} seconds')`;
}

/** A number at a JSON path of a JSON text column (json1 on SQLite, JSON functions on MariaDB/MySQL). */
export function jsonNumberSql(kind: Dialect, column: string, path: string): string {
  return kind === 'mysql'
    ? `JSON_VALUE(${column}, '${path}')`
    : `json_extract(${column}, '${path}')`;
}

/**
 * An inner join that keeps the written order (the left table drives): STRAIGHT_JOIN on MySQL/MariaDB, whose
 * optimizer otherwise may scan the small side and probe the big one by a secondary index; CROSS JOIN on SQLite.
 */
export function orderedJoinSql(kind: Dialect): string {
  return kind === 'mysql' ? 'STRAIGHT_JOIN' : 'CROSS JOIN';
}

/** In an upsert's update, the value the INSERT carried for `column`. */
export function insertedValue(kind: Dialect, column: string): string {
  return kind === 'mysql' ? `VALUES(${column})` : `excluded.${column}`;
}

/**
 * An assignment that stamps an `@UpdateDateColumn` in a raw UPDATE or an upsert's SET (empty on MySQL/MariaDB,
 * whose column is declared ON UPDATE CURRENT_TIMESTAMP and stamps itself; SQLite has no such clause).
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

/**
 * The brand-local month number (year × 12 + month − 1) of a UTC instant column, by a fixed offset in minutes: month
 * ages are then integer subtraction (the points liability's cohorts). NULL stays NULL.
 */
export function monthNumberSql(kind: Dialect, column: string, offset: number): string {
  const o = Math.trunc(offset);
  if (kind === 'mysql') {
    const local = `(${column} + INTERVAL ${o} MINUTE)`;
    return `(YEAR(${local}) * 12 + MONTH(${local}) - 1)`;
  }
  const part = (f: string) =>
    `CAST(strftime('${f}', ${column}, '${o >= 0 ? '+' : ''}${o} minutes') AS INTEGER)`;
  return `(${part('%Y')} * 12 + ${part('%m')} - 1)`;
}

/**
 * Session settings around one large analytical statement (window functions over the whole points ledger): MySQL and
 * MariaDB keep its temporary tables and sorts in memory up to `mib` instead of spilling to disk at the 16 MiB
 * default (a 3× difference at millions of rows). `set` before, `reset` after, on the same connection.
 */
export function analyticsSession(kind: Dialect, mib: number): { set: string[]; reset: string[] } {
  if (kind !== 'mysql') return { set: [], reset: [] };
  const bytes = Math.trunc(mib) * 1_048_576;
  return {
    set: [
      `SET SESSION tmp_table_size = ${bytes}, max_heap_table_size = ${bytes}, ` +
        `sort_buffer_size = ${Math.min(Math.trunc(bytes / 4), 268_435_456)}`,
    ],
    reset: [
      'SET SESSION tmp_table_size = DEFAULT, max_heap_table_size = DEFAULT, sort_buffer_size = DEFAULT',
    ],
  };
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
  const conflict = onDuplicateKey(dialectOf(em), keyColumns.map(q), spec.update);
  const sql = `INSERT INTO ${q(spec.table)} (${columns.map(q).join(', ')}) VALUES (${tuple}) ${conflict}`;
  const params = [...values, ...(spec.updateParams ?? [])];
  const returning = spec.returning.map(q).join(', ');
  if (hasInsertReturning(flavour)) {
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
  const kind = dialectOf(em);
  const q = (n: string) => quoteName(flavour, n);
  const columns = [spec.key, ...spec.columns];
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const added = [
    ...spec.add.map((c) => `${q(c)} = ${q(c)} + ${insertedValue(kind, q(c))}`),
    ...(spec.also ? [spec.also] : []),
  ].join(', ');
  const conflict = onDuplicateKey(kind, [q(spec.key)], `${added}${touchUpdatedAt(kind)}`);
  const tuples = spec.rows.map(() => tuple).join(', ');
  const sql = `INSERT INTO ${q(spec.table)} (${columns.map(q).join(', ')}) VALUES ${tuples} ${conflict}`;
  const returning = [spec.key, ...spec.returning].map(q).join(', ');
  if (hasInsertReturning(flavour))
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
  const kind = dialectOf(em);
  const q = (n: string) => quoteName(kind, n);
  const columns = Object.keys(row);
  const verb = insertIgnoreVerb(kind);
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
