export { WorkflowSchema, StepSchema, TaskStep, stepKind, isWorkflow } from './types.js';
export type { Workflow, Step, StepKind, Branch, ChoiceSpec, FirstSpec, MergeSpec, RepeatSpec, GotoSpec, ForEachSpec, RaceBranch } from './types.js';
export { loadWorkflowFile, parseWorkflow, loadRunFile, type ParseWorkflowOptions, type RunFile } from './load.js';
export { parseExpression, evaluate as evaluateExpression, truthy, referencedOutputs, type Expression as WorkflowExpression } from './expression.js';
export { runWorkflow, type WorkflowRunDeps, type WorkflowRun } from './run-workflow.js';
export { WorkflowExpressionError, WorkflowFileError, WorkflowOutputError, WorkflowRunError } from './errors.js';
