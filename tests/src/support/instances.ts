import { randomBytes } from 'node:crypto';
import { ApiClient, fetchTransport, type Transport } from '@huoyue/shared';
import { startServer, type RunningServer } from '@huoyue/server/dist/server.js';
import { startTestServer, type TestServer } from './test-server.js';

/** One of several server instances on the same database, in this process. */
export interface Instance extends RunningServer {
  client(token?: string): ApiClient;
}

export interface Instances {
  all: Instance[];
  /** The first instance: it owns the database, the data directory and the fake WeChat every instance uses. */
  first: TestServer;
  stop(): Promise<void>;
}

/**
 * `n` servers on ONE database, like instances behind a load balancer: the first is a test server (fresh database,
 * fake WeChat); the others start from its effective config (same DATABASE_URL, same JWT secret, WeChat and SMS
 * pointed at the first one's fake, which they do not start), so tokens work on any instance and every send lands
 * in one fake where it can be counted. With REDIS_URL in `env` each set gets a Redis key prefix of its own.
 */
export async function startInstances(
  n: number,
  env: Record<string, string> = {},
): Promise<Instances> {
  // A prefix of its own whichever way Redis is named (the caller's env or the process's): without it, hits of other
  // sets and runs in the same minute counted against this one (28 of 30 logins allowed, once).
  const redisUrl = env.REDIS_URL ?? process.env.REDIS_URL;
  const prefix = `huoyue-test:${randomBytes(4).toString('hex')}:`;
  const first = await startTestServer({
    ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix } : {}),
    ...env,
  });
  const others: RunningServer[] = [];
  try {
    for (let i = 1; i < n; i++)
      others.push(
        await startServer(
          { ...first.config, port: 0, wechat: { ...first.config.wechat, useFake: false } },
          { outboxSweepMs: 0, scheduledJobs: false },
        ),
      );
  } catch (err) {
    await Promise.all(others.map((o) => o.close()));
    await first.stop();
    throw err;
  }
  const wrap = (server: RunningServer): Instance => {
    // As in startTestServer: an answer is handed back once this instance's consumers have caught up.
    const transport: Transport = async (request) => {
      const response = await fetchTransport(request);
      await server.settled();
      return response;
    };
    return {
      ...server,
      client: (token?: string) =>
        new ApiClient({ baseUrl: server.apiUrl, transport, getToken: () => token }),
    };
  };
  return {
    all: [first, ...others].map(wrap),
    first,
    stop: async () => {
      await Promise.all(others.map((o) => o.close()));
      await first.stop();
    },
  };
}
