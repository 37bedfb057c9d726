export { Task, runTask, type TaskOptions, type TaskResult } from './task.js';
export { orchestrate } from './orchestrate.js';
export { defaultRuntime, closeDefaultRuntime, runtimeConfigFromEnv } from './default-runtime.js';
export { createTaskforce, type Taskforce, type TaskforceTaskOptions } from './create-taskforce.js';
