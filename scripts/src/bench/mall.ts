/**
 * npm run bench:mall — points-mall redemptions per second with p99: everyone on one hot item, and spread over 100
 * items, beside a bare Fastify route doing the same conditional stock decrement with the same driver (one hot row,
 * or spread over 100 rows). Members come from a member import with opening balances; tokens are signed with the
 * server's secret. BENCH_DB=mysql|sqlite|both (default mysql, i.e. MariaDB here), BENCH_SECONDS (default 8).
 */
import { randomUUID } from 'node:crypto';
import type autocannon from 'autocannon';
import { openDatabase } from '@huoyue/server/dist/database.js';
import { checkLedger } from '@huoyue/server/dist/modules/points/ledger-check.js';
import { benchOptions, BenchRun, json, load, ownerLogin } from './support.js';

const { seconds, connections, dialects } = benchOptions({ seconds: 8, db: 'mysql' });
const memberCount = Number(process.env.BENCH_MEMBERS ?? 5000);
const run = (opts: autocannon.Options) => load({ ...opts, connections, duration: seconds });

const table: string[] = [];
const notes: string[] = [];
await BenchRun.each(dialects, async (bench) => {
  const { api } = await bench.server();
  const token = await ownerLogin(api);
  const { tokens } = await bench.members(api, token, memberCount, 'MALLB', 1_000_000);
  const items: number[] = [];
  for (let i = 0; i < 100; i++) {
    items.push(
      (
        await json<{ id: number }>(
          `${api}/admin/mall/items`,
          {
            name: `压测商品${i}`,
            kind: 'virtual',
            pointsPrice: 10,
            stock: 10_000_000,
            perMemberLimit: 1000,
          },
          token,
        )
      ).id,
    );
  }
  const baseUrl = await bench.baseline();

  const redeemOn = (pick: (n: number) => number) => {
    let n = 0;
    return run({
      url: api,
      method: 'POST',
      requests: [
        {
          setupRequest: (req) => {
            const k = n++;
            return {
              ...req,
              path: `/api/mall/items/${pick(k)}/redeem`,
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${tokens[k % tokens.length]}`,
              },
              body: JSON.stringify({ quantity: 1, requestId: randomUUID() }),
            };
          },
        },
      ],
    });
  };
  let b = 0;
  table.push(
    bench.row(
      'redeem, one hot item',
      await redeemOn(() => items[0]!),
      await run({ url: `${baseUrl}/stock/1`, method: 'POST' }),
    ),
  );
  const spreadApi = await redeemOn((k) => items[k % items.length]!);
  const spreadBase = await run({
    url: baseUrl,
    method: 'POST',
    requests: [{ setupRequest: (req) => ({ ...req, path: `/stock/${(b++ % 100) + 1}` }) }],
  });
  table.push(bench.row('redeem, spread over 100 items', spreadApi, spreadBase));

  const check = await openDatabase(bench.temp.database, 2);
  const ledger = await checkLedger(check);
  const [sold] = (await check.query(
    "SELECT COUNT(*) AS n FROM mall_redemption WHERE status = 'completed'",
  )) as { n: number }[];
  const [stock] = (await check.query('SELECT SUM(10000000 - stock) AS taken FROM mall_item')) as {
    taken: number;
  }[];
  await check.destroy();
  notes.push(
    `${bench.dialect}: ${Number(sold!.n).toLocaleString('en')} redemptions, ${Number(stock!.taken).toLocaleString('en')} taken from stock; check:ledger: ${ledger.discrepancies.length === 0 ? 'consistent' : `${ledger.discrepancies.length} differences`}`,
  );
});

console.log(
  `\nbench:mall — ${seconds}s per run, ${connections} connections; server and baseline in their own processes`,
);
console.log('| db | what | req/s | p99 ms | baseline req/s | baseline p99 ms | ratio | errors |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const row of table) console.log(row);
for (const note of notes) console.log(`- ${note}`);
