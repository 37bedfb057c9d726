import { addUsage, ZERO_USAGE, type Usage } from '../util/usage.js';

/** One model call as a node of the run tree records it. */
export interface LoggedCall {
  callId: string;
  provider: string;
  model: string;
  usage: Usage;
  costUsd: number;
  durationMs?: number;
  agent?: string;
}

/** What a set of model calls used. */
export interface NodeUsage {
  readonly modelCalls: number;
  /** Input + output (+ cache) tokens, counted the way budgets count them. */
  readonly tokens: number;
  readonly usage: Usage;
  readonly costUsd: number;
}

/** The model calls made for one node of the run tree (a task, or a run's own planning and synthesis). */
export interface CallLog {
  readonly records: readonly LoggedCall[];
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
  return new NodeCallLog(prefix);
}

/** A class rather than closures: a run keeps one log per task until it ends. */
class NodeCallLog implements CallLog {
  readonly records: LoggedCall[] = [];

  constructor(private readonly prefix: string) {}

  add(call: { provider: string; model: string; usage: Usage; costUsd: number; agent?: string }): void {
    const record: LoggedCall = {
      callId: `${this.prefix}#${this.records.length + 1}`,
      provider: call.provider,
      model: call.model,
      usage: { ...call.usage },
      costUsd: call.costUsd,
    };
    if (call.agent !== undefined) record.agent = call.agent;
    this.records.push(record);
  }

  usage(): NodeUsage {
    const { records } = this;
    if (records.length === 0) return ZERO_NODE_USAGE;
    let usage = ZERO_USAGE;
    let costUsd = 0;
    for (const r of records) {
      usage = addUsage(usage, r.usage);
      costUsd += r.costUsd;
    }
    return { modelCalls: records.length, tokens: tokensOf(usage), usage, costUsd };
  }
}
