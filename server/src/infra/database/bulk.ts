import type { EntityManager } from 'typeorm';
import {
  autoIncrementConsecutive,
  type Dialect,
  flavourOf,
  insertIgnoreVerb,
  localDateSql,
  quoteName,
  sqlInstant,
} from './dialect.js';

// The dialect's pieces were first written here; modules keep importing them from bulk.js.
export { type Dialect, localDateSql, sqlInstant };

/** Rows per statement stays well under SQLite's 32,766 bound parameters and MySQL's packet size. */
const MAX_PARAMS = 20_000;

/**
 * Multi-row INSERT for bulk paths (imports), where building entities costs more than the insert. With `ignore`,
 * rows that hit a unique key are skipped (INSERT IGNORE / INSERT OR IGNORE): the way imports stay idempotent.
 * Answers the number of rows inserted.
 */
export async function bulkInsert(
  em: EntityManager,
  kind: Dialect,
  table: string,
  columns: string[],
  rows: unknown[][],
  options: { ignore?: boolean } = {},
): Promise<number> {
  if (rows.length === 0) return 0;
  const q = (name: string) => quoteName(kind, name);
  const verb = options.ignore ? insertIgnoreVerb(kind) : 'INSERT';
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  let inserted = 0;
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const sql = `${verb} INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES ${chunk.map(() => tuple).join(', ')}`;
    // Inside a transaction the runner reports how many rows went in (the rest hit a unique key); outside, -1.
    if (em.queryRunner)
      inserted += (await em.queryRunner.query(sql, chunk.flat(), true)).affected ?? 0;
    else {
      await em.query(sql, chunk.flat());
      inserted = -1;
    }
  }
  return inserted;
}

/**
 * A multi-row INSERT in the caller's transaction; answers the id of each row, in order. No reliance on ids being
 * consecutive across writers: MariaDB answers them (RETURNING); MySQL reads them back by `key`, a unique column of
 * the rows, when there is one; otherwise MySQL 8 takes the first id and counts on (a simple multi-row INSERT takes
 * consecutive AUTO_INCREMENT values on InnoDB in every lock mode), and TiDB, where a statement's ids need not be
 * consecutive, inserts row by row. SQLite has one writer: consecutive from the last rowid.
 */
export async function insertReturningIds(
  em: EntityManager,
  kind: Dialect,
  table: string,
  columns: string[],
  rows: unknown[][],
  key?: string,
): Promise<number[]> {
  if (rows.length === 0) return [];
  if (!em.queryRunner) throw new Error('insertReturningIds() needs a transaction');
  const flavour = flavourOf(em);
  const q = (name: string) => quoteName(kind, name);
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const into = `INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES`;
  const sql = `${into} ${rows.map(() => tuple).join(', ')}`;
  if (flavour === 'mariadb') {
    // In the order of the VALUES list.
    const returned = (await em.query(`${sql} RETURNING id`, rows.flat())) as { id: number }[];
    return checkedIds(
      table,
      returned.map((r) => Number(r.id)),
      rows.length,
    );
  }
  if (flavour === 'mysql' && key !== undefined) {
    await affectedRows(em, sql, rows.flat());
    const at = columns.indexOf(key);
    const keys = rows.map((r) => r[at]);
    const found = (await em.query(
      `SELECT id, ${q(key)} AS k FROM ${q(table)} WHERE ${q(key)} IN (${placeholders(keys.length)})`,
      keys,
    )) as { id: number; k: unknown }[];
    const byKey = new Map(found.map((r) => [String(r.k), Number(r.id)]));
    return checkedIds(
      table,
      keys.map((k) => byKey.get(String(k)) ?? 0).filter(Boolean),
      rows.length,
    );
  }
  if (flavour === 'mysql' && !autoIncrementConsecutive()) {
    const ids: number[] = [];
    for (const row of rows) ids.push(await insertedId(em, kind, `${into} ${tuple}`, row));
    return ids;
  }
  const result = await em.queryRunner.query(sql, rows.flat(), true);
  if (result.affected !== rows.length)
    throw new Error(`insert into ${table}: ${result.affected} rows of ${rows.length}`);
  const first = firstInsertedId(kind, result.raw, rows.length);
  return rows.map((_, i) => first + i);
}

async function insertedId(
  em: EntityManager,
  kind: Dialect,
  sql: string,
  row: unknown[],
): Promise<number> {
  const result = await em.queryRunner!.query(sql, row, true);
  return firstInsertedId(kind, result.raw, 1);
}

/** MySQL reports the first id of the statement, SQLite the last. */
function firstInsertedId(kind: Dialect, raw: unknown, n: number): number {
  return kind === 'mysql'
    ? Number((raw as { insertId: number }).insertId)
    : Number(raw as number | bigint) - n + 1;
}

function checkedIds(table: string, ids: number[], n: number): number[] {
  if (ids.length !== n) throw new Error(`insert into ${table}: ${ids.length} rows of ${n}`);
  return ids;
}

/** `IN (?, ?, …)` placeholders for a list. */
export const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** Runs a write in the caller's transaction and answers how many rows it changed (both drivers report it). */
export async function affectedRows(
  em: EntityManager,
  sql: string,
  params: unknown[] = [],
): Promise<number> {
  if (!em.queryRunner) throw new Error('affectedRows() needs a transaction');
  return (await em.queryRunner.query(sql, params, true)).affected ?? 0;
}
