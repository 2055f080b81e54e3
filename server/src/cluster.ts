import cluster, { type Worker } from 'node:cluster';
import type { AppConfig } from './config/config.js';
import { openDatabase } from './database.js';
import { serveClusterMetrics } from './infra/metrics/cluster-metrics.js';

/** What a worker tells the primary once it listens. */
export interface ListeningMessage {
  type: 'huoyue:listening';
  apiUrl: string;
  fakeWechatUrl?: string;
}

/**
 * The cluster primary (WORKERS>1): forks the HTTP workers, which share the port; forks again a worker that dies
 * unexpectedly; forwards SIGTERM/SIGINT and exits once every worker has (0 when all stopped cleanly). It opens no
 * database and serves nothing itself, apart from gathering metrics for a scrape.
 */
export async function runPrimary(config: AppConfig): Promise<void> {
  // Migrations run once, here, before the workers start: two workers migrating one fresh database would race.
  const migrated = await openDatabase(config.database, 1);
  await migrated.destroy();
  serveClusterMetrics();
  let stopping = false;
  let failed = false;
  const listening = new Set<number>();
  const alive = new Set<Worker>();
  const fork = (): Worker => {
    const worker = cluster.fork();
    alive.add(worker);
    worker.on('message', (message: ListeningMessage) => {
      if (message?.type !== 'huoyue:listening' || listening.has(worker.id)) return;
      listening.add(worker.id);
      if (listening.size === config.workers)
        console.log(`Huoyue API on ${message.apiUrl} (${config.workers} workers)`);
    });
    return worker;
  };
  for (let i = 0; i < config.workers; i++) fork();

  cluster.on('exit', (worker, code, signal) => {
    alive.delete(worker);
    listening.delete(worker.id);
    if (stopping) {
      if (code !== 0) failed = true;
      if (alive.size === 0) process.exit(failed ? 1 : 0);
      return;
    }
    console.error(`worker ${worker.id} died (${signal ?? code}); starting another`);
    // A worker that dies at once (bad config, database down) is not forked in a tight loop.
    setTimeout(() => !stopping && fork(), 1000).unref();
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping ${config.workers} workers`);
    if (alive.size === 0) process.exit(0);
    for (const worker of alive) worker.process.kill(signal);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
