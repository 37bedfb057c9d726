import type { CheckResult } from './checks.js';
import type { Provenance } from './model-source.js';

/** One case run under one strategy. */
export interface CaseResult {
  readonly case: string;
  /** The strategy it ran under; `task` for a Task() case (no coordination involved). */
  readonly strategy: string;
  readonly pass: boolean;
  readonly checks: readonly CheckResult[];
  /** Why the run itself failed (then no check ran). */
  readonly error?: { readonly message: string; readonly code?: string };
  readonly output: string;
  /** Tokens and cost of the run; judge calls are counted apart in `judgeTokens` / `judgeCostUsd`. */
  readonly tokens: number;
  readonly costUsd: number;
  readonly modelCalls: number;
  readonly latencyMs: number;
  readonly judgeTokens: number;
  readonly judgeCostUsd: number;
  /** Where the replies came from: live provider, scripted, or recorded and replayed. */
  readonly provenance?: Provenance;
  readonly model?: string;
}
