import { z } from 'zod';
import type { AgentDefinition } from '../agents/types.js';
import type { EventBus } from '../events/bus.js';
import type { Model } from '../model/types.js';
import { withFastParse } from '../model/schema-adapter.js';
import { fastPlannerReply } from './fast-parse.js';
import { PlanValidationError } from './errors.js';
import { formatProblem, type PlanProblem } from './problems.js';
import { capabilityVocabulary, defaultPlannerTemplate, plannerPrompt, type PlannerFeedback } from './prompt.js';
import { treeOf } from './tree.js';
import { TaskSpec, type TaskTree } from './types.js';
import { validatePlan, type PlanLimits } from './validate.js';

/** One task as the planner model writes it: `TaskSpec` without the user-only `agent` pin. */
export const PlannerTask = TaskSpec.pick({
  id: true,
  title: true,
  instructions: true,
  capabilities: true,
  dependsOn: true,
  priority: true,
  effort: true,
  decomposable: true,
});

/** The planner model's reply: the task list (the goal is ours, not the model's to restate). */
export const PlannerReply = withFastParse(z.object({ tasks: z.array(PlannerTask).min(1) }), fastPlannerReply);
export type PlannerReply = z.infer<typeof PlannerReply>;

/** Limits the planner applies unless told otherwise. */
export const DEFAULT_PLANNER_LIMITS: Required<PlanLimits> = Object.freeze({ maxTasks: 40, maxBreadth: 20, maxDepth: 12 });

/** What the planner needs, and nothing more: a model, the agents it may plan for, and where to report. */
export interface PlannerDeps {
  readonly model: Model;
  /** The agents whose capabilities a plan may require. With none, capabilities are not checked. */
  readonly agents: readonly AgentDefinition[];
  readonly events?: EventBus;
  readonly signal?: AbortSignal;
}

export interface PlanGoalOptions extends PlanLimits {
  /** Re-asks after an invalid plan, with its problems; default 2 (3 attempts in all). */
  readonly maxReasks?: number;
  /** Extra context given to the planner, e.g. the parent task when planning a sub-goal. */
  readonly context?: string;
  /** A template to use instead of `prompts/planner.md` (same placeholders). */
  readonly template?: string;
  readonly signal?: AbortSignal;
  readonly maxTokens?: number;
  readonly temperature?: number;
}

/**
 * Asks the planner model to break `goal` into tasks (structured output), validates the plan against
 * the agents' capabilities and the limits, and re-asks with the problems when it is invalid (at most
 * `maxReasks` times). Returns the reduced, analysed `TaskTree`; emits `plan.invalid` for each rejected
 * attempt and `plan.created` at the end.
 *
 * Throws `PlanValidationError` (code `PLAN_INVALID`) with the last attempt's problems when every
 * attempt was invalid; model errors (including `STRUCTURED_OUTPUT_INVALID`) pass through.
 *
 * @example
 * const tree = await planGoal('Write a market report on e-bikes', {
 *   model: runtime.models.planner,
 *   agents: runtime.agents.list(),
 * });
 * console.log(tree.analysis.criticalPath);
 */
export async function planGoal(goal: string, deps: PlannerDeps, options: PlanGoalOptions = {}): Promise<TaskTree> {
  const limits: PlanLimits = {
    maxTasks: options.maxTasks ?? DEFAULT_PLANNER_LIMITS.maxTasks,
    maxBreadth: options.maxBreadth ?? DEFAULT_PLANNER_LIMITS.maxBreadth,
    maxDepth: options.maxDepth ?? DEFAULT_PLANNER_LIMITS.maxDepth,
  };
  const maxReasks = options.maxReasks ?? 2;
  const template = options.template ?? defaultPlannerTemplate();
  const signal = options.signal ?? deps.signal;
  const validation = {
    ...limits,
    ...(deps.agents.length > 0 ? { knownCapabilities: capabilityVocabulary(deps.agents) } : {}),
  };

  let feedback: PlannerFeedback | undefined;
  let problems: readonly PlanProblem[] = [];
  for (let attempt = 1; attempt <= maxReasks + 1; attempt++) {
    const prompt = plannerPrompt({
      template,
      goal,
      agents: deps.agents,
      limits,
      ...(options.context !== undefined ? { context: options.context } : {}),
      ...(feedback ? { feedback } : {}),
    });
    const { object } = await deps.model.generateObject({
      prompt,
      schema: PlannerReply,
      schemaName: 'plan',
      schemaDescription: 'A task plan: tasks with ids, instructions, required capabilities and dependencies',
      ...(signal ? { signal } : {}),
      ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
      ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
    });
    const result = validatePlan({ goal, tasks: object.tasks }, validation);
    if (result.ok) {
      const tree = treeOf(result.plan);
      deps.events?.emit({
        type: 'plan.created',
        taskCount: tree.tasks.length,
        droppedEdges: tree.droppedEdges.map(([task, dependency]) => [task, dependency]),
        attempts: attempt,
      });
      return tree;
    }
    problems = result.problems;
    const errors = problems.map(formatProblem);
    deps.events?.emit({ type: 'plan.invalid', attempt, errors });
    feedback = { previous: object, problems: errors };
  }
  throw new PlanValidationError({ problems, attempts: maxReasks + 1, goal });
}
