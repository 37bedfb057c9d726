import type { Registry } from 'prom-client';
import { importOptional } from '../util/import-optional.js';
import { redisConnection } from './connection.js';

/**
 * Adds the queue's state to a Prometheus registry, read from Redis at each scrape:
 * `taskforce_queue_jobs{queue,state}` (waiting, active, delayed, failed) and
 * `taskforce_queue_workers{queue}` (workers connected to it, on any machine).
 */
export async function registerQueueMetrics(registry: Registry, options: { readonly redis: string; readonly queue: string }): Promise<{ close(): Promise<void> }> {
  const [bullmq, prom] = await Promise.all([
    importOptional('bullmq', 'queue metrics', () => import('bullmq')),
    importOptional('prom-client', 'queue metrics', () => import('prom-client')),
  ]);
  const queue = new bullmq.Queue(options.queue, { connection: redisConnection(options.redis) });
  new prom.Gauge({
    name: 'taskforce_queue_jobs',
    help: 'Agent runs in the workers\' queue, by state.',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
      for (const [state, count] of Object.entries(counts)) this.set({ queue: options.queue, state }, count);
    },
  });
  new prom.Gauge({
    name: 'taskforce_queue_workers',
    help: 'Workers connected to the queue, on any machine.',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      this.set({ queue: options.queue }, await queue.getWorkersCount());
    },
  });
  return { close: () => queue.close() };
}
