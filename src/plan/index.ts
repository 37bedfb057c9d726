export type { PlanSpecInput, TaskSpecInput, TaskTree, PlanAnalysis } from './types.js';
export { PlanSpec, TaskSpec, TaskPriority } from './types.js';
export {
  planGoal,
  PlannerReply,
  PlannerTask,
  DEFAULT_PLANNER_LIMITS,
  type PlannerDeps,
  type PlanGoalOptions,
} from './planner.js';
export { plannerPrompt, defaultPlannerTemplate, capabilityVocabulary, type PlannerPromptInput, type PlannerFeedback } from './prompt.js';
export { validatePlan, type ValidatePlanOptions, type PlanLimits, type PlanValidation, type ValidatedPlan } from './validate.js';
export { buildTaskTree, treeOf } from './tree.js';
export { transitiveReduction, type Reduction } from './reduce.js';
export { analyzeGraph, type AnalysisInput } from './analyze.js';
export { loadPlanFile, parsePlan, type ParsePlanOptions, type PlanFormat } from './load.js';
export { PlanValidationError, PlanFileError } from './errors.js';
export { formatProblem, formatPath, type PlanProblem, type PlanProblemKind } from './problems.js';
