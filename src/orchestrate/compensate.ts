import { runAgent } from '../agents/loop.js';
import { ConfigError } from '../errors/taskforce-error.js';
import { errorMessage } from '../errors/error-info.js';
import { createCallLog } from '../runtime/call-log.js';
import type { Completion, RunLevel, RunSettings } from './orchestration.js';
import { nodeScope } from './scope.js';
import type { CompensationOutcome } from './types.js';

/**
 * Undoes what completed tasks did, for a run that failed or was cancelled: each completed task that
 * declares `compensate` gets its compensating tool call or agent task, in reverse completion order.
 * One that fails is reported and the rest still run. In a durable run each is journaled, so a resume
 * after a crash runs only those not yet done.
 */
export async function compensate(settings: RunSettings, root: Pick<RunLevel, 'runId' | 'goal' | 'events'>): Promise<CompensationOutcome[]> {
  const { runtime, journal } = settings;
  const due = settings.completions.filter((c) => c.task.compensate).sort((a, b) => b.order - a.order);
  const outcomes: CompensationOutcome[] = [];
  for (const completion of due) {
    const { path, task } = completion;
    const done = journal?.get<CompensationOutcome>('compensation.completed', path, task.id);
    if (done) {
      outcomes.push(done);
      continue;
    }
    root.events.emit({ type: 'compensation.started', taskId: task.id, path });
    let outcome: CompensationOutcome;
    try {
      const output = await runCompensation(settings, root, completion);
      outcome = { taskId: task.id, path, status: 'completed', output };
    } catch (error) {
      outcome = { taskId: task.id, path, status: 'failed', error: errorMessage(error) };
    }
    await journal?.append('compensation.completed', path, task.id, outcome);
    root.events.emit({
      type: 'compensation.completed',
      taskId: task.id,
      path,
      status: outcome.status,
      ...(outcome.error !== undefined ? { error: outcome.error } : {}),
    });
    outcomes.push(outcome);
  }
  return outcomes;
}

/** Runs one compensation: the tool with its input (default `{ taskId, output }`), or the agent on its prompt plus the task's output. */
async function runCompensation(settings: RunSettings, root: Pick<RunLevel, 'runId' | 'goal' | 'events'>, completion: Completion): Promise<string> {
  const { runtime } = settings;
  const { task, path, output } = completion;
  const action = task.compensate!;
  const where = `${path ? `${path}/` : ''}${task.id}`;
  // The run's own signal may be what stopped it (a cancel): compensation runs until the runtime closes.
  const signal = runtime.signal;
  if ('tool' in action) {
    const tool = runtime.tools.get(action.tool);
    if (!tool) throw new ConfigError(`task "${where}": its compensating tool "${action.tool}" is not one of the runtime's tools`);
    const input = tool.input.parse(action.input ?? { taskId: task.id, output });
    const result = await tool.execute(input, {
      signal,
      agent: 'compensation',
      taskId: task.id,
      callId: `compensate:${where}`,
      idempotencyKey: `${settings.journal?.runId ?? root.runId}:compensate:${where}`,
    });
    return typeof result === 'string' ? result : JSON.stringify(result);
  }
  const agent = runtime.agents.require(action.agent);
  const level: RunLevel = { runId: root.runId, path, goal: root.goal, depth: 0, events: root.events, signal, records: new Map(), inFlight: new Set() };
  const scope = nodeScope(settings, level, { log: createCallLog(`${root.runId}/compensate:${where}`), taskId: `compensate:${task.id}`, signal });
  const prompt = `${action.prompt}\n\nThe task "${task.title}" (${task.id}) completed with this result, which must now be undone:\n\n${output}`;
  return (await runAgent(scope, agent, prompt, { taskId: task.id, signal })).output;
}
