import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../../config/config.js';
import type { EntityList } from './entities.js';
import {
  honourCheckConstraints,
  honourSharedLocks,
  honourSkipLocked,
  noteServerVersion,
} from './dialect.js';
import { installSqliteGate } from './sqlite-gate.js';
import { MYSQL_MIGRATIONS } from './migrations/mysql/index.js';
import { SQLITE_MIGRATIONS } from './migrations/sqlite/index.js';

export type DatabaseKind = AppConfig['database']['kind'];

/**
 * MySQL 8 and MariaDB share one migration set, but TypeORM reads MariaDB's catalogue differently
 * (quoted NULL defaults), so the driver type follows the server that answers.
 */
export function dataSourceOptions(
  database: AppConfig['database'],
  entities: EntityList,
  poolSize?: number,
  flavour: 'mysql' | 'mariadb' = 'mysql',
): DataSourceOptions {
  if (database.kind === 'sqlite') {
    if (database.file !== ':memory:') mkdirSync(dirname(database.file), { recursive: true });
    return {
      type: 'better-sqlite3',
      database: database.file,
      entities,
      migrations: SQLITE_MIGRATIONS,
      migrationsTransactionMode: 'each',
      // WAL lets readers proceed during a write; foreign keys and a busy timeout for a second process (CLI tools).
      prepareDatabase: (db: { pragma: (sql: string) => unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        db.pragma('busy_timeout = 5000');
        db.pragma('foreign_keys = ON');
      },
      synchronize: false,
      logging: false,
    };
  }
  return {
    type: flavour,
    url: database.url,
    entities,
    migrations: MYSQL_MIGRATIONS,
    migrationsTransactionMode: 'each',
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    poolSize: poolSize ?? database.poolSize ?? 20,
    // DATETIME and DATE come back as written; TypeORM turns datetimes into Date objects itself.
    dateStrings: ['DATE'],
    // BIGINT balances and sums come back as numbers (strings only past 2^53, which no balance reaches).
    supportBigNumbers: true,
    bigNumberStrings: false,
    synchronize: false,
    logging: false,
    // mysql2 captures a stack trace for every query (to show where a failing one was sent from): about 3 % of
    // the server's CPU in a check-in rush. Errors still carry the SQL and the driver's code.
    extra: { trace: false },
  };
}

export function createDataSource(
  database: AppConfig['database'],
  entities: EntityList,
  poolSize?: number,
  flavour?: 'mysql' | 'mariadb',
): DataSource {
  return new DataSource(dataSourceOptions(database, entities, poolSize, flavour));
}

/**
 * Creates the MySQL database named in the URL when it does not exist yet (fresh installs, test runs),
 * and tells whether the server is MySQL or MariaDB.
 */
export async function ensureMysqlDatabase(url: string): Promise<'mysql' | 'mariadb'> {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(name))
    throw new Error(`database name must be [A-Za-z0-9_]+: ${name}`);
  parsed.pathname = '/';
  const bootstrap = new DataSource({ type: 'mysql', url: parsed.toString(), poolSize: 1 });
  await bootstrap.initialize();
  try {
    await bootstrap.query(
      `CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    const [row] = (await bootstrap.query('SELECT VERSION() AS version')) as { version: string }[];
    return row?.version.includes('MariaDB') ? 'mariadb' : 'mysql';
  } finally {
    await bootstrap.destroy();
  }
}

/**
 * The test mode DB_CHECK_CONSTRAINTS=false: MariaDB's sessions stop checking CHECK constraints, as TiDB does by
 * default, so the tests prove no invariant leans on them. Every new pool connection is set; the one the pool holds
 * from start-up is the only free one, so the first query takes it.
 */
async function withoutCheckConstraints(dataSource: DataSource): Promise<void> {
  const off = 'SET SESSION check_constraint_checks = 0';
  const pool = (dataSource.driver as unknown as { pool: NodeJS.EventEmitter }).pool;
  pool.on('connection', (c: { query: (sql: string) => void }) => c.query(off));
  await dataSource.query(off);
  honourCheckConstraints(false);
}

/** Opens the database and brings its schema up to date. Schema changes only ever come from migrations. */
export async function openDataSource(
  database: AppConfig['database'],
  entities: EntityList,
  poolSize?: number,
): Promise<DataSource> {
  const flavour = database.kind === 'mysql' ? await ensureMysqlDatabase(database.url) : undefined;
  if (database.kind === 'mysql') {
    honourSkipLocked(database.skipLocked ?? true);
    honourSharedLocks(database.sharedLocks ?? true);
  }
  const dataSource = createDataSource(database, entities, poolSize, flavour);
  await dataSource.initialize();
  if (database.kind === 'sqlite') installSqliteGate(dataSource);
  else {
    const [row] = (await dataSource.query('SELECT VERSION() AS version')) as { version: string }[];
    noteServerVersion(row?.version ?? '');
    if (database.checkConstraints === false) await withoutCheckConstraints(dataSource);
  }
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}
