import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, QueryRunner } from 'typeorm';

/**
 * SQLite through TypeORM is one connection shared by every request: a second transaction opened while one is
 * in flight becomes a SAVEPOINT inside it, and a plain statement runs inside whatever transaction is open. Both
 * mean one request's rollback could silently undo another's committed work. The gate makes the single connection
 * honest: transactions run one at a time (FIFO), and a statement outside them waits until none is open. Work inside
 * a transaction (found through async context) passes straight through.
 */
export class SqliteGate {
  private tail: Promise<void> = Promise.resolve();
  private readonly context = new AsyncLocalStorage<symbol>();
  private holder: symbol | null = null;

  /** Runs `work` alone on the connection; re-entrant for code already inside it. */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.holder !== null && this.context.getStore() === this.holder) return work();
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    // better-sqlite3 answers synchronously, so a chain of transactions (an import's batches, a queue of consumers)
    // would only ever yield to microtasks and starve HTTP for seconds: give the event loop a turn before each one.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const token = Symbol('sqlite-exclusive');
    this.holder = token;
    try {
      return await this.context.run(token, work);
    } finally {
      this.holder = null;
      release();
    }
  }
}

const gates = new WeakMap<DataSource, SqliteGate>();

/** The gate of a SQLite data source (undefined for MySQL, whose pool gives each transaction its own connection). */
export function sqliteGate(dataSource: DataSource): SqliteGate | undefined {
  return gates.get(dataSource);
}

/** Installs the gate on the shared query runner of a better-sqlite3 data source. */
export function installSqliteGate(dataSource: DataSource): SqliteGate {
  const gate = new SqliteGate();
  const runner: QueryRunner = dataSource.driver.createQueryRunner('master');
  const query = runner.query.bind(runner) as (
    q: string,
    p?: unknown[],
    structured?: boolean,
  ) => Promise<unknown>;
  (runner as { query: typeof query }).query = (q, p, structured) =>
    gate.exclusive(() => query(q, p, structured));
  gates.set(dataSource, gate);
  return gate;
}
