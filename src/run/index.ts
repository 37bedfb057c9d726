export type { Runtime, RuntimeLimits, RuntimeModels } from './runtime-types.js';
export { createBudgetTracker, type Budgets, type BudgetTracker, type BudgetUsage } from './budget.js';
export type { Store } from './store.js';
export { createRuntime, DEFAULT_LIMITS, type ManagedRuntime, type RuntimeConfig } from './runtime.js';
export { CLAUDE_MODEL_ALIASES } from './runtime-models.js';
export { guardedModel } from './guarded-model.js';
export { memoryStore } from './memory-store.js';
export { Task, runTask, type TaskOptions, type TaskResult } from './task.js';
export { defaultRuntime, closeDefaultRuntime, runtimeConfigFromEnv } from './default-runtime.js';
export { createTaskforce, type Taskforce, type TaskforceTaskOptions } from './create-taskforce.js';
export {
  orchestrate,
  runOrchestration,
  direct,
  RecursionCapError,
  SubRunError,
  type OrchestrateOptions,
  type OrchestrateRunOptions,
  type RunResult,
  type RunNode,
  type TaskNode,
  type RunMetrics,
  type StoppedBy,
  type CapReport,
  type RefineOptions,
} from './orchestrate/index.js';
export { fileStore, StoreCorruptError, StoreReadError, StoreWriteError, type FileStore, type FileStoreOptions } from './file-store.js';
