/**
 * `taskforce/observe`: watching runs from their events. Its own entry point, so that importing
 * `taskforce` does not load the OpenTelemetry API or prom-client for apps that never use them.
 *
 * @example
 * ```ts
 * import { createTaskforce } from 'taskforce-agents';
 * import { createMetrics, openTelemetryListener, serveMetrics } from 'taskforce-agents/observe';
 *
 * const metrics = createMetrics();
 * const traces = openTelemetryListener();
 * const tf = await createTaskforce({ onEvent: (event) => (metrics.listener(event), traces(event)) });
 * const server = await serveMetrics(metrics, { port: 9464 });
 * ```
 */
export { openTelemetryListener, type OpenTelemetryListenerOptions } from './otel.js';
export { createMetrics, BREAKER_STATE_VALUE, type MetricsOptions, type TaskforceMetrics } from './metrics.js';
export { serveMetrics, type ServeMetricsOptions, type MetricsServer } from './metrics-server.js';
export {
  renderRunHtml,
  readTrace,
  parseTrace,
  buildRunView,
  type RenderRunOptions,
  type RunView,
  type ViewRun,
  type ViewTask,
  type ViewCall,
  type ViewTotals,
  type ViewRunStatus,
  type ViewTaskStatus,
} from './viewer/index.js';
export { createEventStream, type EventStream, type EventStreamOptions } from './event-stream.js';
