/**
 * npm run bench:lifecycle — the lifecycle engine at a large brand's scale, on MariaDB:
 *   a generator writes BENCH_MEMBERS members (default 1,000,000) and about ten orders each (≈ 10,000,000) straight
 *   into the database, plus app opens for a tenth of them; then, in the same run:
 *   - the baseline: one aggregate scan of the orders table
 *     (SELECT member_id, MAX(paid_at), COUNT(DISTINCT DATE(paid_at)), SUM(amount) … GROUP BY member_id);
 *   - the aggregate rebuild after a bulk load (what a brand pays once, after importing history);
 *   - a full recompute (stages + RFM + flags) right after the load (most members change stage), and again the next
 *     run (steady state: what the nightly job costs), each beside the scan;
 *   - moving the RFM window by one day (what each night adds);
 *   - the BG/NBD + MBG/NBD fit on every buyer, with the server's memory sampled during it.
 */
import mysql from 'mysql2/promise';
import { generateMembersAndOrders } from './orders-generator.js';
import { BenchRun, json, ownerLogin, rssMb, seconds, timed } from './support.js';

const members = Number(process.env.BENCH_MEMBERS ?? 1_000_000);

await BenchRun.each(['mysql'], async (run) => {
  const { api, child } = await run.server();
  const token = await ownerLogin(api);
  const db = await mysql.createConnection({ uri: run.temp.url });
  console.log(`generating ${members.toLocaleString('en-US')} members …`);
  const gen = await timed(() => generateMembersAndOrders(db, members));
  console.log(`  done in ${seconds(gen.ms)} s (${gen.value.toLocaleString('en-US')} orders)`);

  const scan = () =>
    timed(() =>
      db.query(
        'SELECT COUNT(*) FROM (SELECT member_id, MAX(paid_at), COUNT(DISTINCT DATE(paid_at)), SUM(amount) FROM orders GROUP BY member_id) a',
      ),
    );
  type Recompute = {
    transitions: number;
    newlyAtRisk: number;
    members: number;
    stages: Record<string, number>;
    timings: { computeMs: number; writeMs: number; deliverMs: number };
  };
  const recompute = (body: Record<string, unknown> = {}) =>
    timed(() => json<Recompute>(`${api}/admin/lifecycle/recompute`, body, token));

  await scan(); // warm the buffer pool the same way for everyone
  const scan1 = await scan();
  console.log(`scan of the orders table: ${seconds(scan1.ms)} s`);
  const rebuild = await recompute({ rebuild: true, dryRun: true });
  console.log(
    `aggregate rebuild from the orders (+ a dry-run recompute): ${seconds(rebuild.ms)} s`,
  );
  const first = await recompute();
  console.log(
    `first recompute: ${seconds(first.ms)} s (${first.value.transitions.toLocaleString('en-US')} transitions)`,
    first.value.stages,
  );
  const scan2 = await scan();
  const steady = await recompute();
  console.log(
    `steady recompute: ${seconds(steady.ms)} s (${steady.value.transitions} transitions); scan again ${seconds(scan2.ms)} s`,
  );

  const settings = await json<Record<string, unknown>>(
    `${api}/admin/lifecycle/settings`,
    undefined,
    token,
  );
  await fetch(`${api}/admin/lifecycle/settings`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...settings, rfmLookbackDays: 364 }),
  });
  const nextDay = await recompute();
  console.log(`recompute that moves the RFM window by one day: ${seconds(nextDay.ms)} s`);

  let peak = rssMb(child.pid!);
  const before = peak;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(child.pid!))), 200);
  const fit = await timed(() =>
    json<{
      bgnbd: { r: number; alpha: number; a: number; b: number; members: number; fitMs: number };
      mbgnbd: { fitMs: number };
    }>(`${api}/admin/lifecycle/model/fit`, {}, token),
  );
  clearInterval(sampler);
  const withRisk = await recompute();
  console.log(
    `fit: ${seconds(fit.ms)} s for ${fit.value.bgnbd.members.toLocaleString('en-US')} buyers (BG/NBD ${fit.value.bgnbd.fitMs} ms, MBG/NBD ${fit.value.mbgnbd.fitMs} ms); RSS ${before.toFixed(0)} → peak ${peak.toFixed(0)} MB`,
  );
  console.log(
    `recompute with the early warning: ${seconds(withRisk.ms)} s, ${withRisk.value.newlyAtRisk.toLocaleString('en-US')} newly at risk`,
  );
  await db.end();

  const ratio = (ms: number) => (ms / scan1.ms).toFixed(2);
  console.log(
    '\n| step (MariaDB, %s members, %s orders) | seconds | × the scan |',
    members.toLocaleString('en-US'),
    gen.value.toLocaleString('en-US'),
  );
  console.log('| --- | --- | --- |');
  console.log(`| baseline: aggregate scan of orders | ${seconds(scan1.ms)} | 1.00 |`);
  console.log(
    `| aggregate rebuild after a bulk load (+ dry run) | ${seconds(rebuild.ms)} | ${ratio(rebuild.ms)} |`,
  );
  const decide = (r: Recompute) => r.timings.computeMs + r.timings.writeMs;
  console.log(
    `| first full recompute, decisions only (compute + write) | ${seconds(decide(first.value))} | ${ratio(decide(first.value))} |`,
  );
  console.log(
    `| first full recompute (${first.value.transitions.toLocaleString('en-US')} transitions) | ${seconds(first.ms)} (compute ${seconds(first.value.timings.computeMs)}, write ${seconds(first.value.timings.writeMs)}, deliver events ${seconds(first.value.timings.deliverMs)}) | ${ratio(first.ms)} |`,
  );
  console.log(
    `| steady full recompute (${steady.value.transitions} transitions) | ${seconds(steady.ms)} (compute ${seconds(steady.value.timings.computeMs)}, write ${seconds(steady.value.timings.writeMs)}) | ${ratio(steady.ms)} |`,
  );
  console.log(
    `| recompute moving the RFM window one day | ${seconds(nextDay.ms)} | ${ratio(nextDay.ms)} |`,
  );
  console.log(
    `| recompute with at-risk flags (${withRisk.value.newlyAtRisk.toLocaleString('en-US')} flagged) | ${seconds(withRisk.ms)} | ${ratio(withRisk.ms)} |`,
  );
  console.log(
    `| BG/NBD + MBG/NBD fit (${fit.value.bgnbd.members.toLocaleString('en-US')} buyers), peak RSS ${peak.toFixed(0)} MB | ${seconds(fit.ms)} | ${ratio(fit.ms)} |`,
  );
});
