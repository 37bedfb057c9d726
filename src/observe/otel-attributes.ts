import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { safeJsonStringify } from '../events/jsonl-trace.js';
import type { Usage } from '../util/usage.js';

/**
 * Attribute names from the OpenTelemetry GenAI semantic conventions (still "Development" status
 * upstream). Both `gen_ai.provider.name` (current) and `gen_ai.system` (its older name, which many
 * backends still read) are set.
 */
export const GenAi = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  system: 'gen_ai.system',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  finishReasons: 'gen_ai.response.finish_reasons',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  cacheReadTokens: 'gen_ai.usage.cache_read.input_tokens',
  cacheWriteTokens: 'gen_ai.usage.cache_creation.input_tokens',
  agentName: 'gen_ai.agent.name',
  toolName: 'gen_ai.tool.name',
  toolCallId: 'gen_ai.tool.call.id',
  errorType: 'error.type',
  httpStatus: 'http.response.status_code',
} as const;

/** Taskforce's own attributes, all under `taskforce.`. */
export const Tf = {
  runId: 'taskforce.run.id',
  parentTaskId: 'taskforce.parent.task.id',
  taskId: 'taskforce.task.id',
  attempt: 'taskforce.task.attempt',
  depth: 'taskforce.depth',
  strategy: 'taskforce.strategy',
  decision: 'taskforce.decision',
  costUsd: 'taskforce.cost_usd',
  callId: 'taskforce.call.id',
  steps: 'taskforce.agent.steps',
  willRetry: 'taskforce.task.will_retry',
  cancelled: 'taskforce.task.cancelled',
  stoppedBy: 'taskforce.stopped_by',
  stoppedDetail: 'taskforce.stopped_by.detail',
  errorCode: 'taskforce.error.code',
  toolIsError: 'taskforce.tool.is_error',
  unfinished: 'taskforce.unfinished',
  goal: 'taskforce.goal',
  title: 'taskforce.task.title',
  output: 'taskforce.task.output',
} as const;

/** The GenAI operation names Taskforce's spans use. */
export type GenAiOperation = 'chat' | 'invoke_agent' | 'execute_tool';

/** Longest `taskforce.decision` value; a decision is a summary, not a transcript. */
export const MAX_DECISION_CHARS = 1000;

/** Attributes with the `undefined` entries dropped (OpenTelemetry rejects them one by one, with a warning). */
export function attributes(entries: Readonly<Record<string, AttributeValue | undefined>>): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) out[key] = value;
  return out;
}

/** Token counts under the GenAI usage names (cache counts only when the provider reported them). */
export function usageAttributes(usage: Usage): Attributes {
  return attributes({
    [GenAi.inputTokens]: usage.inputTokens,
    [GenAi.outputTokens]: usage.outputTokens,
    [GenAi.cacheReadTokens]: usage.cacheReadTokens,
    [GenAi.cacheWriteTokens]: usage.cacheWriteTokens,
  });
}

/** A strategy's decision as JSON, cut to {@link MAX_DECISION_CHARS}. */
export function decisionJson(decision: unknown): string {
  const json = safeJsonStringify(decision);
  return json.length <= MAX_DECISION_CHARS ? json : `${json.slice(0, MAX_DECISION_CHARS - 1)}…`;
}

/** `taskforce.budget.<kind>.remaining` style names, one per budget kind. */
export function budgetAttribute(kind: string, field: 'remaining' | 'limit' | 'used'): string {
  return `taskforce.budget.${kind}.${field}`;
}
