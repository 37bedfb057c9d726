import type { EventBus } from '../events/bus.js';
import type { z } from 'zod';
import type { PlanGoalOptions } from '../plan/planner.js';
import type { TaskSpec, TaskTree } from '../plan/types.js';
import type { Workflow } from '../workflow/types.js';
import type { RunJournal } from '../durable/journal.js';
import type { BudgetKind } from '../errors/budget-errors.js';
import type { BudgetTracker, Budgets, ExternalLedger } from '../runtime/budget.js';
import type { Runtime } from '../runtime/runtime-types.js';
import type { FailurePolicy, RetryPolicy } from '../scheduler/types.js';
import type { Strategy } from '../../strategies/strategy.js';
import type { RecursionGuard } from './guard.js';
import type { CallLog, LoggedCall } from '../runtime/call-log.js';
import type { AgentRunResult } from '../agents/types.js';
import type { RunLineage } from './lineage.js';
import type { RefineOptions } from './refine.js';
import type { SchemaInput } from '../model/schema-adapter.js';
import type { RunNode, TaskMode } from './types.js';

/** `OrchestrateRunOptions.replan`: ask the planner to replace a task that failed for good. */
export interface ReplanOptions {
  /** Re-plans per run level (each replaces one failed task and its dependents); an integer ≥ 1. */
  readonly maxReplans: number;
}

/** Planner settings a run passes through (limits, re-asks, template). */
export type PlannerSettings = Omit<PlanGoalOptions, 'signal' | 'context'>;

/**
 * Everything shared by all levels of one orchestration, resolved once per `orchestrate` call from its
 * options and runtime. A plain value: nothing in it points back to the code that runs it.
 */
export interface RunSettings {
  /** The runtime as given (scopes are views of it). */
  readonly runtime: Runtime;
  readonly strategy: Strategy;
  readonly guard: RecursionGuard;
  /** Runtime and run budget together. */
  readonly budget: BudgetTracker;
  readonly maxDepth: number;
  readonly concurrency: number;
  readonly failurePolicy: FailurePolicy;
  readonly retry?: RetryPolicy;
  readonly planner: PlannerSettings;
  /** Re-planning of tasks that fail for good (`OrchestrateRunOptions.replan`); absent = off. */
  readonly replan?: ReplanOptions;
  readonly synthesis: { readonly maxAttempts?: number; readonly maxTokens?: number };
  /**
   * Whether a task's work can start a `Task()` (the runtime has tools, or the strategy is the caller's
   * own code), so the work scope must be tracked for it to inherit the task's caps.
   */
  readonly workMayNest: boolean;
  /** Awaited before each model call of the run (`OrchestrateRunOptions.beforeModelCall`). */
  readonly beforeModelCall?: () => Promise<void>;
  /** Whether agents get the `delegate` tool (false when the runtime has its own tool of that name). */
  readonly offerDelegate: boolean;
  /** A durable run's journal: what earlier processes did is not done again, and what this one does is recorded. */
  readonly journal?: RunJournal;
  /** Tasks completed at any level, for compensation (saga): pushed as they complete. */
  readonly completions: Completion[];
  /** Runs agents elsewhere (worker processes) instead of in this process, if set. */
  readonly agentRunner?: AgentRunner;
  /** The run's budget as `agentRunner` shares it (sent with each agent run), when it does. */
  readonly sharedBudget?: { readonly key: string; readonly limits: Budgets };
}

/**
 * Runs one agent of a task somewhere else, e.g. on a worker process through a queue
 * (`src/distributed/`): the strategy, the guard, approvals and the journal of task completions stay
 * with the run; the agent's model and tool calls happen where it runs (journaled there, in a durable
 * run, under the task's path).
 */
export interface AgentRunner {
  run(request: RemoteAgentRequest, signal: AbortSignal): Promise<RemoteAgentResult>;
  /**
   * Keeps run `runId`'s budgets where every process that runs its agents reserves each model call (the
   * queue runner: in Redis), so they hold across workers. Without it, the run checks its budgets
   * before each agent run it sends and charges the calls the agent made when it returns.
   */
  shareBudget?(run: ShareBudgetRequest): Promise<SharedRunBudget>;
}

/** The run whose budget to share. */
export interface ShareBudgetRequest {
  readonly runId: string;
  readonly limits: Budgets;
  /** A durable run's ledger outlives its process, under its run id; any other run's is its own. */
  readonly durable: boolean;
  /** A durable run resumed: what its earlier processes spent is kept (otherwise the ledger starts at zero). */
  readonly resumed: boolean;
}

/** A run's budget shared with where its agents run: the run reserves in it too. */
export interface SharedRunBudget extends ExternalLedger {
  /** Where the agents' processes find it (sent with each request). */
  readonly key: string;
  /** Refuses every call reserved from now on, on every process: the run was cancelled or ended. */
  stop(reason: string): Promise<void>;
}

/** One agent run to do elsewhere. */
export interface RemoteAgentRequest {
  /** The durable run's id (its journal), if the run is durable. */
  readonly journalRunId?: string;
  /** The run level's id and path, and the task. */
  readonly runId: string;
  readonly path: string;
  readonly taskId: string;
  readonly agent: string;
  /** 1 for this agent's first run on this task, 2 for its second...: with the task, it names the run's journal entries. */
  readonly run: number;
  readonly prompt: string;
  readonly system?: string;
  readonly depth: number;
  /** The run's shared budget (`AgentRunner.shareBudget`): every model call of the agent reserves in it. */
  readonly budget?: { readonly key: string; readonly limits: Budgets };
}

/**
 * What the agent did, with its model calls (for the task's node and the run's budget): its result,
 * or the stop that ended it (the run's budget reached, or the run stopped) as data, so the run stops
 * as it would in process instead of the job being tried again.
 */
export type RemoteAgentResult =
  | { readonly result: AgentRunResult; readonly calls: readonly LoggedCall[] }
  | { readonly stop: RemoteStop; readonly calls: readonly LoggedCall[] };

/** A stop that ended an agent run elsewhere. */
export type RemoteStop =
  | { readonly code: 'BUDGET_EXCEEDED'; readonly budget: BudgetKind; readonly used: number; readonly limit: number; readonly needed?: number }
  | { readonly code: 'ABORTED'; readonly message: string };

/** A task that completed, as compensation needs it. */
export interface Completion {
  /** The run level's path in the tree (`""` at the top). */
  readonly path: string;
  readonly runId: string;
  readonly task: TaskSpec;
  readonly output: string;
  /** Completion order: the journal's `seq` in a durable run, a counter otherwise. */
  readonly order: number;
  /** Completed by an earlier process of a durable run (restored from its journal). */
  readonly restored?: boolean;
}

/** Runs one run of the tree: passed down to the task executor, so sub-runs recurse without an import cycle. */
export type RunGoal = (request: RunRequest) => Promise<RunOutcome>;

/** One run to execute. */
export interface RunRequest {
  readonly runId: string;
  /** The run's place in the tree, stable across processes: `""` at the top, the task ids down to it below. */
  readonly path: string;
  readonly goal: string;
  readonly depth: number;
  readonly signal: AbortSignal;
  readonly parent?: { readonly runId: string; readonly taskId: string };
  /** A plan to run instead of asking the planner. */
  readonly tree?: TaskTree;
  /** A workflow to run instead of a plan (top level only). */
  readonly workflow?: Workflow;
  /** Extra planner context (the parent goal, for a sub-run). */
  readonly plannerContext?: string;
  /** Only for the top-level run: how its answer is synthesized and refined. */
  readonly final?: FinalStage;
}

/** The top-level run's synthesis settings. */
export interface FinalStage {
  readonly outputSchema?: SchemaInput<unknown>;
  readonly rubric?: string;
  readonly strict?: boolean;
  readonly refine?: RefineOptions;
}

/** One level of the tree (the top-level run or a sub-run) while it executes; built once per run. */
export interface RunLevel {
  readonly runId: string;
  /** As in `RunRequest.path`. */
  readonly path: string;
  readonly goal: string;
  readonly depth: number;
  readonly events: EventBus;
  /** Fires when this run must stop: the caller's signal, or the parent task's attempt ending. */
  readonly signal: AbortSignal;
  readonly records: Map<string, TaskRecord>;
  /**
   * Task attempts still running. A cancelled or fail-fast schedule returns without waiting for the
   * attempts it aborted; the run waits for them, so what they spent (a sub-run's calls) is in the tree.
   */
  readonly inFlight: Set<Promise<unknown>>;
}

/** What a task gathered while it ran (across attempts). */
export interface TaskRecord {
  readonly log: CallLog;
  /** The outputs of its dependencies, as the last attempt received them (for a dead letter). */
  inputs?: Readonly<Record<string, string>>;
  /** Tool calls made so far per agent, across attempts (a durable run numbers them for their journal keys). */
  toolCalls?: Map<string, number>;
  /** Delegated sub-runs started so far (their paths are numbered). */
  delegations?: number;
  /** Runs per agent sent to the run's `agentRunner` so far. */
  remoteRuns?: Map<string, number>;
  mode: TaskMode;
  decision?: { readonly strategy: string } & Record<string, unknown>;
  readonly subRuns: RunOutcome[];
}

/** A finished run: its public node, its lineage and its descendants', and the typed value if a schema was used. */
export interface RunOutcome {
  readonly node: RunNode;
  /** This run's lineage first, then its descendants', depth-first: built when first asked for. */
  readonly lineage: () => readonly RunLineage[];
  readonly value?: unknown;
  /** The error (not a stop) that ended the run; whoever started the run throws it. */
  readonly failure?: { readonly error: unknown };
}
