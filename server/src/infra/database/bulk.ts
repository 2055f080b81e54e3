import type { EntityManager } from 'typeorm';
import { type Dialect, insertIgnoreVerb, localDateSql, quoteName, sqlInstant } from './dialect.js';

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
 * One multi-row INSERT in the caller's transaction; answers the id of each row, in order. A simple multi-row
 * INSERT takes consecutive AUTO_INCREMENT values on InnoDB in every lock mode (MySQL reports the first, SQLite the
 * last). Not on TiDB, where ids are allocated per server (docs/scale-out.md): callers must not depend on it there.
 */
export async function insertReturningIds(
  em: EntityManager,
  kind: Dialect,
  table: string,
  columns: string[],
  rows: unknown[][],
): Promise<number[]> {
  if (rows.length === 0) return [];
  if (!em.queryRunner) throw new Error('insertReturningIds() needs a transaction');
  const q = (name: string) => quoteName(kind, name);
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const sql = `INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES ${rows.map(() => tuple).join(', ')}`;
  const result = await em.queryRunner.query(sql, rows.flat(), true);
  if (result.affected !== rows.length)
    throw new Error(`insert into ${table}: ${result.affected} rows of ${rows.length}`);
  const raw = result.raw as { insertId?: number } | number | bigint;
  const first =
    kind === 'mysql'
      ? Number((raw as { insertId: number }).insertId)
      : Number(raw as number | bigint) - rows.length + 1;
  return rows.map((_, i) => first + i);
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
