import type { TaskforceEvent } from '../../src/events/types.js';
import { modelFromProvider } from '../../src/model/model.js';
import { scriptedModel, type ScriptedReply } from '../../src/model/scripted.js';
import type { OrchestrateOptions } from '../../src/orchestrate/options.js';
import { orchestrate } from '../../src/orchestrate/orchestrate.js';
import type { RunResult, TaskNode } from '../../src/orchestrate/types.js';
import { manualClock, type Clock, type ManualClock } from '../../src/util/clock.js';
import type { Step, Workflow } from '../../src/workflow/types.js';
import { AGENTS } from '../orchestrate/helpers.js';
import { kindOf, teamScript, type Script, type WorkCall } from '../orchestrate/script.js';
import { drive } from '../scheduler/drive.js';

// A scripted team on a manual clock shared with the scripted model, so worker replies can take
// `latencyMs` of simulated time and a test can read when each task instance started and ended
// (`task.*` events stamped with the clock) without waiting on wall time.

/** A task step: id, instructions `Do <id>.`, anything else given. */
export function task(id: string, more: Record<string, unknown> = {}): Step {
  return { id, instructions: `Do ${id}.`, ...more } as Step;
}

export function workflow(steps: readonly Step[], goal = 'Run the workflow'): Workflow {
  return { goal, steps };
}

/** A stamped event: `task.started` / `task.completed` / `task.cancelled` / `task.failed` with its task id and the clock's time. */
export interface Stamp {
  readonly type: string;
  readonly taskId: string;
  readonly at: number;
}

/** The default worker: replies `out:<title>` after `latency[title]` ms (default 10). */
export function worker(latency: Readonly<Record<string, number>> = {}, text: (call: WorkCall) => string = (call) => `out:${call.title}`) {
  return (call: WorkCall): ScriptedReply => ({ text: text(call), latencyMs: latency[call.title] ?? 10 });
}

export function team(script: Partial<Script> = {}, extra: Partial<OrchestrateOptions<unknown>> = {}) {
  // A test may pass its own clock (`systemClock()`) in `extra`: then the run is not driven.
  const manual: ManualClock | undefined = extra.clock ? undefined : manualClock();
  const clock: Clock = extra.clock ?? manual!;
  const calls: WorkCall[] = [];
  const base = teamScript({ plans: {}, work: worker(), ...script });
  const provider = scriptedModel({
    clock,
    replies: (request, index) => {
      if (kindOf(request) === 'worker') {
        const prompt = request.messages.find((m) => m.role === 'user')?.content ?? '';
        calls.push({ agent: /^You are ([^.]+)\./.exec(request.system ?? '')?.[1] ?? '', title: /Your task: (.*)/.exec(prompt)?.[1]?.trim() ?? '', prompt, toolResults: [], request });
      }
      return base(request, index);
    },
  });
  const events: TaskforceEvent[] = [];
  const stamps: Stamp[] = [];
  const options: OrchestrateOptions<unknown> = {
    model: modelFromProvider(provider),
    agents: AGENTS,
    builtinAgents: false,
    seed: 7,
    clock,
    ...extra,
    onEvent: (event) => {
      events.push(event);
      if (event.type.startsWith('task.') && 'taskId' in event) stamps.push({ type: event.type, taskId: String(event.taskId), at: clock.now() });
      extra.onEvent?.(event);
    },
  };
  /** Runs `wf` through `orchestrate(goal, { workflow })`, driving the manual clock. */
  const run = (wf: Workflow, more: Partial<OrchestrateOptions<unknown>> = {}): Promise<RunResult<unknown>> =>
    manual
      ? drive(manual, orchestrate(wf.goal, { ...options, ...more, workflow: wf } as OrchestrateOptions<unknown>))
      : orchestrate(wf.goal, { ...options, ...more, workflow: wf } as OrchestrateOptions<unknown>);
  const first = (type: string, id: string): number => {
    const stamp = stamps.find((s) => s.type === type && s.taskId === id);
    if (!stamp) throw new Error(`no ${type} for ${id}; stamps: ${JSON.stringify(stamps)}`);
    return stamp.at;
  };
  return {
    clock,
    /** Drives the manual clock until `result` settles (a `resumeRun` on these options). */
    drive: <T>(result: Promise<T>): Promise<T> => (manual ? drive(manual, result) : result),
    provider,
    events,
    stamps,
    calls,
    options,
    run,
    /** When task instance `id` first started. */
    start: (id: string) => first('task.started', id),
    /** When task instance `id` completed. */
    end: (id: string) => first('task.completed', id),
    /** The worker prompt of the (first) call for a task title. */
    prompt: (title: string) => {
      const call = calls.find((c) => c.title === title);
      if (!call) throw new Error(`no worker call for "${title}"; calls: ${calls.map((c) => c.title).join(', ')}`);
      return call.prompt;
    },
    /** Most task instances in flight at once (from the task events). */
    maxInFlight: () => {
      let now = 0;
      let max = 0;
      for (const s of stamps) {
        if (s.type === 'task.started') max = Math.max(max, ++now);
        else if (s.type === 'task.completed' || s.type === 'task.cancelled' || s.type === 'task.failed' || s.type === 'task.waiting') now--;
      }
      return max;
    },
    stepEvents: () => events.flatMap((e) => (e.type === 'workflow.step' ? [e as unknown as { step: string; kind: string; phase: string; detail?: string }] : [])),
  };
}

/** `[id, status]` of every task instance in the result's tree, in start order. */
export function statuses(result: RunResult<unknown>): [string, string][] {
  return result.tree.tasks.map((t) => [t.id, t.status]);
}

export function node(result: RunResult<unknown>, id: string): TaskNode {
  const found = result.tree.tasks.find((t) => t.id === id);
  if (!found) throw new Error(`no task ${id} in ${result.tree.tasks.map((t) => t.id).join(', ')}`);
  return found;
}
