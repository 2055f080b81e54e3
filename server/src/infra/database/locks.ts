import type { EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';

/**
 * Reads a row for update inside a transaction. Row locks exist only on MySQL/MariaDB; SQLite runs one transaction
 * at a time (SqliteGate), which is the same guarantee there.
 */
export function findOneForUpdate<E extends ObjectLiteral>(
  em: EntityManager,
  entity: EntityTarget<E>,
  where: FindOptionsWhere<E>,
): Promise<E | null> {
  const locking = em.connection.options.type !== 'better-sqlite3';
  return em.findOne(entity, {
    where,
    ...(locking ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
}
