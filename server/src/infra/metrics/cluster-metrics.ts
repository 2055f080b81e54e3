import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { AggregatorRegistry, type Registry } from 'prom-client';

interface MetricsRequest {
  type: 'huoyue:metrics';
  id: string;
}
interface MetricsAnswer {
  type: 'huoyue:metrics-answer';
  id: string;
  text?: string;
  error?: string;
}

/** In a cluster worker: the registry the primary's aggregator reads over IPC. */
export function exposeToCluster(registry: Registry): void {
  if (!cluster.isWorker) return;
  AggregatorRegistry.setRegistries([registry]);
  // prom-client answers the primary's requests only once an AggregatorRegistry exists in this process too.
  new AggregatorRegistry();
}

/** In a cluster worker: every worker's metrics, aggregated by the primary (prom-client's AggregatorRegistry). */
export function clusterMetricsText(timeoutMs = 5000): Promise<string> {
  const id = randomUUID();
  return new Promise((resolve, reject) => {
    const onMessage = (message: MetricsAnswer) => {
      if (message?.type !== 'huoyue:metrics-answer' || message.id !== id) return;
      clearTimeout(timer);
      process.off('message', onMessage);
      if (message.text !== undefined) resolve(message.text);
      else reject(new Error(message.error ?? 'cluster metrics failed'));
    };
    const timer = setTimeout(() => {
      process.off('message', onMessage);
      reject(new Error('cluster metrics timed out'));
    }, timeoutMs);
    process.on('message', onMessage);
    process.send!({ type: 'huoyue:metrics', id } satisfies MetricsRequest);
  });
}

/** In the primary: answers workers' metrics requests with the aggregate of all workers. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: MetricsRequest) => {
    if (message?.type !== 'huoyue:metrics') return;
    const answer = (body: Partial<MetricsAnswer>) => {
      if (worker.isConnected())
        worker.send({ type: 'huoyue:metrics-answer', id: message.id, ...body });
    };
    aggregator.clusterMetrics().then(
      (text) => answer({ text }),
      (err: Error) => answer({ error: err.message }),
    );
  });
}
