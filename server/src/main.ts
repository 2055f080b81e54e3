import cluster from 'node:cluster';
import { ConfigError, loadConfig, type AppConfig } from './config/config.js';
import { runPrimary, type ListeningMessage } from './cluster.js';
import { startServer, type RunningServer } from './server.js';

let config: AppConfig;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

if (config.workers > 1 && cluster.isPrimary) await runPrimary(config);
else await serve(config);

/**
 * How long a stopping process keeps accepting connections, answering new requests 503 (and readiness with them,
 * so a load balancer takes it out) while requests in flight finish. Closing the listener at once would reset
 * connections the kernel had accepted but the process had not yet read: requests already sent, cut.
 */
const DRAIN_MS = 1500;

async function drain(server: RunningServer): Promise<void> {
  (server.app.getHttpAdapter() as { beforeClose?: () => void }).beforeClose?.();
  await new Promise((r) => setTimeout(r, DRAIN_MS));
}

/** One serving process: alone, or one of the cluster's workers (which reports to the primary instead of printing). */
async function serve(config: AppConfig): Promise<void> {
  const server = await startServer(config);
  if (cluster.isWorker) {
    process.send!({
      type: 'huoyue:listening',
      apiUrl: server.apiUrl,
      fakeWechatUrl: server.fakeWechatUrl,
    } satisfies ListeningMessage);
  } else {
    const fakeWechatNote = server.fakeWechatUrl ? `, fake WeChat on ${server.fakeWechatUrl}` : '';
    console.log(
      `Huoyue API on ${server.apiUrl} (docs: ${server.apiUrl}/docs)${fakeWechatNote}, role ${config.role}`,
    );
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing requests in flight, then stopping`);
    const force = setTimeout(() => process.exit(1), 25_000);
    force.unref();
    drain(server)
      .then(() => server.close())
      .then(
        () => process.exit(0),
        (err) => {
          console.error(err);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
