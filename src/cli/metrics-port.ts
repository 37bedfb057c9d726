import type { Registry } from 'prom-client';
import type { EventBus } from '../events/bus.js';
import type { TaskforceEvent } from '../events/types.js';
import { println, type CliIo } from './io.js';

/** The `--metrics-port` line of a command's help. */
export const METRICS_PORT_HELP = `  --metrics-port N    serve Prometheus metrics of the run at http://127.0.0.1:N/metrics
                      while the command runs (0 picks a free port)`;

/** A metrics endpoint a command keeps open while it runs. */
export interface CliMetrics {
  /** Feeds the metrics from `events` (and every child bus of it). */
  attach(events: EventBus): void;
  /** The listener itself, for work that takes one (`runSuite`'s `onEvent`). */
  readonly listener: (event: TaskforceEvent) => void;
  /** The registry served, for a command's own metrics. */
  readonly registry: Registry;
  /** Stops serving and detaches. */
  close(): Promise<void>;
}

/**
 * Starts the metrics endpoint of `--metrics-port` on loopback and says where on stderr. prom-client is
 * imported here, on first use, so a command without the flag never loads it. A port that cannot be
 * bound is a `ConfigError` (exit 2).
 */
export async function startCliMetrics(io: CliIo, port: number): Promise<CliMetrics> {
  const [{ createMetrics }, { serveMetrics }] = await Promise.all([import('../observe/metrics.js'), import('../observe/metrics-server.js')]);
  const metrics = createMetrics();
  const server = await serveMetrics(metrics, { port });
  println(io.stderr, `metrics on ${server.url}`);
  const detach: (() => void)[] = [];
  return {
    attach: (events) => void detach.push(events.on(metrics.listener)),
    listener: metrics.listener,
    registry: metrics.registry,
    close: async () => {
      for (const off of detach.splice(0)) off();
      await server.close();
    },
  };
}
