/**
 * npm run bench:messaging — subscribe messages delivered into the fake WeChat (a process of its own, over HTTP) by
 * one dispatcher process and then by two sharing the MariaDB outbox, beside the fake's own accept rate measured in the
 * same run (autocannon straight at its send endpoint). BENCH_MESSAGES per round (default 20,000). Checks that a clean
 * run has zero duplicates: every member receives exactly one message per round.
 */
import mysql from 'mysql2/promise';
import {
  BENCH_TEMPLATE,
  BenchRun,
  json,
  load,
  ownerLogin,
  subscribeBenchSetup,
} from './support.js';

const messages = Number(process.env.BENCH_MESSAGES ?? 20_000);
const TPL = BENCH_TEMPLATE;
const FAKE = { appId: 'wxfake0000000000', secret: 'fake-secret-for-local-development' };

await BenchRun.each(['mysql'], async (run) => {
  const fake = await run.start(
    'server/dist/fake-wechat/main.js',
    { FAKE_WECHAT_PORT: '0' },
    /listening on (\S+)/,
  );
  const fakeUrl = fake.match[1]!;
  const serverEnv = {
    WECHAT_APP_ID: FAKE.appId,
    WECHAT_APP_SECRET: FAKE.secret,
    WECHAT_API_BASE_URL: fakeUrl,
    MESSAGE_DISPATCHER: 'true',
  };

  // The fake's own pace: sends straight at it, with a valid token and body.
  const { access_token: accessToken } = await json<{ access_token: string }>(
    `${fakeUrl}/cgi-bin/stable_token`,
    { grant_type: 'client_credential', appid: FAKE.appId, secret: FAKE.secret },
  );
  const body = JSON.stringify({
    touser: 'oBENCHbaseline0000000000000',
    template_id: TPL,
    data: {
      thing1: { value: '积分即将到期' },
      number2: { value: '100' },
      date3: { value: '2026-12-31' },
    },
  });
  const baseline = await load({
    url: `${fakeUrl}/cgi-bin/message/subscribe/send?access_token=${accessToken}`,
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
    connections: 20,
    duration: 5,
  });
  await fetch(`${fakeUrl}/__fake/messages`, { method: 'DELETE' });

  const first = await run.server(serverEnv);
  const token = await ownerLogin(first.api);
  const { ids } = await run.members(first.api, token, messages, 'BM');
  const db = await mysql.createConnection({ uri: run.temp.url });
  // Members who opened the mini-program and accepted the template many times (set up in SQL: no WeChat logins here).
  await db.query(
    "UPDATE member SET openid = CONCAT('oBENCH', LPAD(id, 22, '0')) WHERE external_ref LIKE 'BM%'",
  );
  await db.query(
    "INSERT INTO subscription_quota (member_id, template_id, remaining, banned) SELECT id, ?, 10, 0 FROM member WHERE external_ref LIKE 'BM%'",
    [TPL],
  );
  const templateId = await subscribeBenchSetup(first.api, token, 'bench_notice', 10_000);

  const round = async (label: string) => {
    const before = (
      (await db.query("SELECT COUNT(*) AS n FROM message WHERE status = 'sent'")) as unknown as [
        [{ n: number }],
      ]
    )[0][0].n;
    const started = performance.now();
    const { queued } = await json<{ queued: number }>(
      `${first.api}/admin/broadcasts`,
      { templateId: templateId, requestId: `bench-${label}` },
      token,
    );
    for (;;) {
      const [[{ n }]] = (await db.query(
        "SELECT COUNT(*) AS n FROM message WHERE status = 'sent'",
      )) as unknown as [[{ n: number }]];
      if (Number(n) - Number(before) >= queued) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (performance.now() - started) / 1000;
    return { queued, seconds, rate: queued / seconds };
  };

  const one = await round('one');
  console.log(
    `one dispatcher: ${one.queued} messages in ${one.seconds.toFixed(1)} s = ${one.rate.toFixed(0)}/s`,
  );
  await run.server(serverEnv); // a second process on the same database: two dispatchers
  const two = await round('two');
  console.log(
    `two dispatchers: ${two.queued} messages in ${two.seconds.toFixed(1)} s = ${two.rate.toFixed(0)}/s`,
  );

  const received = (
    (await (await fetch(`${fakeUrl}/__fake/messages`)).json()) as { items: { touser: string }[] }
  ).items;
  const perMember = new Map<string, number>();
  for (const m of received) perMember.set(m.touser, (perMember.get(m.touser) ?? 0) + 1);
  const duplicates = [...perMember.values()].filter((n) => n !== 2).length;
  await db.end();

  console.log(
    `\n| MariaDB, ${ids.length.toLocaleString('en-US')} members | messages/s | × the fake's accept rate |`,
  );
  console.log('| --- | --- | --- |');
  console.log(
    `| the fake WeChat alone (autocannon, 20 connections) | ${baseline.rps.toFixed(0)} | 1.00 |`,
  );
  console.log(
    `| one dispatcher process | ${one.rate.toFixed(0)} | ${(one.rate / baseline.rps).toFixed(2)} |`,
  );
  console.log(
    `| two dispatcher processes | ${two.rate.toFixed(0)} | ${(two.rate / baseline.rps).toFixed(2)} |`,
  );
  console.log(
    `\nreceived ${received.length} for ${perMember.size} members over two rounds; members without exactly two: ${duplicates}`,
  );
  if (duplicates !== 0 || received.length !== 2 * messages) process.exitCode = 1;
});
