import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { importOptional } from '../util/import-optional.js';
import { z } from 'zod';
import type { Taskforce } from '../api/create-taskforce.js';
import type { TaskResult } from '../api/task.js';
import type { AgentDefinition } from '../agents/types.js';
import { errorInfo } from '../errors/error-info.js';
import type { RunResult } from '../orchestrate/types.js';
import { orchestrationProgress, type ProgressUpdate } from './progress.js';

/** Options of `createMcpServer`. */
export interface McpServerOptions {
  /** Server name announced to clients. Default `'taskforce'`. */
  readonly name?: string;
  /** Server version announced to clients. Default `'0.0.0'`. */
  readonly version?: string;
  /** Called when a tool call ends (for a log line): the tool, and `ok`, `cancelled` or the error code. */
  readonly onCallEnd?: (tool: string, outcome: string) => void;
}

const STRATEGIES = ['direct', 'consensus', 'hierarchical', 'auction', 'stigmergy'] as const;

/** What the `task` tool takes. */
export const TaskToolInput = {
  agent: z.string().min(1).describe('The agent type to run, e.g. "researcher" (list_agents names them all)'),
  prompt: z.string().min(1).describe('What the agent must do, self-contained'),
  description: z.string().optional().describe('A short label for the job (events, traces); default the prompt\'s start'),
  maxSteps: z.number().int().min(1).optional().describe('At most this many model calls in the agent\'s loop'),
};

/** What the `orchestrate` tool takes. */
export const OrchestrateToolInput = {
  goal: z.string().min(1).describe('The goal: planned into tasks, worked on by agents, synthesized into one answer'),
  strategy: z.enum(STRATEGIES).optional().describe('How agents are coordinated on each task (default direct)'),
  maxDepth: z.number().int().min(0).optional().describe('Deepest sub-run level; 0 = no sub-runs'),
  budgetUsd: z.number().min(0).optional().describe('Stop the run once it has cost this much (the partial result is kept)'),
  concurrency: z.number().int().min(1).optional().describe('Tasks in flight at once'),
};

/** What the `plan` tool takes. */
export const PlanToolInput = {
  goal: z.string().min(1).describe('The goal to break into a task tree (nothing is run)'),
};

/**
 * An MCP server (the official SDK's `McpServer`, not yet connected) whose tools run on `taskforce`:
 *
 * - `task` — one agent on one job, like `Task()`; the result carries the output, usage and cost.
 * - `orchestrate` — plan → coordinate → synthesize; progress notifications as tasks start and
 *   finish (when the client sends a progress token), the result carries output, metrics and tasks.
 * - `plan` — the task tree the planner makes, nothing run.
 * - `list_agents` — the agents the runtime has.
 *
 * Cancelling a call (MCP `notifications/cancelled`) aborts its run. The SDK is imported here, on the
 * first call, so apps that never serve MCP do not load it. Connect it to a transport yourself, or run
 * `taskforce mcp`.
 *
 * @example
 * ```ts
 * import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
 * const tf = await createTaskforce({ model: 'anthropic:claude-haiku-4-5' });
 * const server = await createMcpServer(tf);
 * await server.connect(new StdioServerTransport());
 * ```
 */
export async function createMcpServer(taskforce: Taskforce, options: McpServerOptions = {}): Promise<McpServer> {
  const { McpServer: Server } = await importOptional('@modelcontextprotocol/sdk', 'the MCP server', () => import('@modelcontextprotocol/sdk/server/mcp.js'));
  const server = new Server({ name: options.name ?? 'taskforce', version: options.version ?? '0.0.0' }, { capabilities: { tools: {} } });
  const ended = (tool: string, outcome: string) => options.onCallEnd?.(tool, outcome);

  server.registerTool(
    'task',
    {
      title: 'Run one agent',
      description: 'Runs one Taskforce agent on one job (its loop with its tools, under the runtime\'s limits) and returns its answer with usage and cost.',
      inputSchema: TaskToolInput,
    },
    async (input, extra) =>
      guarded('task', ended, extra.signal, async () => {
        const result = await taskforce.task(input.description ?? input.prompt.slice(0, 60), input.prompt, input.agent, {
          signal: extra.signal,
          ...(input.maxSteps !== undefined ? { maxSteps: input.maxSteps } : {}),
        });
        ended('task', 'ok');
        return { content: [{ type: 'text', text: result.output }], structuredContent: taskSummary(result) };
      }),
  );

  server.registerTool(
    'orchestrate',
    {
      title: 'Orchestrate a goal',
      description:
        'Plans the goal into tasks, coordinates agents on each, recurses into decomposable tasks and synthesizes one answer. ' +
        'Sends progress notifications as tasks start and finish; the result carries the answer, usage, cost and each task\'s status.',
      inputSchema: OrchestrateToolInput,
    },
    async (input, extra) =>
      guarded('orchestrate', ended, extra.signal, async () => {
        const token = extra._meta?.progressToken;
        // Sent in order, and all sent before the result: a client must not see progress after the answer.
        let sent: Promise<unknown> = Promise.resolve();
        const send = (update: ProgressUpdate) => {
          if (token === undefined) return;
          // A lost notification must not fail the run.
          sent = sent.then(() => extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, ...update } })).catch(() => undefined);
        };
        const result = await taskforce.orchestrate(input.goal, {
          signal: extra.signal,
          onEvent: orchestrationProgress(send),
          ...(input.strategy !== undefined ? { strategy: input.strategy } : {}),
          ...(input.maxDepth !== undefined ? { maxDepth: input.maxDepth } : {}),
          ...(input.budgetUsd !== undefined ? { budgets: { maxCostUsd: input.budgetUsd } } : {}),
          ...(input.concurrency !== undefined ? { concurrency: input.concurrency } : {}),
        });
        await sent;
        // The SDK's client handles a notification a microtask late but a response at once: a last
        // notification read in the same chunk as the response would find its handler gone. Answering on
        // a later turn of the event loop lets the notifications go out on their own first.
        await new Promise((resolve) => setImmediate(resolve));
        ended('orchestrate', result.stoppedBy ? result.stoppedBy.kind : 'ok');
        const summary = runSummary(result);
        return { content: [{ type: 'text', text: String(result.output) }], structuredContent: summary };
      }),
  );

  server.registerTool(
    'plan',
    {
      title: 'Plan a goal',
      description: 'Breaks the goal into a task tree (tasks, capabilities, dependencies, layers, critical path) without running anything.',
      inputSchema: PlanToolInput,
    },
    async (input, extra) =>
      guarded('plan', ended, extra.signal, async () => {
        // The planner takes one signal: the call's cancel and the runtime closing both stop it.
        const tree = await taskforce.plan(input.goal, { signal: AbortSignal.any([extra.signal, taskforce.runtime.signal]) });
        ended('plan', 'ok');
        return { content: [{ type: 'text', text: JSON.stringify(tree, null, 2) }], structuredContent: { ...tree } };
      }),
  );

  server.registerTool(
    'list_agents',
    { title: 'List agents', description: 'The agents task and orchestrate can use: name, description, capabilities, tools.', inputSchema: {} },
    async () => {
      const agents = taskforce.runtime.agents.list().map(agentSummary);
      ended('list_agents', 'ok');
      return {
        content: [{ type: 'text', text: agents.map((a) => `${a.name}: ${a.description} [${a.capabilities.join(', ')}]`).join('\n') }],
        structuredContent: { agents },
      };
    },
  );

  return server;
}

/** A tool call's errors as an MCP error result (`isError`), with the Taskforce error code. */
async function guarded(
  tool: string,
  ended: (tool: string, outcome: string) => void,
  signal: AbortSignal,
  work: () => Promise<CallToolResult>,
): Promise<CallToolResult> {
  try {
    return await work();
  } catch (error) {
    const { message, code } = errorInfo(error, 'INTERNAL');
    ended(tool, signal.aborted ? 'cancelled' : code);
    return { content: [{ type: 'text', text: `${message} [${code}]` }], structuredContent: { error: { message, code } }, isError: true };
  }
}

/** The `task` tool's structured result. */
export function taskSummary(result: TaskResult): Record<string, unknown> {
  return {
    output: result.output,
    agent: result.agent,
    usage: result.usage,
    costUsd: result.costUsd,
    modelCalls: result.steps.length,
    durationMs: result.durationMs,
    finishReason: result.finishReason,
  };
}

/** The `orchestrate` tool's structured result: the answer, why it stopped early, totals, and each top-level task. */
export function runSummary(result: RunResult<unknown>): Record<string, unknown> {
  const { metrics } = result;
  return {
    output: result.output,
    ...(result.stoppedBy ? { stoppedBy: result.stoppedBy } : {}),
    usage: metrics.usage,
    costUsd: metrics.costUsd,
    metrics: {
      tokens: metrics.tokens,
      modelCalls: metrics.modelCalls,
      wallTimeMs: metrics.wallTimeMs,
      agentsSpawned: metrics.agentsSpawned,
      maxDepthReached: metrics.maxDepthReached,
      runs: metrics.runs,
      tasks: metrics.tasks,
    },
    tasks: result.tree.tasks.map((task) => ({
      id: task.id,
      title: task.title,
      status: task.status,
      agents: task.agents,
      ...(task.reason ? { reason: task.reason } : {}),
      costUsd: task.usage.subtree.costUsd,
    })),
  };
}

function agentSummary(agent: AgentDefinition): { name: string; description: string; capabilities: string[]; tools?: string[] } {
  return {
    name: agent.name,
    description: agent.description,
    capabilities: [...agent.capabilities],
    ...(agent.tools ? { tools: [...agent.tools] } : {}),
  };
}
