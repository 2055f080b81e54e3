/**
 * npm run check:ledger — verifies the points ledger over the whole database named by DATABASE_URL (default: the
 * embedded SQLite file): balances and growth equal the sums of their entries, balances equal what is left in
 * the lots. Prints every difference and exits 1 when there is any.
 */
import { loadConfig } from '@huoyue/server/dist/config/config.js';
import { openDatabase } from '@huoyue/server/dist/database.js';
import { checkLedger } from '@huoyue/server/dist/modules/points/ledger-check.js';

const config = loadConfig(process.env);
const dataSource = await openDatabase(config.database, 2);
try {
  const started = Date.now();
  const result = await checkLedger(dataSource);
  console.log(
    `check:ledger — ${result.accounts} accounts, ${result.entries} entries, ${Date.now() - started} ms`,
  );
  for (const d of result.discrepancies.slice(0, 100))
    console.log(`  member ${d.memberId}: ${d.what} expected ${d.expected}, found ${d.actual}`);
  if (result.discrepancies.length > 0) {
    console.error(`${result.discrepancies.length} difference(s) found`);
    process.exitCode = 1;
  } else {
    console.log('ledger consistent');
  }
} finally {
  await dataSource.destroy();
}
