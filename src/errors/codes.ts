/**
 * Every stable `code` a Taskforce error carries, grouped by the folder that throws it. Callers branch
 * on these; a code, once published, keeps its meaning. `TaskforceError.code` is typed from this list,
 * so a subclass anywhere in the project cannot use a code that is not here.
 */
export const ERROR_CODES = [
  // src/errors
  'CONFIG_ERROR',
  'ABORTED',
  'BUDGET_EXCEEDED',
  'MODEL_API_ERROR',
  'MODEL_CONNECTION_ERROR',
  'MODEL_TIMEOUT',
  'MODEL_RESPONSE_ERROR',
  'STRUCTURED_OUTPUT_INVALID',
  'MODEL_REFUSAL',
  'MODEL_OUTPUT_TRUNCATED',
  'MODEL_EMPTY_OUTPUT',
  'APPROVAL_PENDING',
  'APPROVAL_REJECTED',
  // src/events
  'TRACE_WRITE_ERROR',
  // src/model
  'CASSETTE_MISS',
  'CASSETTE_INVALID',
  'MODEL_CIRCUIT_OPEN',
  'SCRIPT_ERROR',
  // tools
  'WORKSPACE_REFUSED',
  // src/convergence
  'CONVERGENCE_EMPTY_ROUND',
  'CONVERGENCE_ALREADY_STOPPED',
  'CONVERGENCE_BAD_SIMILARITY',
  // src/agents
  'AGENT_DEFINITION_INVALID',
  'AGENT_DUPLICATE_NAME',
  'AGENT_LOAD_FAILED',
  'AGENT_UNKNOWN',
  'HOOK_FAILED',
  // src/plan
  'PLAN_INVALID',
  'PLAN_FILE_INVALID',
  // src/synthesis
  'SYNTHESIS_FAILED',
  // src/store
  'STORE_CORRUPT',
  'STORE_READ_FAILED',
  'STORE_WRITE_FAILED',
  'STORE_CLOSED',
  'STORE_SCHEMA_UNSUPPORTED',
  'STORE_UNAVAILABLE',
  'RUN_NOT_FOUND',
  'RUN_EXISTS',
  // strategies
  'UNKNOWN_STRATEGY',
  'STRATEGY_OPTION_INVALID',
  'STRATEGY_VALUE_INVALID',
  'NO_CANDIDATES',
  'AUCTION_NO_SALE',
  'STORE_DATA_INVALID',
  // src/scheduler
  'INVALID_TASK_GRAPH',
  'TASK_TIMEOUT',
  // src/workflow
  'WORKFLOW_EXPRESSION_INVALID',
  'WORKFLOW_OUTPUT_INVALID',
  'WORKFLOW_RUN_INVALID',
  'WORKFLOW_FILE_INVALID',
  // src/durable
  'RUN_LEASED',
  'APPROVAL_NOT_PENDING',
  'TASK_FAILED_EARLIER',
  'DEAD_LETTER_NOT_FOUND',
  'RUN_NOT_RESUMABLE',
  // src/orchestrate
  'LINEAGE_INVALID',
  'RECURSION_CAPPED',
  'SUB_RUN_FAILED',
  // src/eval
  'EVAL_SUITE_INVALID',
  'REPLIES_FILE_INVALID',
  // src/cli
  'USAGE_ERROR',
  'NO_MODEL',
] as const;

/** A stable error code: one of `ERROR_CODES`. */
export type ErrorCode = (typeof ERROR_CODES)[number];

const KNOWN: ReadonlySet<string> = new Set(ERROR_CODES);

/** Whether a value is one of the stable codes (for codes read back from traces, results or JSON). */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && KNOWN.has(value);
}
