import { delimiter } from 'node:path';
import { ConfigError } from '../errors/taskforce-error.js';
import { modelFromEnvironment } from '../model/model-from-env.js';
import { MODEL_SETUP_HELP } from '../model/spec.js';
import { createRuntime, type ManagedRuntime, type RuntimeConfig } from '../runtime/runtime.js';

/**
 * The runtime config bare `Task()` uses, read from the environment:
 *
 * | variable                   | meaning                                                     |
 * | -------------------------- | ----------------------------------------------------------- |
 * | `TASKFORCE_MODEL`          | model spec, e.g. `anthropic:claude-haiku-4-5`               |
 * | `ANTHROPIC_API_KEY`        | without `TASKFORCE_MODEL`: `anthropic:claude-haiku-4-5`      |
 * | `OPENAI_API_KEY`           | without either above: `openai:gpt-5-mini`                   |
 * | `TASKFORCE_AGENTS_DIR`     | agent folders, separated by `:` (`;` on Windows)            |
 * | `TASKFORCE_CONCURRENCY`    | `limits.concurrency`                                        |
 * | `TASKFORCE_MAX_COST_USD`   | `budgets.maxCostUsd`                                        |
 * | `TASKFORCE_ALLOW_HOOKS`    | `true` / `1` to run agent hooks                             |
 *
 * The model is chosen as the CLI chooses it (`modelFromEnvironment`): a bare API key picks that
 * provider's default model. Provider keys and base URLs are read by the SDKs (`OPENAI_BASE_URL`, ...).
 */
export function runtimeConfigFromEnv(env: NodeJS.ProcessEnv): RuntimeConfig {
  const model = modelFromEnvironment(env);
  if (!model)
    throw new ConfigError(
      'Task() without a runtime needs TASKFORCE_MODEL (e.g. "anthropic:claude-haiku-4-5"), ANTHROPIC_API_KEY or OPENAI_API_KEY in the environment, ' +
        `or pass { runtime } / use createTaskforce(config).task().\n${MODEL_SETUP_HELP}`,
    );
  const dirs = env.TASKFORCE_AGENTS_DIR?.split(delimiter).filter((d) => d.trim() !== '');
  const concurrency = numberFrom(env, 'TASKFORCE_CONCURRENCY');
  const maxCostUsd = numberFrom(env, 'TASKFORCE_MAX_COST_USD');
  const hooks = env.TASKFORCE_ALLOW_HOOKS?.trim().toLowerCase();
  if (hooks !== undefined && !['', 'true', '1', 'false', '0'].includes(hooks))
    throw new ConfigError(`TASKFORCE_ALLOW_HOOKS must be true, false, 1 or 0, got "${env.TASKFORCE_ALLOW_HOOKS}"`);
  return {
    model,
    // Keys and base URLs come from the same environment as the model name.
    modelOptions: { env },
    ...(dirs && dirs.length > 0 ? { agentsDir: dirs } : {}),
    limits: {
      ...(concurrency !== undefined ? { concurrency } : {}),
      ...(hooks === 'true' || hooks === '1' ? { allowHooks: true } : {}),
    },
    ...(maxCostUsd !== undefined ? { budgets: { maxCostUsd } } : {}),
  };
}

function numberFrom(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`${name} must be a positive number, got "${raw}"`);
  return value;
}

// The one piece of process-level state in Taskforce, on purpose: bare `Task()` calls made from
// anywhere in a process (as an agent harness makes them) must share one runtime's concurrency slots,
// rate limits and budget, and that needs one shared instance. It is created lazily from the
// environment on first use; a failed creation is not cached, so fixing the environment and calling
// again works. Code that wants isolation passes `{ runtime }` or uses `createTaskforce(config)`.
let shared: Promise<ManagedRuntime> | undefined;

/** The process's default runtime, created from `process.env` on first call (see `runtimeConfigFromEnv`). */
export function defaultRuntime(): Promise<ManagedRuntime> {
  if (!shared) {
    const creating = Promise.resolve().then(() => createRuntime(runtimeConfigFromEnv(process.env)));
    shared = creating;
    creating.catch(() => {
      if (shared === creating) shared = undefined;
    });
  }
  return shared;
}

/** Closes the default runtime (if one was created) so the next bare `Task()` builds a fresh one. */
export async function closeDefaultRuntime(reason?: unknown): Promise<void> {
  const current = shared;
  shared = undefined;
  if (current) await (await current.catch(() => undefined))?.close(reason);
}
