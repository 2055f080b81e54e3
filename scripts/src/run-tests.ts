/**
 * `npm test`: the migration drift check for the target dialect, then every suite with node's test runner.
 * DATABASE_URL=mysql://... runs the same suites against MariaDB/MySQL (each file gets a database of its own).
 * `npm run test:e2e` runs the browser suites (Debian's chromium, installed when missing).
 * The mini-program's own suites (jest: page components, and the compiled weapp build on miniprogram-simulate)
 * touch no database, so they run once, on the SQLite pass, after the weapp build and its size check.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const e2e = process.argv.includes('--e2e');
const dialect = process.env.DATABASE_URL?.startsWith('mysql://') ? 'mysql' : 'sqlite';

function findTests(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return findTests(full);
    return name.endsWith('.test.js') ? [full] : [];
  });
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const result = spawnSync(cmd, args, { stdio: 'inherit', env, cwd: root });
  return result.status ?? 1;
}

if (e2e) {
  const { ensureChromium } = await import('./e2e/chromium.js');
  ensureChromium();
  const files = findTests(join(root, 'tests/dist/e2e'));
  process.exit(
    run(process.execPath, [
      '--enable-source-maps',
      '--test',
      '--test-reporter=spec',
      '--test-concurrency=1',
      ...files,
    ]),
  );
}

console.log(`\n== migrations match the entities (${dialect})`);
if (
  run(process.execPath, [join(root, 'scripts/dist/db/check-migrations.js')], {
    ...process.env,
    DIALECTS: dialect,
  }) !== 0
)
  process.exit(1);

if (dialect === 'sqlite') {
  console.log(
    '\n== mini-program: weapp build, package sizes, component and miniprogram-simulate tests',
  );
  if (
    run(process.execPath, [join(root, 'scripts/dist/miniapp/build.js'), 'weapp', '--if-stale']) !==
    0
  )
    process.exit(1);
  if (
    run(process.execPath, [
      join(root, 'node_modules/jest/bin/jest.js'),
      '--rootDir',
      join(root, 'miniapp'),
      '--config',
      join(root, 'miniapp/jest.config.cjs'),
    ]) !== 0
  )
    process.exit(1);
}

const files = ['unit', 'integration', 'http'].flatMap((d) =>
  findTests(join(root, 'tests/dist', d)),
);
console.log(`\n== ${files.length} test files on ${dialect}`);
const testArgs = ['--enable-source-maps', '--test', '--test-reporter=spec', '--test-concurrency=2'];
const status = run(process.execPath, [...testArgs, ...files]);
if (status !== 0 || dialect !== 'mysql') process.exit(status);

// The dispatcher, outbox, spending and lifecycle suites again as TiDB runs them: SKIP LOCKED as a plain read (no
// lock), CHECK constraints not enforced, no shared locks. Claims must stay exclusive by their conditional UPDATEs
// alone, balances, lots and stock must never go negative without a CHECK to refuse them, and refreshes must stay
// correct with the lifecycle state row locked exclusively (docs/distributed-sql.md). A handful of files: CI time.
const asTidb = [
  'http/outbox.test.js',
  'http/messaging.test.js',
  'http/messaging-credits.test.js',
  'http/order-consumers.test.js',
  'http/points-ledger.test.js',
  'http/mall-groups.test.js',
  'http/lifecycle.test.js',
].map((f) => join(root, 'tests/dist', f));
console.log(
  `\n== ${asTidb.length} files as on TiDB (DB_SKIP_LOCKED, DB_CHECK_CONSTRAINTS, DB_SHARED_LOCKS = false)`,
);
process.exit(
  run(process.execPath, [...testArgs, ...asTidb], {
    ...process.env,
    DB_SKIP_LOCKED: 'false',
    DB_CHECK_CONSTRAINTS: 'false',
    DB_SHARED_LOCKS: 'false',
  }),
);
