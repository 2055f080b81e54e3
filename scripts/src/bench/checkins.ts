/**
 * npm run bench:checkins — check-ins per second by distinct members (each checks in once, as on a real morning)
 * with p99, beside a bare Fastify route inserting the same kind of row into a table unique on (member, day); and
 * leaderboard reads per second beside a bare route reading the same 100 snapshot rows. Same run, same database.
 * BENCH_DB=mysql|sqlite|both (default mysql, i.e. MariaDB here), BENCH_SECONDS (default 8), BENCH_MEMBERS (default 30000).
 * BENCH_MODE=scale: WORKERS=1, WORKERS=2 and two instances on MariaDB instead (checkins-scale.ts).
 */
import type autocannon from 'autocannon';
import { scaleOut } from './checkins-scale.js';
import {
  benchOptions,
  BenchRun,
  json,
  liftCheckinIpLimit,
  load,
  memberCheckins,
  ownerLogin,
} from './support.js';

const { seconds, connections, dialects } = benchOptions({ seconds: 8, db: 'mysql' });
const memberCount = Number(process.env.BENCH_MEMBERS ?? 30_000);
if (process.env.BENCH_MODE === 'scale') {
  await scaleOut(seconds, connections, memberCount);
  process.exit(0);
}
const run = (opts: autocannon.Options) => load({ ...opts, connections, duration: seconds });

const table: string[] = [];
const notes: string[] = [];
await BenchRun.each(dialects, async (bench) => {
  const { api } = await bench.server();
  const token = await ownerLogin(api);
  await liftCheckinIpLimit(api, token);
  const { ids, tokens } = await bench.members(api, token, memberCount, 'BENCH');
  const baseUrl = await bench.baseline();

  const posts = memberCheckins(tokens);
  const checkinsApi = await run({
    url: `${api}/checkins`,
    method: 'POST',
    requests: posts.requests,
  });
  const n = posts.sent();
  if (n > tokens.length)
    notes.push(
      `${bench.dialect}: ${n} check-ins for ${tokens.length} members: the excess were answered 409 (raise BENCH_MEMBERS)`,
    );
  let b = 0;
  const checkinsBase = await run({
    url: baseUrl,
    method: 'POST',
    requests: [{ setupRequest: (req) => ({ ...req, path: `/checkin/${ids[b++ % ids.length]}` }) }],
  });
  table.push(bench.row('POST /api/checkins (distinct members)', checkinsApi, checkinsBase));

  await json(`${api}/admin/jobs/leaderboards.refresh/run`, {}, token);
  let m = 0;
  const boardApi = await run({
    url: `${api}/leaderboards/checkin-streak`,
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          headers: { authorization: `Bearer ${tokens[m++ % tokens.length]}` },
        }),
      },
    ],
  });
  table.push(
    bench.row(
      'GET /api/leaderboards/checkin-streak',
      boardApi,
      await run({ url: `${baseUrl}/top` }),
    ),
  );
  notes.push(
    `${bench.dialect}: ${Math.min(n, tokens.length).toLocaleString('en')} members checked in during the run`,
  );
});

console.log(
  `\nbench:checkins — ${seconds}s per run, ${connections} connections; server and baseline in their own processes`,
);
console.log(
  '| db | endpoint | req/s | p99 ms | baseline req/s | baseline p99 ms | ratio | errors |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const row of table) console.log(row);
for (const note of notes) console.log(`- ${note}`);
