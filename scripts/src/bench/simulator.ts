/**
 * npm run bench:simulator — the points rule simulator at a large brand's scale, on MariaDB:
 *   the lifecycle bench's generator writes BENCH_MEMBERS members (default 1,000,000) and about ten orders each
 *   (≈ 10,000,000), on the api channel with the points today's rules gave them, so the simulator replays them;
 *   a ledger for them is written set-based (an earn entry and a lot per order, some spent, expired lots emptied);
 *   then, in the same run:
 *   - the baseline: one aggregate scan of the orders table (the lifecycle bench's scan);
 *   - [the liability and triangle step: scripts/src/bench/liability-step.ts, see LIABILITY STEP below];
 *   - the simulator with today's rules over every order (a window of 26 months), through the HTTP API (start, poll
 *     to done), and again with a doubled earn rate; each beside the scan, the server's RSS sampled throughout.
 * Target (issue 22): the simulator in at most 3× the scan, memory flat.
 */
import mysql from 'mysql2/promise';
import { generateMembersAndOrders } from './orders-generator.js';
import { writeLedger } from './simulator-ledger.js';
import { BenchRun, json, ownerLogin, rssMb, seconds, timed } from './support.js';

const members = Number(process.env.BENCH_MEMBERS ?? 1_000_000);

interface Run {
  id: number;
  status: string;
  progress: number;
  error: string | null;
  result: {
    replayed: { orders: number };
    totals: { actual: { orders: number; net: number }; simulated: { orders: number; net: number } };
  } | null;
}

/** Starts a run through the API and polls it to the end, as the console does. */
async function simulate(api: string, token: string, proposal: Record<string, unknown>) {
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const from = new Date(Date.now() + 8 * 3600_000 - 790 * 86_400_000).toISOString().slice(0, 10);
  const started = await json<Run>(
    `${api}/admin/points/simulations`,
    { name: 'bench', window: { from, to: today }, proposal },
    token,
  );
  for (;;) {
    const run = await json<Run>(`${api}/admin/points/simulations/${started.id}`, undefined, token);
    if (run.status === 'done') return run;
    if (run.status === 'failed') throw new Error(`simulation failed: ${run.error}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

await BenchRun.each(['mysql'], async (run) => {
  const { api, child } = await run.server();
  const token = await ownerLogin(api);
  const db = await mysql.createConnection({ uri: run.temp.url });
  console.log(`generating ${members.toLocaleString('en-US')} members …`);
  const gen = await timed(() => generateMembersAndOrders(db, members, { channel: 'api' }));
  console.log(`  done in ${seconds(gen.ms)} s (${gen.value.toLocaleString('en-US')} orders)`);
  const ledger = await timed(() => writeLedger(db));
  console.log(`  ledger written in ${seconds(ledger.ms)} s`);

  const scan = () =>
    timed(() =>
      db.query(
        'SELECT COUNT(*) FROM (SELECT member_id, MAX(paid_at), COUNT(DISTINCT DATE(paid_at)), SUM(amount) FROM orders GROUP BY member_id) a',
      ),
    );
  await scan(); // warm the buffer pool the same way for everyone
  const scan1 = await scan();
  console.log(`scan of the orders table: ${seconds(scan1.ms)} s`);

  // ---- LIABILITY STEP -------------------------------------------------------------------------------------
  // The liability and triangle step (scripts/src/bench/liability-step.ts, another change) is called here:
  //   const liability = await timeLiability({ api, token, db });
  // and its rows are added to the table below beside the scan.
  // ----------------------------------------------------------------------------------------------------------

  const before = rssMb(child.pid!);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(child.pid!))), 200);
  const today = await timed(() => simulate(api, token, {}));
  const afterToday = rssMb(child.pid!);
  const doubled = await timed(() => simulate(api, token, { pointsPerYuan: 2 }));
  clearInterval(sampler);
  const after = rssMb(child.pid!);
  await db.end();

  const t = today.value.result!;
  const d = doubled.value.result!;
  console.log(
    `today's rules: ${seconds(today.ms)} s, ${t.replayed.orders.toLocaleString('en-US')} orders replayed, order points actual ${t.totals.actual.orders} = simulated ${t.totals.simulated.orders}`,
  );
  console.log(
    `doubled earn rate: ${seconds(doubled.ms)} s, order points ${d.totals.actual.orders} → ${d.totals.simulated.orders}`,
  );
  if (t.totals.actual.orders !== t.totals.simulated.orders)
    console.log('  WARNING: today’s rules did not reproduce the order points');
  const ratio = (ms: number) => (ms / scan1.ms).toFixed(2);
  console.log(
    '\n| step (MariaDB, %s members, %s orders) | seconds | × the scan |',
    members.toLocaleString('en-US'),
    gen.value.toLocaleString('en-US'),
  );
  console.log('| --- | --- | --- |');
  console.log(`| baseline: aggregate scan of orders | ${seconds(scan1.ms)} | 1.00 |`);
  console.log(
    `| simulator, today's rules (start → done over HTTP) | ${seconds(today.ms)} | ${ratio(today.ms)} |`,
  );
  console.log(`| simulator, doubled earn rate | ${seconds(doubled.ms)} | ${ratio(doubled.ms)} |`);
  console.log(
    `| server RSS: before ${before.toFixed(0)} MB, after the first run ${afterToday.toFixed(0)} MB, after both ${after.toFixed(0)} MB, peak ${peak.toFixed(0)} MB | | |`,
  );
});
