/**
 * npm run bench:api — GET /api/me and POST /api/auth/wechat on SQLite and MariaDB, each beside a bare Fastify
 * route doing the same indexed SELECT with the same driver, measured in the same run. Prints throughput, p99
 * and the ratio to the baseline. BENCH_DB=sqlite|mysql|both (default both), BENCH_SECONDS (default 10).
 */
import type autocannon from 'autocannon';
import { benchOptions, BenchRun, json, load } from './support.js';

const { seconds, connections, dialects } = benchOptions({ seconds: 10, db: 'both' });
const run = (opts: autocannon.Options) => load({ ...opts, connections, duration: seconds });

const rows: string[] = [];
await BenchRun.each(dialects, async (bench) => {
  // WeChat runs in its own process, as it is remote in production: its work must not eat the server's CPU.
  const wechat = await bench.start(
    'server/dist/fake-wechat/main.js',
    { FAKE_WECHAT_PORT: '0', WECHAT_APP_ID: 'wxbench000000000', WECHAT_APP_SECRET: 'bench-secret' },
    /listening on (\S+)/,
  );
  const fake = wechat.match[1]!;
  const { api } = await bench.server({
    WECHAT_APP_ID: 'wxbench000000000',
    WECHAT_APP_SECRET: 'bench-secret',
    WECHAT_API_BASE_URL: fake,
  });

  // 200 members, each with a token: the load spreads over them like real traffic.
  const members: { id: number; token: string; openid: string }[] = [];
  for (let i = 0; i < 200; i++) {
    const { code, openid } = await json<{ code: string; openid: string }>(
      `${fake}/__fake/login-code`,
      {},
    );
    const s = await json<{ token: string; member: { id: number } }>(`${api}/auth/wechat`, { code });
    const joined = await json<{ token: string; member: { id: number } }>(
      `${api}/me/join`,
      { nickname: `压测${i}` },
      s.token,
    );
    members.push({ id: joined.member.id, token: joined.token, openid });
  }
  // Login codes are single use: mint plenty before the run.
  const codes: string[] = [];
  const wanted = Math.max(20_000, seconds * 3000);
  for (let i = 0; i < wanted; i += 500) {
    await Promise.all(
      Array.from({ length: 500 }, async (_, k) =>
        codes.push(
          (
            await json<{ code: string }>(`${fake}/__fake/login-code`, {
              openid: members[(i + k) % members.length]!.openid,
            })
          ).code,
        ),
      ),
    );
  }

  const baseUrl = await bench.baseline();

  let n = 0;
  const meApi = await run({
    url: `${api}/me`,
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          headers: { authorization: `Bearer ${members[n++ % members.length]!.token}` },
        }),
      },
    ],
  });
  let b = 0;
  const meBase = await run({
    url: baseUrl,
    requests: [
      { setupRequest: (req) => ({ ...req, path: `/me/${members[b++ % members.length]!.id}` }) },
    ],
  });
  let c = 0;
  const loginApi = await run({
    url: `${api}/auth/wechat`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({ code: codes[c++] ?? 'exhausted' }),
        }),
      },
    ],
  });
  let d = 0;
  const loginBase = await run({
    url: `${baseUrl}/login`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({ openid: members[d++ % members.length]!.openid }),
        }),
      },
    ],
  });
  if (c > codes.length)
    console.warn(
      `warning: ran out of login codes (${c} requests, ${codes.length} codes); raise the pool`,
    );
  rows.push(
    bench.row('GET /api/me', meApi, meBase),
    bench.row('POST /api/auth/wechat', loginApi, loginBase),
  );
});

console.log(
  `\nbench:api — ${seconds}s per run, ${connections} connections, autocannon in this process, server and baseline in their own`,
);
console.log(
  '| db | endpoint | req/s | p99 ms | baseline req/s | baseline p99 ms | ratio | errors |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
