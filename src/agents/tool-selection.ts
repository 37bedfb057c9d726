import type { AgentDefinition } from './types.js';
import type { ToolApprovalRequest } from '../tools/execute-tool.js';
import type { Tool } from '../tools/types.js';

/** One call of a side-effecting tool put to the runtime's `approveToolCall` hook. */
export interface ToolCallApproval {
  readonly agent: string;
  readonly tool: string;
  /** The input the tool would run with, already validated against its schema. */
  readonly input: unknown;
  readonly taskId?: string;
  /** Fires when the run stops: a hook waiting for a person should give up then. */
  readonly signal: AbortSignal;
}

/**
 * Decides one call of a side-effecting tool that no grant covers: `true` runs it; `false` (or a throw)
 * refuses it, and the model reads an error result saying so.
 */
export type ApproveToolCall = (call: ToolCallApproval) => boolean | Promise<boolean>;

/** Who may run side-effecting tools beyond what each agent's own `tools` list grants. */
export interface ToolAccess {
  /** Side-effecting tools the runtime config grants, by agent name (`RuntimeConfig.toolGrants`). */
  readonly grants: ReadonlyMap<string, ReadonlySet<string>>;
  /** When set, side-effecting tools no grant covers are offered too, and each call runs only once this approves it. */
  readonly approve?: ApproveToolCall;
}

/** The tools one agent may call, and the names its definition asked for that the runtime lacks. */
export interface AgentTools {
  /** The tools offered to the model (their specs go with every model call): the only ones a call may reach. */
  readonly tools: ReadonlyMap<string, Tool>;
  /** Names in the agent's `tools` allow-list that no runtime tool has (e.g. Claude Code's `Read`). */
  readonly missing: readonly string[];
  /**
   * Side-effecting tools the agent's lists allow but nothing grants: not offered, and a call the model
   * makes anyway is refused with this text (which says how to grant the tool).
   */
  readonly withheld: ReadonlyMap<string, string>;
  /** Offered side-effecting tools no grant covers: each call runs only once `approveToolCall` approves it. */
  readonly needApproval: ReadonlySet<string>;
}

/**
 * The one rule for which tools an agent gets. Its `tools` allow-list (absent = every runtime tool)
 * and then its `disallowedTools` deny-list bound everything. Within them a read-only tool is offered;
 * a side-effecting tool (`sideEffects: true`) only when granted: named in the agent's own `tools`
 * list, or granted to the agent by the runtime (`access.grants`). With an approval hook
 * (`access.approve`) an ungranted side-effecting tool is offered too, and each call waits for the hook.
 * Otherwise it is withheld: an agent without a `tools` list never inherits one.
 *
 * Names the runtime does not provide are reported, not fatal: agent files written for other harnesses
 * list tools (`Read`, `Bash`) this runtime may not have.
 */
export function toolsForAgent(
  agent: Pick<AgentDefinition, 'name' | 'tools' | 'disallowedTools'>,
  available: ReadonlyMap<string, Tool>,
  access?: ToolAccess,
): AgentTools {
  const denied = new Set(agent.disallowedTools ?? []);
  const granted = access?.grants.get(agent.name);
  const wanted = agent.tools ?? [...available.keys()];
  const tools = new Map<string, Tool>();
  const withheld = new Map<string, string>();
  const needApproval = new Set<string>();
  const missing: string[] = [];
  for (const name of wanted) {
    const tool = available.get(name);
    if (!tool) missing.push(name);
    else if (denied.has(name)) continue;
    // Naming a tool in the agent's own list is a grant; inheriting every runtime tool is not.
    else if (!tool.sideEffects || agent.tools !== undefined || granted?.has(name)) tools.set(name, tool);
    else if (access?.approve) {
      tools.set(name, tool);
      needApproval.add(name);
    } else withheld.set(name, withheldMessage(name, agent.name));
  }
  return { tools, missing, withheld, needApproval };
}

/**
 * The `approve` check `executeToolCall` takes for one agent run: asks `access.approve` about calls of
 * the tools in `selection.needApproval`, lets every other call through. Undefined when nothing needs approval.
 */
export function approvalFor(
  selection: Pick<AgentTools, 'needApproval'>,
  access: ToolAccess | undefined,
  run: { readonly agent: string; readonly taskId?: string },
): ((request: ToolApprovalRequest) => boolean | Promise<boolean>) | undefined {
  const approve = access?.approve;
  if (!approve || selection.needApproval.size === 0) return undefined;
  return (request) =>
    !selection.needApproval.has(request.tool.name) ||
    approve({
      agent: run.agent,
      tool: request.tool.name,
      input: request.input,
      ...(run.taskId !== undefined ? { taskId: run.taskId } : {}),
      signal: request.signal,
    });
}

function withheldMessage(tool: string, agent: string): string {
  return (
    `Error: tool "${tool}" changes things outside this run, and agent "${agent}" is not granted it, so it did not run. ` +
    `A person can grant it by listing "${tool}" in the agent's tools, with the runtime's toolGrants ({ "${agent}": ["${tool}"] }), ` +
    'or by setting approveToolCall to approve each call. Go on without it.'
  );
}
