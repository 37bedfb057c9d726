import { hash as hashOf } from 'node:crypto';
import { z } from 'zod';
import { TaskforceError } from '../errors/taskforce-error.js';
import type { EventBus } from '../events/bus.js';
import { safeJsonStringify } from '../events/jsonl-trace.js';
import { addUsage, ZERO_USAGE, type Usage } from '../model/types.js';
import type { TaskTree } from '../plan/types.js';
import type { ScheduleResult } from '../scheduler/types.js';

/**
 * Lineage: for every task, who worked on it (agents), what they spent (model calls), what it was
 * built from (dependency ids + a digest of each input), and which sub-runs it spawned. Plain,
 * JSON-serialisable, versioned data: store it, diff it, reload it with {@link parseRunLineage}.
 */
export const LINEAGE_SCHEMA_VERSION = 1;

const UsageRecord = z.object({
  inputTokens: z.number().nonnegative(),
  outputTokens: z.number().nonnegative(),
  cacheReadTokens: z.number().nonnegative().optional(),
  cacheWriteTokens: z.number().nonnegative().optional(),
});

/** One model call made for a task. */
export const ModelCallRecord = z.object({
  callId: z.string().min(1),
  provider: z.string(),
  model: z.string(),
  usage: UsageRecord,
  costUsd: z.number().nonnegative(),
  durationMs: z.number().nonnegative().optional(),
  agent: z.string().optional(),
});
export type ModelCallRecord = z.infer<typeof ModelCallRecord>;

/** One input a task used: the dependency it came from and a digest of its content. */
export const InputRecord = z.object({
  taskId: z.string().min(1),
  /** `sha256:` + the first 16 hex digits, see {@link digestOf}. */
  digest: z.string(),
});
export type InputRecord = z.infer<typeof InputRecord>;

/** The lineage of one task. */
export const TaskLineage = z.object({
  $schemaVersion: z.literal(LINEAGE_SCHEMA_VERSION),
  runId: z.string().min(1),
  taskId: z.string().min(1),
  /** The task's final status, as the scheduler reported it. */
  status: z.enum(['completed', 'failed', 'skipped', 'cancelled', 'not-run', 'waiting']).optional(),
  agents: z.array(z.string()),
  modelCalls: z.array(ModelCallRecord),
  inputs: z.array(InputRecord),
  outputDigest: z.string().optional(),
  /** Sum over `modelCalls`. */
  usage: UsageRecord,
  costUsd: z.number().nonnegative(),
  /** Sub-runs this task spawned (their `RunLineage.parent` points back here). */
  childRunIds: z.array(z.string()),
});
export type TaskLineage = z.infer<typeof TaskLineage>;

/** The lineage of one run (or sub-run). A sub-run names its parent run and task. */
export const RunLineage = z.object({
  $schemaVersion: z.literal(LINEAGE_SCHEMA_VERSION),
  runId: z.string().min(1),
  goal: z.string().optional(),
  depth: z.number().int().nonnegative(),
  parent: z.object({ runId: z.string().min(1), taskId: z.string().min(1) }).optional(),
  tasks: z.array(TaskLineage),
});
export type RunLineage = z.infer<typeof RunLineage>;

/** Lineage data did not match the schema (or has another `$schemaVersion`). */
export class InvalidLineageError extends TaskforceError {
  constructor(message: string) {
    super('LINEAGE_INVALID', message);
  }
}

/**
 * Parses stored lineage. @throws InvalidLineageError naming each bad field by its path
 * (e.g. `tasks.2.modelCalls.0.costUsd`).
 */
export function parseRunLineage(data: unknown): RunLineage {
  const parsed = RunLineage.safeParse(data);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new InvalidLineageError(`invalid run lineage: ${problems.join('; ')}`);
}

/**
 * A short, stable digest of a value: `sha256:` + 16 hex digits. Strings are hashed as they are;
 * anything else as JSON with object keys sorted, so equal data gives equal digests.
 */
export function digestOf(value: unknown): string {
  const text = typeof value === 'string' ? `s:${value}` : `j:${safeJsonStringify(sortKeys(value))}`;
  return `sha256:${hashOf('sha256', text, 'hex').slice(0, 16)}`;
}

/** Input records for a task's inputs (dependency id → output), sorted by dependency id. */
export function inputRecords(inputs: Readonly<Record<string, unknown>>): InputRecord[] {
  return Object.keys(inputs)
    .sort()
    .map((taskId) => ({ taskId, digest: digestOf(inputs[taskId]) }));
}

/** What {@link taskLineage} needs; everything but the ids is optional. */
export interface TaskLineageInput {
  readonly runId: string;
  readonly taskId: string;
  readonly status?: TaskLineage['status'];
  readonly agents?: readonly string[];
  readonly modelCalls?: readonly ModelCallRecord[];
  /** The inputs the task received (dependency id → output). */
  readonly inputs?: Readonly<Record<string, unknown>>;
  /** The task's output, digested (not stored). */
  readonly output?: unknown;
  readonly childRunIds?: readonly string[];
}

/** Builds one task's lineage record, summing usage and cost over its model calls. */
export function taskLineage(input: TaskLineageInput): TaskLineage {
  return lineageRecord(input, inputRecords(input.inputs ?? {}));
}

/** {@link taskLineage} with the input records already made. */
function lineageRecord(input: Omit<TaskLineageInput, 'inputs'>, inputs: InputRecord[], digest = digestOf): TaskLineage {
  const modelCalls = [...(input.modelCalls ?? [])];
  let usage: Usage = ZERO_USAGE;
  let costUsd = 0;
  for (const call of modelCalls) {
    usage = addUsage(usage, call.usage);
    costUsd += call.costUsd;
  }
  const record: TaskLineage = {
    $schemaVersion: LINEAGE_SCHEMA_VERSION,
    runId: input.runId,
    taskId: input.taskId,
    agents: [...(input.agents ?? [])],
    modelCalls,
    inputs,
    usage,
    costUsd,
    childRunIds: [...(input.childRunIds ?? [])],
  };
  if (input.status !== undefined) record.status = input.status;
  if (input.output !== undefined) record.outputDigest = digest(input.output);
  return record;
}

/** The same record with `childRunId` linked (a new object; the input is not changed). */
export function withChildRun(task: TaskLineage, childRunId: string): TaskLineage {
  return task.childRunIds.includes(childRunId) ? task : { ...task, childRunIds: [...task.childRunIds, childRunId] };
}

/** Collects `model.call.finished` events per run and task, for lineage. */
export interface ModelCallRecorder {
  /** Calls tagged with this task (and run, if given; otherwise calls without a run id). */
  callsFor(taskId: string, runId?: string): ModelCallRecord[];
  /** Stops listening. */
  stop(): void;
}

/** Starts recording the model calls reported on `bus` (calls carry `taskId` when the caller tagged them). */
export function recordModelCalls(bus: EventBus): ModelCallRecorder {
  const calls = new Map<string, ModelCallRecord[]>();
  const key = (taskId: string, runId: string | undefined) => `${runId ?? ''}\u0000${taskId}`;
  const stop = bus.onType('model.call.finished', (event) => {
    if (event.taskId === undefined) return;
    const record: ModelCallRecord = {
      callId: event.callId,
      provider: event.provider,
      model: event.model,
      usage: { ...event.usage },
      costUsd: event.costUsd,
      durationMs: event.durationMs,
    };
    if (event.agent !== undefined) record.agent = event.agent;
    const k = key(event.taskId, event.runId);
    const list = calls.get(k);
    if (list) list.push(record);
    else calls.set(k, [record]);
  });
  return {
    callsFor: (taskId, runId) => [...(calls.get(key(taskId, runId)) ?? [])],
    stop,
  };
}

/** What {@link scheduleLineage} needs. */
export interface ScheduleLineageInput {
  readonly runId: string;
  readonly tree: TaskTree;
  readonly result: ScheduleResult<unknown>;
  readonly depth?: number;
  readonly parent?: RunLineage['parent'];
  /** Model calls per task; without it, records have none. */
  readonly modelCalls?: ModelCallRecorder;
  /** Sub-runs per task id. */
  readonly childRunIds?: Readonly<Record<string, readonly string[]>>;
}

/**
 * A run's lineage from a finished schedule: every task that started gets a record, with the outputs
 * of its dependencies digested as its inputs, exactly as the scheduler passed them (declared
 * dependencies the plan's transitive reduction dropped included).
 */
export function scheduleLineage(input: ScheduleLineageInput): RunLineage {
  const { tree, result, runId } = input;
  const dropped = new Map<string, string[]>();
  for (const [taskId, depId] of tree.droppedEdges) {
    const list = dropped.get(taskId);
    if (list) list.push(depId);
    else dropped.set(taskId, [depId]);
  }
  // Each output is digested once, though its dependents list it too.
  const digests = new Map<string, string>();
  const digestOfTask = (taskId: string) => {
    let digest = digests.get(taskId);
    if (digest === undefined) digests.set(taskId, (digest = digestOf(result.tasks[taskId]?.output)));
    return digest;
  };
  const tasks: TaskLineage[] = [];
  for (const task of tree.tasks) {
    const outcome = result.tasks[task.id];
    if (!outcome || outcome.attempts === 0) continue;
    const extra = dropped.get(task.id);
    const all = extra ? [...task.dependsOn, ...extra] : task.dependsOn;
    const deps = all.length > 1 ? [...new Set(all)] : [...all];
    tasks.push(
      lineageRecord(
        {
          runId,
          taskId: task.id,
          status: outcome.status,
          agents: outcome.agents,
          modelCalls: input.modelCalls?.callsFor(task.id, runId) ?? [],
          output: outcome.output,
          childRunIds: input.childRunIds?.[task.id] ?? [],
        },
        // As inputRecords makes them from the inputs by dependency id: sorted by id, one per id.
        deps.sort().map((dep) => ({ taskId: dep, digest: digestOfTask(dep) })),
        () => digestOfTask(task.id),
      ),
    );
  }
  const lineage: RunLineage = { $schemaVersion: LINEAGE_SCHEMA_VERSION, runId, goal: tree.goal, depth: input.depth ?? 0, tasks };
  if (input.parent) lineage.parent = input.parent;
  return lineage;
}

/** A copy with object keys sorted at every level, so digests do not depend on key order. */
function sortKeys(value: unknown, seen: object[] = []): unknown {
  if (typeof value !== 'object' || value === null || seen.includes(value)) return value;
  if (Array.isArray(value)) {
    seen.push(value);
    const out = value.map((item) => sortKeys(item, seen));
    seen.pop();
    return out;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  seen.push(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key], seen);
  seen.pop();
  return out;
}
