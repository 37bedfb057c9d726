import { createMetrics } from '../../observe/metrics.js';
import { serveMetrics } from '../../observe/metrics-server.js';
import { readTrace } from '../../observe/viewer/read-trace.js';
import { numberFlag, parseCommandArgs, requirePositionals, stringFlag, type FlagSpec } from '../args.js';
import { UsageError } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { cliPath, println, type CliIo } from '../io.js';

export const SERVE_METRICS_HELP = `Usage: taskforce serve-metrics --trace FILE [options]

Reads a run's JSONL trace (written with --trace) and serves its Prometheus metrics at
http://127.0.0.1:PORT/metrics until Ctrl-C. For a run in flight, use "taskforce run
--metrics-port N" instead.

Options:
  --trace FILE        the trace to read (required)
  --port N            port on 127.0.0.1; 0 picks a free one (default 9464)
  -h, --help          show this help

Exit codes: 0 stopped with Ctrl-C, 2 usage error, an unreadable or invalid trace, or a port
that cannot be bound.

Example:
  taskforce run --trace run.jsonl "Draft a release note for v2"
  taskforce serve-metrics --trace run.jsonl --port 9464`;

const FLAGS = {
  trace: { type: 'string' },
  port: { type: 'string' },
} as const satisfies FlagSpec;

/** The port Prometheus exporters of this kind conventionally use (the OpenTelemetry Prometheus exporter's). */
const DEFAULT_PORT = 9464;

/** `taskforce serve-metrics`. */
export async function serveMetricsCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs(args, FLAGS, SERVE_METRICS_HELP);
  if (parsed.help) return (println(io.stdout, SERVE_METRICS_HELP), EXIT.OK);
  requirePositionals(parsed, [], SERVE_METRICS_HELP);
  const tracePath = stringFlag(parsed, 'trace');
  if (tracePath === undefined) throw new UsageError('missing --trace FILE', SERVE_METRICS_HELP);
  const port = numberFlag(parsed, 'port', SERVE_METRICS_HELP, { integer: true, min: 0, max: 65535 }) ?? DEFAULT_PORT;

  const events = await readTrace(cliPath(io, tracePath));
  const metrics = createMetrics();
  for (const event of events) metrics.listener(event);
  const server = await serveMetrics(metrics, { port });
  println(io.stderr, `metrics on ${server.url}`);
  println(io.stderr, `${events.length} event(s) from ${tracePath}; Ctrl-C stops`);
  try {
    if (!io.interrupt.aborted) await new Promise<void>((resolve) => io.interrupt.addEventListener('abort', () => resolve(), { once: true }));
  } finally {
    await server.close();
  }
  return EXIT.OK;
}
