import type { CallTags, GenerateObjectRequest, GenerateObjectResult, GenerateRequest, GenerateResult, Model, StreamPart, Usage } from '../../model/types.js';
import { addUsage, mergeCallTags, ZERO_USAGE } from '../../model/types.js';
import type { BudgetTracker } from '../budget.js';
import { guardedModel } from '../guarded-model.js';
import type { ModelCallRecord } from '../lineage.js';
import type { Runtime } from '../runtime-types.js';
import type { NodeUsage } from './types.js';

/** The model calls made for one node of the run tree (a task, or a run's own planning and synthesis). */
export interface CallLog {
  readonly records: readonly ModelCallRecord[];
  add(call: { provider: string; model: string; usage: Usage; costUsd: number; agent?: string }): void;
  usage(): NodeUsage;
}

/** No calls, no tokens, no cost: the usage of a node that spent nothing. */
export const ZERO_NODE_USAGE: NodeUsage = Object.freeze({ modelCalls: 0, tokens: 0, usage: ZERO_USAGE, costUsd: 0 });

/** Tokens as budgets count them: input, output and cache tokens. */
export function tokensOf(usage: Usage): number {
  return usage.inputTokens + usage.outputTokens + (usage.cacheReadTokens ?? 0) + (usage.cacheWriteTokens ?? 0);
}

/** The sum of two nodes' usage (calls, tokens, usage breakdown and cost). */
export function addNodeUsage(a: NodeUsage, b: NodeUsage): NodeUsage {
  return { modelCalls: a.modelCalls + b.modelCalls, tokens: a.tokens + b.tokens, usage: addUsage(a.usage, b.usage), costUsd: a.costUsd + b.costUsd };
}

/**
 * A log whose call ids are `<prefix>#<n>` in completion order: local and deterministic, because a
 * `Model` passed in by the caller may report its own call ids on another bus, or on none.
 */
export function createCallLog(prefix: string): CallLog {
  const records: ModelCallRecord[] = [];
  return {
    records,
    add(call) {
      const record: ModelCallRecord = {
        callId: `${prefix}#${records.length + 1}`,
        provider: call.provider,
        model: call.model,
        usage: { ...call.usage },
        costUsd: call.costUsd,
      };
      if (call.agent !== undefined) record.agent = call.agent;
      records.push(record);
    },
    usage() {
      let usage = ZERO_USAGE;
      let costUsd = 0;
      for (const r of records) {
        usage = addUsage(usage, r.usage);
        costUsd += r.costUsd;
      }
      return { modelCalls: records.length, tokens: tokensOf(usage), usage, costUsd };
    },
  };
}

/** What a metered model needs: where to log, the runtime's slots, and the run's own budget (if any). */
export interface MeterDeps {
  readonly log: CallLog;
  readonly slot: Runtime['slot'];
  /** The per-run budget, checked on top of the runtime's (which the runtime's models already apply). */
  readonly budget?: BudgetTracker;
  /** Put on the log records of this model's calls, and on their events as the `agent` tag. */
  readonly agent?: string;
  /**
   * Event tags of the node these calls serve (its `runId`, and `taskId` for a task's node), put on
   * every request; tags the caller set on a request win.
   */
  readonly tags?: Pick<CallTags, 'runId' | 'taskId'>;
}

/**
 * Wraps a model so each call takes one runtime slot for the call's duration, goes through the run's
 * budget, and is logged. The slot is held per model call, not per agent run: an agent that delegates
 * waits for its sub-run without holding a slot, so nested runs cannot deadlock on the runtime's slots.
 */
export function meteredModel(model: Model, deps: MeterDeps): Model {
  const inner = deps.budget ? guardedModel(model, deps.budget) : model;
  const nodeTags = mergeCallTags(deps.tags, deps.agent !== undefined ? { agent: deps.agent } : undefined);
  const tagged = <R extends GenerateRequest>(request: R): R => ({ ...request, tags: mergeCallTags(nodeTags, request.tags) });
  const log = (result: { usage: Usage; costUsd: number }, modelId: string) =>
    deps.log.add({ provider: model.provider, model: modelId, usage: result.usage, costUsd: result.costUsd, ...(deps.agent !== undefined ? { agent: deps.agent } : {}) });
  return {
    provider: model.provider,
    modelId: model.modelId,
    async generate(request: GenerateRequest): Promise<GenerateResult> {
      const result = await deps.slot(() => inner.generate(tagged(request)));
      log(result, result.modelId);
      return result;
    },
    async generateObject<T>(request: GenerateObjectRequest<T>): Promise<GenerateObjectResult<T>> {
      const result = await deps.slot(() => inner.generateObject(tagged(request)));
      log(result, model.modelId);
      return result;
    },
    async *stream(request: GenerateRequest): AsyncIterable<StreamPart> {
      // Hold a slot for as long as the caller iterates: enter it, then keep it until the stream ends.
      let leave!: () => void;
      const left = new Promise<void>((resolve) => (leave = resolve));
      let entered!: () => void;
      const inSlot = new Promise<void>((resolve) => (entered = resolve));
      const held = deps.slot(async () => {
        entered();
        await left;
      });
      await Promise.race([inSlot, held]);
      try {
        for await (const part of inner.stream(tagged(request))) {
          if (part.type === 'finish') log(part.result, part.result.modelId);
          yield part;
        }
      } finally {
        leave();
        await held;
      }
    },
  };
}
