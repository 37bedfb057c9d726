import { runAgent } from '../agents/loop.js';
import type { AgentDefinition, AgentMatch, AgentRunResult } from '../agents/types.js';
import { ConfigError } from '../errors/taskforce-error.js';
import type { TaskSpec } from '../plan/types.js';
import type { Runtime } from '../runtime/runtime-types.js';
import type { TaskExecutor } from '../scheduler/types.js';
import { delegateTool, DELEGATE_TOOL } from './delegate-tool.js';
import { createCallLog } from '../runtime/call-log.js';
import type { Orchestration, RunFrame, TaskRecord } from './orchestration.js';
import { scopedRuntime } from './scope.js';
import { spawnSubRun, subGoalOf } from './sub-run.js';

/**
 * What the scheduler runs for each task of one run. A `decomposable` task becomes a sub-run one level
 * deeper when the depth cap and the repeat guard allow; otherwise (and for every other task) the
 * strategy coordinates agents on it. Everything the task spends and decides lands in its record.
 */
export function taskExecutor(o: Orchestration, frame: RunFrame): TaskExecutor<string> {
  const execute = attemptOf(o, frame);
  return (task, context) => {
    const attempt = execute(task, context);
    frame.inFlight.add(attempt);
    const done = () => frame.inFlight.delete(attempt);
    attempt.then(done, done);
    return attempt;
  };
}

/** One attempt at a task: a sub-run, or the strategy coordinating agents. */
function attemptOf(o: Orchestration, frame: RunFrame): TaskExecutor<string> {
  return async (task, context) => {
    const record = recordOf(frame, task.id);
    const site = { runId: frame.runId, taskId: task.id, depth: frame.depth, events: frame.events };

    if (task.decomposable) {
      const goal = subGoalOf(task, context.inputs);
      const admitted = o.guard.admitSubRun(site, goal);
      if ('ticket' in admitted) {
        record.mode = 'sub-run';
        const child = await spawnSubRun(o, frame, task.id, goal, record, { ticket: admitted.ticket, signal: context.signal });
        for (const t of child.node.tasks) for (const agent of t.agents) context.reportAgent(agent);
        return child.node.output;
      }
      // At the cap (or a repeat) the task is still done, directly by agents; its caps say why.
    }

    const scope = scopedRuntime(o.runtime, {
      events: frame.events,
      log: record.log,
      node: { runId: frame.runId, taskId: task.id },
        budget: o.budget,
      maxDepth: o.maxDepth,
      signal: context.signal,
    });
    const agentRuntime = frame.depth < o.maxDepth && o.offerDelegate ? withTool(scope, delegateTool(o, frame, task.id, record)) : scope;
    const result = await o.strategy.coordinate({
      runtime: scope,
      goal: frame.goal,
      task,
      candidates: candidatesFor(o, task),
      inputs: context.inputs,
      signal: context.signal,
      depth: frame.depth,
      async runAgent(agent: AgentDefinition, prompt: string, options?: { readonly system?: string }): Promise<AgentRunResult> {
        const admission = o.guard.admitAgent(site, agent.name, prompt);
        if (admission.kind === 'reuse') return admission.result;
        frame.events.emit({ type: 'agent.assigned', taskId: task.id, agent: agent.name, strategy: o.strategy.name });
        try {
          const result = await runAgent(agentRuntime, agent, prompt, {
            taskId: task.id,
            signal: context.signal,
            ...(options?.system !== undefined ? { system: options.system } : {}),
          });
          admission.ticket.done(result);
          return result;
        } catch (error) {
          admission.ticket.release();
          throw error;
        }
      },
    });
    record.decision = result.decision;
    for (const agent of result.agents) context.reportAgent(agent);
    return result.output;
  };
}

function recordOf(frame: RunFrame, taskId: string): TaskRecord {
  let record = frame.records.get(taskId);
  if (!record) {
    record = { log: createCallLog(`${frame.runId}/${taskId}`), mode: 'agents', subRuns: [] };
    frame.records.set(taskId, record);
  }
  return record;
}

/**
 * The agents for a task, best first: the plan's pinned agent, else the matcher's ranking; when no
 * agent matches at all, every agent (ranked), so a task is never dropped for want of a perfect fit.
 */
export function candidatesFor(o: Pick<Orchestration, 'runtime' | 'matcher'>, task: TaskSpec): AgentMatch[] {
  if (task.agent !== undefined) {
    const agent = o.runtime.agents.get(task.agent);
    if (!agent) throw new ConfigError(`task "${task.id}" is pinned to agent "${task.agent}", which the runtime does not have`);
    return [{ agent, score: 1, capabilityCoverage: 1, textRelevance: 0, reason: 'pinned by the plan' }];
  }
  const ranked = o.matcher.rank(task, { limit: MAX_CANDIDATES });
  return ranked.length > 0 ? ranked : o.matcher.rank(task, { includeUnmatched: true, limit: MAX_CANDIDATES });
}

/**
 * The best-matched agents a strategy may choose among. Every strategy works on a handful (consensus
 * asks k, an auction takes a bid from each), and ranking only the top few keeps assignment well under
 * a millisecond with thousands of agents.
 */
const MAX_CANDIDATES = 16;

function withTool(runtime: Runtime, tool: ReturnType<typeof delegateTool>): Runtime {
  // A tool of the same name the caller registered wins (offerDelegate is false then).
  const tools = new Map(runtime.tools);
  if (!tools.has(DELEGATE_TOOL)) tools.set(DELEGATE_TOOL, tool);
  return { ...runtime, tools };
}
