import type { ResolvedModelSource } from '../eval/model-source.js';
import { createTaskforce, type Taskforce } from '../api/create-taskforce.js';
import { loadMcpConfig } from '../mcp-client/config.js';
import type { RuntimeConfig } from '../runtime/runtime.js';
import { cliPath, println, type CliIo } from './io.js';
import type { LiveView } from './live/views.js';
import { listenerFor, viewFor } from './view-for.js';

/** What a command that calls a model needs for its runtime. */
export interface SessionOptions {
  readonly model: ResolvedModelSource;
  /** `--agents` folders, loaded next to the built-in agents. */
  readonly agentsDirs: readonly string[];
  /** `--mcp-config FILE`: a `.mcp.json` whose servers' tools agents may use. */
  readonly mcpConfig?: string;
  /** `--workspace DIR`: Claude Code's built-in tools, confined to DIR. */
  readonly workspace?: string;
  /** `--json`: no notice and no live view on stderr. */
  readonly json: boolean;
  /** More runtime settings (seed, limits, signal). */
  readonly runtime?: Omit<RuntimeConfig, 'model' | 'modelOptions' | 'agentsDir' | 'onEvent' | 'clock'>;
}

/**
 * Runs `work` on a taskforce set up the way every command sets it up: the notice saying where the
 * replies come from, the live view on stderr fed by the runtime's events, the CLI's clock. The view
 * is finished and the runtime closed whether `work` succeeds or throws.
 */
export async function withTaskforce<T>(
  io: CliIo,
  options: SessionOptions,
  work: (taskforce: Taskforce, view: LiveView | undefined) => Promise<T>,
): Promise<T> {
  if (!options.json) println(io.stderr, options.model.notice);
  // Read before the view starts, so a bad file fails the command with its path and nothing else.
  const mcpServers = options.mcpConfig !== undefined ? await loadMcpConfig(cliPath(io, options.mcpConfig)) : undefined;
  const view = viewFor(io, { json: options.json });
  const taskforce = await createTaskforce({
    ...options.runtime,
    model: options.model.model,
    // The CLI's environment, not the process's, for every model the runtime creates (a source may bring its own).
    modelOptions: { env: io.env, ...options.model.modelOptions },
    ...(mcpServers !== undefined ? { mcpServers } : {}),
    ...(options.workspace !== undefined ? { workspace: { root: cliPath(io, options.workspace) } } : {}),
    ...(options.agentsDirs.length > 0 ? { agentsDir: options.agentsDirs.map((dir) => cliPath(io, dir)) } : {}),
    onEvent: listenerFor(view),
    clock: io.clock,
  });
  try {
    return await work(taskforce, view);
  } finally {
    view?.finish();
    await taskforce.close();
  }
}
