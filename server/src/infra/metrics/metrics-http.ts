import cluster from 'node:cluster';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppConfig } from '../../config/config.js';
import { clusterMetricsText } from './cluster-metrics.js';
import type { MetricsService } from './metrics.service.js';

const error = (code: string, message: string) => ({ error: { code, message } });

/** What a ROLE=worker process answers over HTTP: probes and metrics, nothing members or staff call. */
function servedByWorker(url: string): boolean {
  const path = url.split('?')[0]!;
  return path === '/metrics' || path === '/api/health' || path.startsWith('/api/health/');
}

/**
 * The HTTP latency histogram (by the route's template, never the raw URL: one series per route, not per id),
 * /metrics, the worker role's HTTP refusal, and the cluster worker's id on every answer.
 */
export function registerOpsHttp(
  fastify: FastifyInstance,
  metrics: MetricsService,
  config: AppConfig,
): void {
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.http.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
  if (config.role === 'worker')
    fastify.addHook('onRequest', async (request, reply) => {
      if (!servedByWorker(request.url))
        return reply
          .code(404)
          .send(error('NOT_FOUND', '此进程只运行后台任务（ROLE=worker），不提供该接口'));
    });
  const workerId = cluster.worker?.id;
  if (workerId !== undefined)
    fastify.addHook('onSend', async (_request, reply) => {
      void reply.header('x-worker', String(workerId));
    });
  if (config.metrics.enabled)
    fastify.get('/metrics', async (request, reply) => {
      if (!authorised(config.metrics.token, request.headers.authorization))
        return reply.code(401).send(error('UNAUTHENTICATED', '需要有效的指标访问令牌'));
      return sendMetrics(reply, metrics);
    });
}

async function sendMetrics(reply: FastifyReply, metrics: MetricsService): Promise<FastifyReply> {
  // Under node:cluster one scrape answers for every worker: the primary gathers their registries.
  const text = cluster.isWorker ? await clusterMetricsText() : await metrics.registry.metrics();
  return reply.type(metrics.registry.contentType).send(text);
}

function authorised(token: string | null, header: string | undefined): boolean {
  if (token === null) return true;
  const given = Buffer.from(header ?? '');
  const wanted = Buffer.from(`Bearer ${token}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
