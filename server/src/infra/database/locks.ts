import type { EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import { dialectOf, hasRowLocks, onDuplicateKey, quoteName } from './dialect.js';

/**
 * Reads a row for update inside a transaction. Row locks exist only on MySQL/MariaDB; SQLite runs one transaction
 * at a time (SqliteGate), which is the same guarantee there.
 */
export function findOneForUpdate<E extends ObjectLiteral>(
  em: EntityManager,
  entity: EntityTarget<E>,
  where: FindOptionsWhere<E>,
): Promise<E | null> {
  const locking = hasRowLocks(dialectOf(em));
  return em.findOne(entity, {
    where,
    ...(locking ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
}

/**
 * Creates the row if it is missing and holds its exclusive lock until the transaction ends, in one statement either
 * way (an INSERT IGNORE followed by SELECT … FOR UPDATE takes a shared lock first, and two transactions upgrading
 * theirs deadlock). `row` holds the primary key and the values a new row starts with.
 *
 * A lock taken as the transaction's first statement also means its later plain reads see everything committed by
 * whoever held the lock before: MariaDB's repeatable-read snapshot starts at the first plain read, not at BEGIN.
 */
export async function lockOrCreate<E extends ObjectLiteral>(
  em: EntityManager,
  entity: EntityTarget<E>,
  row: Partial<E>,
): Promise<void> {
  const meta = em.connection.getMetadata(entity);
  const kind = dialectOf(em);
  const q = (name: string) => quoteName(kind, name);
  const entries = Object.entries(row).map(([property, value]) => {
    const column = meta.findColumnWithPropertyName(property);
    if (!column) throw new Error(`${meta.tableName} has no column for ${property}`);
    return [column.databaseName, value] as const;
  });
  const columns = entries.map(([c]) => q(c)).join(', ');
  const values = entries.map(() => '?').join(', ');
  const key = q(meta.primaryColumns[0]!.databaseName);
  await em.query(
    `INSERT INTO ${q(meta.tableName)} (${columns}) VALUES (${values}) ${onDuplicateKey(kind, [key], '')}`,
    entries.map(([, v]) => (typeof v === 'boolean' ? Number(v) : v)),
  );
}

/** Reads many rows for update inside a transaction (row locks on MySQL/MariaDB; SQLite has one writer). */
export function findForUpdate<E extends ObjectLiteral>(
  em: EntityManager,
  entity: EntityTarget<E>,
  where: FindOptionsWhere<E>,
): Promise<E[]> {
  const locking = em.connection.options.type !== 'better-sqlite3';
  return em.find(entity, {
    where,
    ...(locking ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
}
