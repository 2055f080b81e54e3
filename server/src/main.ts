import { ConfigError, loadConfig } from './config/config.js';
import { startServer } from './server.js';

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

const server = await startServer(config);
const fakeWechatNote = server.fakeWechatUrl ? `, fake WeChat on ${server.fakeWechatUrl}` : '';
console.log(`Huoyue API on ${server.apiUrl} (docs: ${server.apiUrl}/docs)${fakeWechatNote}`);

let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: finishing requests in flight, then stopping`);
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  server.close().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
