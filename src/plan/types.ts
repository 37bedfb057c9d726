import { z } from 'zod';

export const TaskPriority = z.enum(['low', 'medium', 'high', 'critical']);
export type TaskPriority = z.infer<typeof TaskPriority>;

/** One task of a plan, as the planner returns it and as users write it (JSON/YAML). */
export const TaskSpec = z.object({
  id: z.string().min(1).describe('Unique id, short and stable, e.g. "research-market"'),
  title: z.string().min(1),
  instructions: z.string().min(1).describe('What the assigned agent must do, self-contained'),
  capabilities: z.array(z.string()).default([]).describe('Capabilities an agent needs for this task'),
  dependsOn: z.array(z.string()).default([]).describe('Ids of tasks whose output this task needs'),
  priority: TaskPriority.default('medium'),
  effort: z.number().positive().default(1).describe('Estimated effort in arbitrary units (1 = small)'),
  decomposable: z.boolean().default(false).describe('Whether this task is big enough to be planned as its own sub-goal'),
  /** Optional pin to one agent by name. */
  agent: z.string().optional(),
  /**
   * User plans only (the planner never writes it): in a durable run the task waits for a person's
   * approval before it starts; with `timeoutMs`, `default` (reject unless set) applies after that long.
   */
  approval: z
    .union([z.boolean(), z.strictObject({ timeoutMs: z.number().int().positive().optional(), default: z.enum(['approve', 'reject']).optional() })])
    .optional(),
  /**
   * User plans only: how to undo the task's effect if the run later fails or is cancelled (saga): a
   * tool call (input default `{ taskId, output }`) or an agent task (given the task's output).
   */
  compensate: z
    .union([
      z.strictObject({ tool: z.string().min(1), input: z.unknown().optional() }),
      z.strictObject({ agent: z.string().min(1), prompt: z.string().min(1) }),
    ])
    .optional(),
});
export type TaskSpec = z.infer<typeof TaskSpec>;
export type TaskSpecInput = z.input<typeof TaskSpec>;

export const PlanSpec = z.object({
  goal: z.string().min(1),
  tasks: z.array(TaskSpec).min(1),
});
export type PlanSpec = z.infer<typeof PlanSpec>;
/** A plan as written, before zod fills defaults (capabilities, dependsOn, priority, effort, decomposable). */
export type PlanSpecInput = z.input<typeof PlanSpec>;

/** A validated plan plus its analysis: what `plan(goal)` returns and the scheduler runs. */
export interface TaskTree {
  readonly goal: string;
  /** Tasks in a topological order. */
  readonly tasks: readonly TaskSpec[];
  /** Dependency edges removed as redundant (transitive reduction), as [task, dependency]. */
  readonly droppedEdges: readonly (readonly [string, string])[];
  readonly analysis: PlanAnalysis;
}

export interface PlanAnalysis {
  /** Topological layers: layer i holds tasks whose longest dependency chain has i tasks. */
  readonly layers: readonly (readonly string[])[];
  /** Task ids on the critical (longest by effort) path, first to last. */
  readonly criticalPath: readonly string[];
  /** Sum of effort along the critical path: the lower bound on makespan with unlimited workers. */
  readonly criticalPathEffort: number;
  readonly totalEffort: number;
  /** Tasks per layer. */
  readonly parallelismProfile: readonly number[];
  readonly maxParallelism: number;
  /** For each task, effort of the longest path from it to a sink, its own effort included (the scheduler's priority). */
  readonly remainingPath: Readonly<Record<string, number>>;
}
