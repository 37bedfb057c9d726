import type { Usage } from '../model/types.js';
import type { BudgetKind } from '../events/types.js';
import type { ConvergenceReason } from '../convergence/detector.js';
import type { RunLineage } from './lineage.js';
import type { TaskErrorInfo, TaskStatus } from '../scheduler/types.js';
import type { Citation, SynthesisCheck } from '../synthesis/types.js';

import type { NodeUsage } from '../runtime/call-log.js';
export type { NodeUsage };

/** A node's own spend and its subtree's (its own plus everything below it). */
export interface UsageRollup {
  readonly own: NodeUsage;
  readonly subtree: NodeUsage;
}

import type { CapKind, CapReport } from '../errors/recursion-errors.js';
export type { CapKind, CapReport };

/** Why a run stopped before finishing everything. */
export type StoppedBy =
  | { readonly kind: 'budget'; readonly budget: BudgetKind; readonly detail: string }
  | { readonly kind: 'cancelled'; readonly detail: string }
  | { readonly kind: 'cap'; readonly cap: 'maxAgents'; readonly detail: string }
  | { readonly kind: 'failure'; readonly taskId: string; readonly detail: string }
  /** Tasks wait for a person's approval (a durable run; `taskforce approve`, then resume). */
  | { readonly kind: 'waiting'; readonly taskIds: readonly string[]; readonly detail: string };

/** How a task was worked on. */
export type TaskMode =
  /** By agents, through the coordination strategy. */
  | 'agents'
  /** As a sub-run one level deeper (plan → coordinate → synthesize). */
  | 'sub-run';

/** One task of a run, as it ended. */
export interface TaskNode {
  readonly id: string;
  readonly title: string;
  readonly status: TaskStatus;
  readonly mode: TaskMode;
  /** Agents whose work went into the output (for a sub-run: the agents of its tasks, in order). */
  readonly agents: readonly string[];
  readonly output?: string;
  readonly error?: TaskErrorInfo;
  /** Why it was skipped, cancelled or not run. */
  readonly reason?: string;
  readonly attempts: number;
  /** The strategy's decision (votes, bids, pheromone picks, delegation tree) of the last attempt. */
  readonly decision?: { readonly strategy: string } & Record<string, unknown>;
  /** Sub-runs: the decomposition of this task, and any sub-goals its agents delegated. */
  readonly subRuns: readonly RunNode[];
  /** Caps reached while working on this task. */
  readonly caps: readonly CapReport[];
  readonly usage: UsageRollup;
}

/** What synthesis did for a run. */
export interface SynthesisSummary {
  readonly citations: readonly Citation[];
  /** Whether the answer passed every check (citations, completeness, schema, rubric). */
  readonly passed: boolean;
  readonly attempts: number;
  readonly checks: readonly SynthesisCheck[];
}

/** What the refine (critique → revise) rounds did. */
export interface RefineSummary {
  /** Rounds observed, the first (the synthesized draft) included. */
  readonly rounds: number;
  /** Why refining stopped: the detector's reason, or `stopped` when a budget or cancellation cut it short. */
  readonly reason: ConvergenceReason | 'stopped';
  /** Similarity of the last round to the one before; `null` when only one round ran. */
  readonly similarity: number | null;
}

/** One run (the top-level one or a sub-run), recursively. */
export interface RunNode {
  readonly runId: string;
  readonly goal: string;
  readonly depth: number;
  /** The task (of the parent run) this sub-run works for. */
  readonly parent?: { readonly runId: string; readonly taskId: string };
  /** How the tasks came about: the planner model, or a plan or workflow the caller wrote. */
  readonly planned: 'planner' | 'user';
  /** Tasks in the plan's topological order, or a workflow's task instances in the order they started (empty when planning itself was stopped). */
  readonly tasks: readonly TaskNode[];
  readonly output: string;
  /** Absent when nothing was merged (no completed task, or a stop before synthesis). */
  readonly synthesis?: SynthesisSummary;
  readonly refine?: RefineSummary;
  readonly stoppedBy?: StoppedBy;
  /**
   * The error that ended a sub-run (its plan stayed invalid, its synthesis failed); the task it worked
   * for fails with the same error. (At the top level, `orchestrate` throws it instead.)
   */
  readonly error?: TaskErrorInfo;
  /**
   * Re-plans of this level (`OrchestrateRunOptions.replan`), in order: each failed task the planner
   * replaced, and each it could not (`outcome` `invalid` or `exhausted`, with the `reason`).
   */
  readonly replans?: readonly ReplanRecord[];
  readonly usage: UsageRollup;
}

/**
 * One re-plan of a run level: a task failed for good, and the planner was asked to replace it and
 * every task that depends on it. The replaced failed task stays in `RunNode.tasks` (status `failed`);
 * the dependents it replaced, which never ran, leave the list (unless a new task reuses an id).
 */
export interface ReplanRecord {
  readonly failedTaskId: string;
  /** The failed task's error. */
  readonly error: { readonly message: string; readonly code: string };
  /** The ids the planner was asked to replace: the failed task first, then its dependents. */
  readonly replacedTaskIds: readonly string[];
  /** The tasks that took their place (empty unless `outcome` is `replaced`). */
  readonly newTaskIds: readonly string[];
  /** 1 for the level's first re-plan, 2 for the next... (`exhausted`: the round that was not allowed). */
  readonly round: number;
  /**
   * `replaced`: the new tasks ran in their place. `invalid`: the planner's reply stayed invalid after
   * its re-asks (or the call failed); `exhausted`: no re-plans were left. Either way the failure stands.
   */
  readonly outcome: 'replaced' | 'invalid' | 'exhausted';
  /** Why the failure stands (`invalid`, `exhausted`). */
  readonly reason?: string;
}

/** Totals of a whole orchestration (all levels). */
export interface RunMetrics {
  readonly tokens: number;
  readonly usage: Usage;
  readonly costUsd: number;
  readonly modelCalls: number;
  /** From start to result on the runtime's clock (the only clock reading in a result). */
  readonly wallTimeMs: number;
  /** Agent runs started, across all levels (what `limits.maxAgents` caps). */
  readonly agentsSpawned: number;
  /** Depth of the deepest run (0 = no sub-runs). */
  readonly maxDepthReached: number;
  /** Runs in the tree, the top-level one included. */
  readonly runs: number;
  /** Tasks per final status, across all levels. */
  readonly tasks: Readonly<Record<TaskStatus, number>>;
  /** Refine rounds run on the final answer (0 without `refine`). */
  readonly rounds: number;
  readonly refine?: RefineSummary;
}

/** Lineage of every run of an orchestration: one tree, linked by `parent` and `childRunIds`. */
export interface LineageTree {
  readonly rootRunId: string;
  /** Depth-first, parents before children. */
  readonly runs: readonly RunLineage[];
}

/** What `orchestrate` returns. `T` is the output type (a string unless `outputSchema` is given). */
/** One compensating action of a failed or cancelled run (saga). */
export interface CompensationOutcome {
  readonly taskId: string;
  /** The task's run level (`""` at the top). */
  readonly path: string;
  readonly status: 'completed' | 'failed';
  readonly output?: string;
  readonly error?: string;
}

/** How a durable run went in this process. */
export interface DurableInfo {
  readonly runId: string;
  /** Where the journal is (`memory`, a file path). */
  readonly store: string;
  /** Whether an earlier process had started the run. */
  readonly resumed: boolean;
  /** Tasks completed by earlier processes, restored without running. */
  readonly restoredTasks: number;
  /** Model calls answered from the journal instead of the provider. */
  readonly replayedCalls: number;
}

export interface RunResult<T = string> {
  /**
   * The answer: the synthesized (and refined) output, or the schema-validated value. When the run was
   * stopped before synthesis could run, the completed results joined under their task ids.
   */
  readonly output: T | string;
  readonly tree: RunNode;
  readonly metrics: RunMetrics;
  readonly lineage: LineageTree;
  /** Set when a budget, cancellation, the agent cap or a fail-fast failure stopped the run; partial results are kept. */
  readonly stoppedBy?: StoppedBy;
  /** Every cap reached, at any level. */
  readonly caps: readonly CapReport[];
  /** The compensations run because the run failed or was cancelled, newest completed task first. */
  readonly compensations?: readonly CompensationOutcome[];
  /** Set for a durable run. */
  readonly durable?: DurableInfo;
}
