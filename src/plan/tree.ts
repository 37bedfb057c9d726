import { analyzeGraph } from './analyze.js';
import { PlanValidationError } from './errors.js';
import { transitiveReduction } from './reduce.js';
import { schemaProblems } from './schema-problems.js';
import { PlanSpec, type PlanSpecInput, type TaskTree } from './types.js';
import { normaliseUserPlan } from './user-plan.js';
import { fastPlanSpec } from './fast-parse.js';
import { validatePlan, type ValidatedPlan, type ValidatePlanOptions } from './validate.js';

/**
 * Validates a plan, drops redundant dependencies (transitive reduction) and analyses it: the
 * `TaskTree` the scheduler runs. Tasks come out in a deterministic topological order, each with only
 * the dependencies it really needs; the dropped ones are listed in `droppedEdges`.
 *
 * Throws `PlanValidationError` (code `PLAN_INVALID`) listing every problem when the plan is invalid,
 * unknown keys included (`depends_on` is accepted as `dependsOn`).
 *
 * @example
 * const tree = buildTaskTree({
 *   goal: 'Ship the release notes',
 *   tasks: [
 *     { id: 'collect', title: 'Collect changes', instructions: 'List merged PRs since v1.2' },
 *     { id: 'draft', title: 'Draft notes', instructions: 'Write the notes', dependsOn: ['collect'] },
 *   ],
 * });
 * tree.analysis.criticalPath; // ['collect', 'draft']
 */
export function buildTaskTree(input: PlanSpecInput | PlanSpec, options: ValidatePlanOptions = {}): TaskTree {
  const spec = parsePlanSpec(input);
  const result = validatePlan(spec, options);
  if (!result.ok) throw new PlanValidationError({ problems: result.problems });
  return treeOf(result.plan);
}

/** Reduction and analysis of a plan that already passed validation. */
export function treeOf(plan: ValidatedPlan): TaskTree {
  const { spec, graph, order } = plan;
  const reduction = transitiveReduction(graph.deps, order);
  const tasks = order.map((i) => {
    const task = spec.tasks[i]!;
    const kept = reduction.deps[i]!;
    // Keep the task object as is when nothing was dropped or deduplicated.
    return kept.length === task.dependsOn.length ? task : { ...task, dependsOn: kept.map((dep) => graph.ids[dep]!) };
  });
  return {
    goal: spec.goal,
    tasks,
    droppedEdges: reduction.dropped.map(([task, dep]) => [graph.ids[task]!, graph.ids[dep]!] as const),
    analysis: analyzeGraph({ ids: graph.ids, effort: spec.tasks.map((task) => task.effort), deps: reduction.deps, order }),
  };
}

/** Same checks as a plan file: `depends_on` accepted as `dependsOn`, any other unknown key an error. */
function parsePlanSpec(input: PlanSpecInput | PlanSpec): PlanSpec {
  // A plainly valid plan has no alias or unknown key to report: the quick parse is the whole check.
  const fast = fastPlanSpec(input);
  if (fast) return fast;
  const user = normaliseUserPlan(input);
  const parsed = PlanSpec.safeParse(user.data);
  const problems = [...user.problems, ...(parsed.success ? [] : schemaProblems(parsed.error, user.data))];
  if (parsed.success && problems.length === 0) return parsed.data;
  throw new PlanValidationError({ problems });
}
