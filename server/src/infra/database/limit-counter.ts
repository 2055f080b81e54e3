import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { dialectOf, flavourOf, hasInsertReturning, onDuplicateKey, quoteName } from './dialect.js';

/**
 * Limits kept by the database. A limit ("2 makeups a month", "3 members per device per day", "2 coupons of this
 * template per member") is a counter row of the module that owns the limit, keyed by what is limited and the period
 * (e.g. scope 'makeup', subject the member, period '2026-12'). `takeSlot` adds to it with one upsert, which takes the
 * row's exclusive lock whether the row existed or not, then reads it back: over the limit, it gives the slot back
 * and answers false. The lock is held until the caller's transaction ends, so parallel requests for the same
 * counter queue on the row and each sees the others' committed slots; the slot commits or rolls back with the
 * write it guards. Never a COUNT of the guarded rows followed by an INSERT: under MariaDB's snapshot reads every
 * parallel request counts the same rows.
 *
 * Each module passes its own entity (the boundary check keeps modules to their own tables); its key columns must
 * be the table's primary key or a unique index, and the count an integer column.
 */
export interface CounterRef<E extends ObjectLiteral> {
  entity: EntityTarget<E>;
  /** The row's key: property names of the entity and their values, all of the primary key or unique index. */
  keys: Partial<Record<keyof E & string, string | number>>;
  /** The count's property (default `used`). */
  column?: keyof E & string;
}

export interface TakeOptions {
  /** The most slots the counter may hold. */
  limit: number;
  /** Slots this write takes (default 1). */
  n?: number;
  /**
   * What the counter starts from when its row does not exist yet: rows written before the counter kept this limit
   * (read once per counter row; parallel first takers all seed the same figure and the upsert inserts only once).
   */
  seed?: () => Promise<number>;
}

interface Resolved {
  table: string;
  keyColumns: string[];
  keyValues: (string | number)[];
  countColumn: string;
  quote: (name: string) => string;
}

function resolve<E extends ObjectLiteral>(em: EntityManager, ref: CounterRef<E>): Resolved {
  const meta = em.connection.getMetadata(ref.entity);
  const kind = dialectOf(em);
  const quote = (name: string) => quoteName(kind, name);
  const column = (property: string) => {
    const found = meta.findColumnWithPropertyName(property);
    if (!found) throw new Error(`${meta.tableName} has no column for ${property}`);
    return found.databaseName;
  };
  const entries = Object.entries(ref.keys) as [string, string | number][];
  return {
    table: meta.tableName,
    keyColumns: entries.map(([k]) => column(k)),
    keyValues: entries.map(([, v]) => v),
    countColumn: column(ref.column ?? 'used'),
    quote,
  };
}

function whereKeys(r: Resolved): string {
  return r.keyColumns.map((c) => `${r.quote(c)} = ?`).join(' AND ');
}

async function readCount(em: EntityManager, r: Resolved): Promise<number | null> {
  const [row] = (await em.query(
    `SELECT ${r.quote(r.countColumn)} AS n FROM ${r.quote(r.table)} WHERE ${whereKeys(r)}`,
    r.keyValues,
  )) as { n: number | string }[];
  return row ? Number(row.n) : null;
}

/**
 * Takes `n` slots of the counter inside the caller's transaction, or answers false (and takes none) when that would
 * pass the limit. The row stays locked until the transaction ends.
 */
export async function takeSlot<E extends ObjectLiteral>(
  em: EntityManager,
  ref: CounterRef<E>,
  options: TakeOptions,
): Promise<boolean> {
  if (!em.queryRunner?.isTransactionActive) throw new Error('takeSlot() needs a transaction');
  const r = resolve(em, ref);
  const n = options.n ?? 1;
  const initial = options.seed && (await readCount(em, r)) === null ? await options.seed() : 0;
  const columns = [...r.keyColumns, r.countColumn].map(r.quote).join(', ');
  const values = [...r.keyValues, initial + n];
  const count = r.quote(r.countColumn);
  const tuple = values.map(() => '?').join(', ');
  // One statement that inserts or adds, and takes the row's exclusive lock either way (an INSERT IGNORE would take
  // a shared lock on an existing row, and two requests upgrading theirs deadlock).
  const keys = r.keyColumns.map(r.quote);
  const upsert = `INSERT INTO ${r.quote(r.table)} (${columns}) VALUES (${tuple})
       ${onDuplicateKey(dialectOf(em), keys, `${count} = ${count} + ?`)}`;
  // The count as it now stands, ours included: answered by the upsert itself where INSERT has RETURNING (MariaDB,
  // SQLite); MySQL 8 reads it back (our own write is visible to us whatever the isolation level).
  const used = hasInsertReturning(flavourOf(em))
    ? Number(
        (
          (await em.query(`${upsert} RETURNING ${count} AS n`, [...values, n])) as { n: number }[]
        )[0]!.n,
      )
    : await em.query(upsert, [...values, n]).then(async () => (await readCount(em, r))!);
  if (used <= options.limit) return true;
  await em.query(`UPDATE ${r.quote(r.table)} SET ${count} = ${count} - ? WHERE ${whereKeys(r)}`, [
    n,
    ...r.keyValues,
  ]);
  return false;
}

/**
 * Gives `n` slots back (a cancelled redemption, a send that did not happen), in the transaction that releases what
 * they guarded. Never below zero.
 */
export async function giveSlot<E extends ObjectLiteral>(
  em: EntityManager,
  ref: CounterRef<E>,
  n = 1,
): Promise<void> {
  const r = resolve(em, ref);
  const count = r.quote(r.countColumn);
  await em.query(
    `UPDATE ${r.quote(r.table)} SET ${count} = ${count} - ? WHERE ${whereKeys(r)} AND ${count} >= ?`,
    [n, ...r.keyValues, n],
  );
}

/** The counter's slots taken, null when it has no row yet: for views such as "makeups left this month". */
export async function slotsTaken<E extends ObjectLiteral>(
  em: EntityManager,
  ref: CounterRef<E>,
): Promise<number | null> {
  return readCount(em, resolve(em, ref));
}
