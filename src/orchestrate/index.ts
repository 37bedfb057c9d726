export { orchestrate, runOrchestration } from './orchestrate.js';
export type { OrchestrateOptions, OrchestrateRunOptions, OrchestrateRuntimeSettings } from './options.js';
export type { PlannerSettings } from './orchestration.js';
export type {
  CapKind,
  CapReport,
  LineageTree,
  NodeUsage,
  RefineSummary,
  RunMetrics,
  RunNode,
  RunResult,
  StoppedBy,
  SynthesisSummary,
  TaskMode,
  TaskNode,
  UsageRollup,
  CompensationOutcome,
  DurableInfo,
  ReplanRecord,
} from './types.js';
export type { ReplanOptions } from './replan.js';
export { refineAnswer, critiquePrompt, revisePrompt, NO_CHANGES, type RefineOptions, type RefineInput, type RefineOutcome } from './refine.js';
export { createRecursionGuard, trajectoryHash, normalisePrompt, type RecursionGuard, type GuardSite, type Ticket } from './guard.js';
export { SubRunError } from './errors.js';
export { DELEGATE_TOOL } from './delegate-tool.js';
export { metricsOf, runsOf } from './metrics.js';
