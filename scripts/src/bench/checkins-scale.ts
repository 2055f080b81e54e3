/**
 * BENCH_MODE=scale of `npm run bench:checkins`: check-ins by distinct members against MariaDB served by one process
 * (WORKERS=1), by one process with two HTTP workers (WORKERS=2), and by two separate instances with the load
 * spread over them; per configuration the CPU each process used (from /proc), to name the limit.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { execFileSync } from 'node:child_process';
import type autocannon from 'autocannon';
import { BenchRun, liftCheckinIpLimit, load, ownerLogin, type Result } from './support.js';

interface Config {
  name: string;
  instances: number;
  workers: number;
}
const CONFIGS: Config[] = [
  { name: 'WORKERS=1 (one process)', instances: 1, workers: 1 },
  { name: 'WORKERS=2 (one port, two workers)', instances: 1, workers: 2 },
  { name: 'two instances (WORKERS=1 each)', instances: 2, workers: 1 },
];

/** CPU seconds a process and its children (cluster workers) have used so far. */
function cpuSeconds(pid: number): number {
  const pids = [pid, ...childPids(pid)];
  const tick = 100; // USER_HZ on Linux
  return pids.reduce((sum, p) => {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return sum + (Number(fields[11]) + Number(fields[12])) / tick;
    } catch {
      return sum;
    }
  }, 0);
}

function childPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function mariadbPid(): number | null {
  try {
    return Number(execFileSync('pgrep', ['-x', 'mariadbd'], { encoding: 'utf8' }).split('\n')[0]);
  } catch {
    return null;
  }
}

export async function scaleOut(seconds: number, connections: number, memberCount: number) {
  const rows: string[] = [];
  await BenchRun.each(['mysql'], async (bench) => {
    const fake = await bench.start(
      'server/dist/fake-wechat/main.js',
      { FAKE_WECHAT_PORT: '0' },
      /listening on (\S+)/,
    );
    const wechat = {
      WECHAT_APP_ID: 'wxfake0000000000',
      WECHAT_APP_SECRET: 'fake-secret-for-local-development',
      WECHAT_API_BASE_URL: fake.match[1]!,
    };
    const setup = await bench.server(wechat);
    const token = await ownerLogin(setup.api);
    await liftCheckinIpLimit(setup.api, token);
    const { tokens } = await bench.members(setup.api, token, memberCount, 'SCALE');
    setup.child.kill('SIGTERM');
    await new Promise((r) => setup.child.once('exit', r));
    const slice = Math.floor(tokens.length / CONFIGS.length);
    let base: number | undefined;
    for (const [i, config] of CONFIGS.entries()) {
      const mine = tokens.slice(i * slice, (i + 1) * slice);
      const servers = [];
      for (let k = 0; k < config.instances; k++)
        servers.push(await bench.server({ ...wechat, WORKERS: String(config.workers) }));
      const db = mariadbPid();
      const before = {
        servers: servers.map((s) => cpuSeconds(s.child.pid!)),
        db: db ? cpuSeconds(db) : 0,
        gen: process.cpuUsage(),
      };
      const started = Date.now();
      const results = await Promise.all(
        servers.map((s, k) =>
          checkins(
            s.api,
            mine.filter((_, j) => j % servers.length === k),
            Math.ceil(connections / servers.length),
            seconds,
          ),
        ),
      );
      const wall = (Date.now() - started) / 1000;
      const serverCpu = servers.reduce(
        (sum, s, k) => sum + cpuSeconds(s.child.pid!) - before.servers[k]!,
        0,
      );
      const dbCpu = db ? cpuSeconds(db) - before.db : 0;
      const gen = process.cpuUsage(before.gen);
      const genCpu = (gen.user + gen.system) / 1e6;
      const rps = results.reduce((sum, r) => sum + r.rps, 0);
      const p99 = Math.max(...results.map((r) => r.p99));
      const errors = results.reduce((sum, r) => sum + r.errors + r.non2xx, 0);
      base ??= rps;
      const pct = (cpu: number) => `${Math.round((cpu / wall) * 100)}%`;
      rows.push(
        `| ${config.name} | ${rps.toFixed(0)} | ${p99} | ${(rps / base).toFixed(2)} | ${pct(serverCpu)} | ${pct(dbCpu)} | ${pct(genCpu)} | ${pct(serverCpu + dbCpu + genCpu)} | ${errors} |`,
      );
      for (const s of servers) {
        s.child.kill('SIGTERM');
        await new Promise((r) => s.child.once('exit', r));
      }
    }
  });
  console.log(
    `\nbench:checkins BENCH_MODE=scale — MariaDB, ${seconds}s per configuration, ${connections} connections in all`,
  );
  console.log(
    '| configuration | req/s | p99 ms | ratio to WORKERS=1 | server CPU | MariaDB CPU | load generator CPU | total CPU (2 cores = 200%) | errors |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
  // CPU the machine spent elsewhere (other sessions' builds and tests) is not in the columns above.
  console.log(
    `- load average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')} (2 cores)`,
  );
}

/** Check-ins by distinct members (one each) against one API for `seconds`. */
function checkins(
  api: string,
  tokens: string[],
  connections: number,
  seconds: number,
): Promise<Result> {
  let n = 0;
  const opts: autocannon.Options & { connections: number; duration: number } = {
    url: `${api}/checkins`,
    method: 'POST',
    connections,
    duration: seconds,
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${tokens[n++ % tokens.length]}`,
          },
          body: '{}',
        }),
      },
    ],
  };
  return load(opts);
}
