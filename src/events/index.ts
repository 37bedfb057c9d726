export { createEventBus, type EventBus, type EventListener } from './bus.js';
export type { BreakerState, BudgetKind, EventInput, EventOf, TaskforceEvent, TaskforceEventType } from './types.js';
export {
  createJsonlTraceWriter,
  jsonlTraceSink,
  safeJsonStringify,
  TraceWriteError,
  type JsonlStream,
  type JsonlTraceOptions,
  type TraceSink,
} from './jsonl-trace.js';
