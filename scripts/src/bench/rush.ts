/**
 * npm run bench:rush — a member-day rush: 2,000 members press 兑换 on one item of stock 100 at the same moment, and
 * 2,000 members check in at the same moment; each request on a connection of its own (as phones arrive), timed until
 * the last answer. Beside them, the same number of requests at once against a bare Fastify route doing a
 * three-statement transaction with the same driver (read the member, take one from a hot item's stock, insert a
 * row). Members are imported with points and their tokens signed before the clock starts; one small warm-up burst
 * each first. Exactly 100 sold is asserted: the script exits 1 otherwise.
 * BENCH_DB=mysql|sqlite|both (default mysql, i.e. MariaDB here), BENCH_MEMBERS (2000), BENCH_STOCK (100).
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { openDatabase } from '@huoyue/server/dist/database.js';
import { benchOptions, BenchRun, json, liftCheckinIpLimit, ownerLogin } from './support.js';

const { dialects } = benchOptions({ seconds: 0, db: 'mysql' });
const memberCount = Number(process.env.BENCH_MEMBERS ?? 2000);
const stock = Number(process.env.BENCH_STOCK ?? 100);

interface Burst {
  /** Until the last answer, from the moment the first request was sent. */
  ms: number;
  statuses: Map<number, number>;
  failed: number;
}

/** `n` requests at once, each on a fresh connection (no keep-alive): timed until the last one is answered. */
async function burst(
  n: number,
  request: (i: number) => { url: string; token?: string; body?: string },
): Promise<Burst> {
  const statuses = new Map<number, number>();
  let failed = 0;
  const one = (i: number) =>
    new Promise<void>((done) => {
      const { url, token, body = '{}' } = request(i);
      const req = http.request(
        url,
        {
          method: 'POST',
          agent: false,
          timeout: 30_000,
          headers: {
            'content-type': 'application/json',
            connection: 'close',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            statuses.set(res.statusCode ?? 0, (statuses.get(res.statusCode ?? 0) ?? 0) + 1);
            done();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        failed++;
        done();
      });
      req.end(body);
    });
  const started = performance.now();
  await Promise.all(Array.from({ length: n }, (_, i) => one(i)));
  return { ms: performance.now() - started, statuses, failed };
}

/** Milliseconds from `since` until the outbox has nothing undelivered (health's backlog), polled every 50 ms. */
async function consumersCaughtUp(api: string, since: number): Promise<number> {
  for (;;) {
    const health = (await (await fetch(`${api}/health`)).json()) as {
      outbox: { undelivered: number };
    };
    if (health.outbox.undelivered === 0) return performance.now() - since;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const show = (b: Burst) =>
  [...b.statuses]
    .sort(([x], [y]) => x - y)
    .map(([s, k]) => `${k}×${s}`)
    .concat(b.failed ? [`${b.failed} failed`] : [])
    .join(', ');

const table: string[] = [];
const notes: string[] = [];
let wrong = false;
await BenchRun.each(dialects, async (bench) => {
  const { api } = await bench.server();
  const token = await ownerLogin(api);
  await liftCheckinIpLimit(api, token);
  const { ids, tokens } = await bench.members(api, token, memberCount, 'RUSH', 10_000);
  const newItem = (name: string, itemStock: number) =>
    json<{ id: number }>(
      `${api}/admin/mall/items`,
      { name, kind: 'virtual', pointsPrice: 10, stock: itemStock, perMemberLimit: 10 },
      token,
    );
  const warm = await newItem('预热商品', 1_000_000);
  const hot = await newItem('会员日限量', stock);
  const baseUrl = await bench.baseline();

  const redeem = (itemId: number) => (i: number) => ({
    url: `${api}/mall/items/${itemId}/redeem`,
    token: tokens[i % tokens.length],
    body: JSON.stringify({ quantity: 1, requestId: randomUUID() }),
  });
  const bare = (i: number) => ({ url: `${baseUrl}/rush/${ids[i % ids.length]}` });
  // Warm-up: the code paths compiled and the pools filled, as on a server that has been up a while.
  await burst(100, redeem(warm.id));
  await burst(100, bare);
  await new Promise((r) => setTimeout(r, 1000));

  const bareRedeem = await burst(memberCount, bare);
  await new Promise((r) => setTimeout(r, 1000));
  const rushRedeem = await burst(memberCount, redeem(hot.id));
  await new Promise((r) => setTimeout(r, 2000));
  const bareCheckin = await burst(memberCount, bare);
  await new Promise((r) => setTimeout(r, 1000));
  const checkinStarted = performance.now();
  const rushCheckin = await burst(memberCount, (i) => ({
    url: `${api}/checkins`,
    token: tokens[i % tokens.length],
  }));
  const caughtUp = await consumersCaughtUp(api, checkinStarted);

  const row = (what: string, real: Burst, base: Burst) =>
    `| ${bench.dialect} | ${what} | ${memberCount.toLocaleString('en')} | ${real.ms.toFixed(0)} | ${base.ms.toFixed(0)} | ${(real.ms / base.ms).toFixed(2)} | ${show(real)} |`;
  table.push(row('redeem one item of stock ' + stock, rushRedeem, bareRedeem));
  table.push(row('check in', rushCheckin, bareCheckin));

  const check = await openDatabase(bench.temp.database, 2);
  const [sold] = (await check.query(
    "SELECT COUNT(*) AS n FROM mall_redemption WHERE item_id = ? AND status = 'completed'",
    [hot.id],
  )) as { n: number }[];
  const [left] = (await check.query('SELECT stock FROM mall_item WHERE id = ?', [hot.id])) as {
    stock: number;
  }[];
  const [facts] = (await check.query(
    'SELECT COALESCE(SUM(checkins), 0) AS n FROM member_stat',
  )) as {
    n: number | string;
  }[];
  notes.push(
    `${bench.dialect}: the check-ins' consumers (badge facts, member days, campaigns) caught up ${caughtUp.toFixed(0)} ms after the rush began; badge facts count ${Number(facts!.n).toLocaleString('en')} check-ins`,
  );
  await check.destroy();
  const answeredSold = rushRedeem.statuses.get(201) ?? rushRedeem.statuses.get(200) ?? 0;
  const ok = Number(sold!.n) === stock && Number(left!.stock) === 0 && answeredSold === stock;
  if (!ok) wrong = true;
  notes.push(
    `${bench.dialect}: ${Number(sold!.n)} sold, ${answeredSold} answered sold, stock left ${Number(left!.stock)}: ${ok ? 'exactly ' + stock : 'WRONG'}; check-ins answered ${show(rushCheckin)}`,
  );
});

console.log(
  `\nbench:rush — ${memberCount.toLocaleString('en')} requests at once, each on its own connection; time until the last answer; server and baseline in their own processes`,
);
console.log('| db | rush | requests | last answer ms | bare tx ms | ratio | answers |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const row of table) console.log(row);
for (const note of notes) console.log(`- ${note}`);
if (wrong) {
  console.error('bench:rush: the stock was not sold exactly');
  process.exit(1);
}
