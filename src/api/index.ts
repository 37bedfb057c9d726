export type { Runtime, RuntimeLimits, RuntimeModels } from '../runtime/runtime-types.js';
export { createBudgetTracker, type Budgets, type BudgetTracker, type BudgetUsage } from '../runtime/budget.js';
export type { Store } from '../runtime/store.js';
export { createRuntime, DEFAULT_LIMITS, type ManagedRuntime, type RuntimeConfig } from '../runtime/runtime.js';
export { CLAUDE_MODEL_ALIASES } from '../runtime/runtime-models.js';
export { chainModel, withBudget, type ModelChain } from '../runtime/model-chain.js';
export { memoryStore } from '../runtime/memory-store.js';
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
} from '../orchestrate/index.js';
export { fileStore, StoreCorruptError, StoreReadError, StoreWriteError, type FileStore, type FileStoreOptions } from '../runtime/file-store.js';
