/**
 * `npm run lint` (after ESLint): the module-boundary check over server/src. Exit 1 on a breach not in
 * server/module-boundaries.allow.json, or on an allowlist entry that no longer matches anything (so the list
 * stays the true list of exceptions). Then the module-idiom check (module-idioms.ts) against
 * server/module-idioms.allow.json, the same way.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AllowEntry,
  checkBoundaries,
  formatViolation,
  unallowed,
} from './module-boundaries.js';
import {
  checkIdioms,
  compareWithDebt,
  formatIdiomViolation,
  type IdiomDebt,
} from './module-idioms.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const allowFile = join(root, 'server/module-boundaries.allow.json');
const allow = (JSON.parse(readFileSync(allowFile, 'utf8')) as { exceptions: AllowEntry[] })
  .exceptions;

const { violations, tables } = checkBoundaries(join(root, 'server/src'));
const breaches = unallowed(violations, tables, allow);
const unused = allow.filter(
  (a) =>
    !violations.some(
      (v) =>
        (v.kind === 'sql' || v.kind === 'entity') &&
        v.target === a.table &&
        (v.owner === a.module || v.owner.endsWith(`/${a.module}`)),
    ),
);

for (const v of breaches) console.error(formatViolation(v));
for (const a of unused) {
  console.error(
    `server/module-boundaries.allow.json: ${a.module} → ${a.table} is allowed but never used`,
  );
}
const debt = (
  JSON.parse(readFileSync(join(root, 'server/module-idioms.allow.json'), 'utf8')) as {
    debt: IdiomDebt[];
  }
).debt;
const idioms = compareWithDebt(checkIdioms(join(root, 'server/src')), debt);
for (const v of idioms.breaches) console.error(formatIdiomViolation(v));
for (const { entry, found } of idioms.stale) {
  console.error(
    `server/module-idioms.allow.json: ${entry.file} (${entry.kind}) allows ${entry.count}, ${found} left: lower it`,
  );
}
if (idioms.breaches.length > 0 || idioms.stale.length > 0) {
  console.error(
    `\nmodule idioms: ${idioms.breaches.length} breach(es), ${idioms.stale.length} stale entr(ies). Dialect SQL` +
      ' lives in infra/database/dialect.ts; a service method takes a Tx (docs/ARCHITECTURE.md).',
  );
  process.exitCode = 1;
}
if (breaches.length > 0 || unused.length > 0) {
  console.error(
    `\nmodule boundaries: ${breaches.length} breach(es), ${unused.length} stale exception(s). A module reads and` +
      ' writes only its own tables and imports other modules through their index.ts (docs/ARCHITECTURE.md).',
  );
  process.exit(1);
}
if (process.exitCode === 1) process.exit(1);
console.log(
  `module boundaries: ${tables.size} tables, ${allow.length} written exceptions, no breach; module idioms:` +
    ` ${debt.reduce((n, d) => n + d.count, 0)} written debts, no breach`,
);
