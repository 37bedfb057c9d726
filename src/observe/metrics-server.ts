import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../errors/taskforce-error.js';
import type { TaskforceMetrics } from './metrics.js';

/** Where {@link serveMetrics} listens. */
export interface ServeMetricsOptions {
  /** TCP port; 0 picks a free one (read it from `url`). */
  readonly port: number;
  /** Interface to bind; default loopback only, `127.0.0.1`. */
  readonly host?: string;
}

/** A running metrics endpoint. */
export interface MetricsServer {
  /** `http://host:port/metrics`, with the port actually bound. */
  readonly url: string;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` (and `HEAD`) in Prometheus text format on `host:port`, loopback by default;
 * every other path is 404, every other method 405. Rejects with a `ConfigError` when the port is not
 * an integer in 0..65535 or cannot be bound (already in use, not permitted).
 *
 * @example
 * ```ts
 * const metrics = createMetrics();
 * const server = await serveMetrics(metrics, { port: 9464 });
 * console.log(server.url); // http://127.0.0.1:9464/metrics
 * await server.close();
 * ```
 */
export async function serveMetrics(metrics: Pick<TaskforceMetrics, 'registry'>, options: ServeMetricsOptions): Promise<MetricsServer> {
  const { port, host = '127.0.0.1' } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`metrics port must be an integer from 0 to 65535, got ${String(port)}`);
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: metrics are at /metrics\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => {
        response.writeHead(200, { 'content-type': metrics.registry.contentType });
        response.end(request.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`metrics failed: ${error instanceof Error ? error.message : String(error)}\n`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) =>
      reject(new ConfigError(`cannot serve metrics on ${host}:${port}: ${error.code ?? error.message}`, { cause: error }));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${bound}/metrics`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
