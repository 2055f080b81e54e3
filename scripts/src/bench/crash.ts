/**
 * npm run bench:crash — issue 19's kill -9 figure: a subscribe broadcast to CRASH_MEMBERS members (default 10,000)
 * holding one credit each, the server killed with SIGKILL once a fifth has gone out and restarted, CRASH_RUNS runs
 * (default 5) on the database in DATABASE_URL (SQLite when unset; for MySQL/MariaDB each run creates a database of
 * its own on that server). Prints lost / burned / duplicates / in flight per run; exits 1 when any is lost or burned
 * or a duplicate is not among the messages in flight.
 */
import { BenchRun } from './support.js';
import { crashRun, describeRun, dialectFromEnv } from './crash-run.js';

const members = Number(process.env.CRASH_MEMBERS ?? 10_000);
const runs = Number(process.env.CRASH_RUNS ?? 5);
const rate = Number(process.env.CRASH_RATE ?? 200);
const dialect = dialectFromEnv();

let bad = 0;
console.log(`kill -9 mid-broadcast, ${dialect}, ${members} members, ${runs} runs, ${rate}/s`);
console.log('| run | lost | burned | duplicates | in flight | received at kill | seconds |');
console.log('|---|---|---|---|---|---|---|');
for (let i = 1; i <= runs; i++) {
  await BenchRun.each([dialect], async (run) => {
    const f = await crashRun(run, members, rate);
    console.error(`run ${i}: ${describeRun(f)}`);
    console.log(
      `| ${i} | ${f.lost} | ${f.burned} | ${f.duplicates} | ${f.inFlight} | ${f.receivedAtKill} | ${f.seconds.toFixed(0)} |`,
    );
    if (f.lost > 0 || f.burned > 0 || f.extra > 0 || f.duplicates > f.inFlight) bad++;
  });
}
console.log(
  bad === 0 ? 'every run: 0 lost, 0 burned, duplicates ≤ in flight' : `${bad} runs failed`,
);
process.exit(bad === 0 ? 0 : 1);
