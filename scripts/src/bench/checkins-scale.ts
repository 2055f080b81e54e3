/**
 * BENCH_MODE=scale of `npm run bench:checkins`: check-ins by distinct members against MariaDB served by one process
 * (WORKERS=1), by one process with two HTTP workers (WORKERS=2), and by two separate instances with the load
 * spread over them; per configuration the CPU each process used (from /proc), to name the limit.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { execFileSync } from 'node:child_process';
import { BenchRun, liftCheckinIpLimit, load, memberCheckins, ownerLogin } from './support.js';

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

/** Busy and total jiffies of the whole machine (all cores), from /proc/stat. */
function machineJiffies(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number);
  const idle = cpu[3]! + cpu[4]!;
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

type Server = Awaited<ReturnType<BenchRun['server']>>;

/** One configuration's run: req/s, p99, errors and the CPU each party used, as shares of one core. */
async function measure(servers: Server[], tokens: string[], connections: number, seconds: number) {
  const db = mariadbPid();
  const cpu = () => ({
    servers: servers.reduce((sum, s) => sum + cpuSeconds(s.child.pid!), 0),
    db: db ? cpuSeconds(db) : 0,
    machine: machineJiffies(),
  });
  const before = cpu();
  const gen = process.cpuUsage();
  const started = Date.now();
  const results = await Promise.all(
    servers.map((s, k) =>
      checkins(
        s.api,
        tokens.filter((_, j) => j % servers.length === k),
        Math.ceil(connections / servers.length),
        seconds,
      ),
    ),
  );
  const wall = (Date.now() - started) / 1000;
  const after = cpu();
  const genUsage = process.cpuUsage(gen);
  const machine =
    (after.machine.busy - before.machine.busy) / (after.machine.total - before.machine.total);
  return {
    rps: results.reduce((sum, r) => sum + r.rps, 0),
    p99: Math.max(...results.map((r) => r.p99)),
    errors: results.reduce((sum, r) => sum + r.errors + r.non2xx, 0),
    serverCpu: (after.servers - before.servers) / wall,
    dbCpu: (after.db - before.db) / wall,
    genCpu: (genUsage.user + genUsage.system) / 1e6 / wall,
    // Both cores busy, whoever used them: other sessions' work shows as the gap to the columns before it.
    machineCpu: machine * 2,
  };
}

const WECHAT = {
  WECHAT_APP_ID: 'wxfake0000000000',
  WECHAT_APP_SECRET: 'fake-secret-for-local-development',
};

export async function scaleOut(seconds: number, connections: number, memberCount: number) {
  const rows: string[] = [];
  await BenchRun.each(['mysql'], async (bench) => {
    const fake = await bench.start(
      'server/dist/fake-wechat/main.js',
      { FAKE_WECHAT_PORT: '0' },
      /listening on (\S+)/,
    );
    const wechat = { ...WECHAT, WECHAT_API_BASE_URL: fake.match[1]! };
    const setup = await bench.server(wechat);
    const token = await ownerLogin(setup.api);
    await liftCheckinIpLimit(setup.api, token);
    const { tokens } = await bench.members(setup.api, token, memberCount, 'SCALE');
    await stop(setup);
    const slice = Math.floor(tokens.length / CONFIGS.length);
    let base: number | undefined;
    for (const [i, config] of CONFIGS.entries()) {
      const servers: Server[] = [];
      for (let k = 0; k < config.instances; k++)
        servers.push(await bench.server({ ...wechat, WORKERS: String(config.workers) }));
      const m = await measure(
        servers,
        tokens.slice(i * slice, (i + 1) * slice),
        connections,
        seconds,
      );
      base ??= m.rps;
      const pct = (share: number) => `${Math.round(share * 100)}%`;
      rows.push(
        `| ${config.name} | ${m.rps.toFixed(0)} | ${m.p99} | ${(m.rps / base).toFixed(2)} | ` +
          `${pct(m.serverCpu)} | ${pct(m.dbCpu)} | ${pct(m.genCpu)} | ${pct(m.machineCpu)} | ${m.errors} |`,
      );
      for (const s of servers) await stop(s);
    }
  });
  console.log(
    `\nbench:checkins BENCH_MODE=scale — MariaDB, ${seconds}s per configuration, ${connections} connections in all`,
  );
  console.log(
    '| configuration | req/s | p99 ms | ratio to WORKERS=1 | server CPU | MariaDB CPU | load generator CPU | ' +
      'machine CPU, everyone (2 cores = 200%) | errors |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
  console.log(
    `- load average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')}`,
  );
}

async function stop(server: Server): Promise<void> {
  server.child.kill('SIGTERM');
  await new Promise((r) => server.child.once('exit', r));
}

/** Check-ins by distinct members (one each) against one API for `seconds`. */
function checkins(api: string, tokens: string[], connections: number, seconds: number) {
  const { requests } = memberCheckins(tokens);
  return load({ url: `${api}/checkins`, method: 'POST', connections, duration: seconds, requests });
}
