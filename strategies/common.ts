import { normalizeCapability } from '../src/agents/capabilities.js';
import { isStop } from '../src/errors/classify.js';
import type { TaskSpec } from '../src/plan/types.js';
import { renderDataBlocks } from '../src/util/data-blocks.js';
import type { CoordinationContext, CoordinationResult } from './strategy.js';
import { NoCandidatesError, StrategyOptionError } from './errors.js';

/** Wildcard kind for tasks that name no capability. */
export const ANY_KIND = '*';

/**
 * A capability name as strategies key it: the agent matcher's canonical form (`Code_Review` =
 * `code review` = `code-review`), so a strategy never disagrees with the matcher or the plan checks.
 */
export const normaliseCapability: (capability: string) => string = normalizeCapability;

/** The task's capabilities, normalised, de-duplicated and sorted (empty when it names none). */
export function taskCapabilities(task: Pick<TaskSpec, 'capabilities'>): string[] {
  return [...new Set(task.capabilities.map(normaliseCapability).filter((c) => c.length > 0))].sort();
}

/** The kind of work a task is: its normalised capabilities joined by `+`, or `*` when it names none. */
export function taskKind(task: Pick<TaskSpec, 'capabilities'>): string {
  const caps = taskCapabilities(task);
  return caps.length > 0 ? caps.join('+') : ANY_KIND;
}

/**
 * The prompt an agent gets for the task: goal, task, and the outputs of its dependencies as labelled
 * data blocks (`renderDataBlocks`), so text in an upstream output reads as material, not as orders.
 */
export function taskPrompt(context: Pick<CoordinationContext, 'goal' | 'task' | 'inputs'>): string {
  const parts = [`Overall goal: ${context.goal}`, `Your task: ${context.task.title}`, context.task.instructions];
  const inputs = renderDataBlocks(Object.entries(context.inputs));
  if (inputs) parts.push(inputs);
  return parts.join('\n\n');
}

/** Throws NoCandidatesError when the coordinator matched no agent for the task. */
export function requireCandidates(strategy: string, context: CoordinationContext): void {
  if (context.candidates.length === 0) throw new NoCandidatesError(strategy, context.task.id);
}

/** Emits `strategy.decision` and returns the result with the decision attached. */
export function decide(
  context: CoordinationContext,
  result: Omit<CoordinationResult, 'decision'> & { decision: { strategy: string } & Record<string, unknown> },
): CoordinationResult {
  context.events.emit({
    type: 'strategy.decision',
    taskId: context.task.id,
    strategy: result.decision.strategy,
    decision: result.decision,
  });
  return result;
}

/**
 * Whether a failure says nothing about the agent's skill (the run was aborted, a budget ran out),
 * so learning strategies must not count it against the agent: a stop, as `isStop` decides.
 */
export function isNoFault(error: unknown, signal?: AbortSignal): boolean {
  return isStop(error, signal);
}

/** Checks a numeric option; returns it (or the default when undefined). */
export function numberOption(
  strategy: string,
  option: string,
  value: number | undefined,
  fallback: number,
  range: { min?: number; max?: number; integer?: boolean; minExclusive?: boolean } = {},
): number {
  if (value === undefined) return fallback;
  const bad = (problem: string) => new StrategyOptionError(strategy, option, `${problem} (got ${String(value)})`);
  if (typeof value !== 'number' || Number.isNaN(value)) throw bad('must be a number');
  if (range.integer && !Number.isInteger(value)) throw bad('must be an integer');
  if (range.min !== undefined && (range.minExclusive ? value <= range.min : value < range.min))
    throw bad(`must be ${range.minExclusive ? 'greater than' : 'at least'} ${range.min}`);
  if (range.max !== undefined && value > range.max) throw bad(`must be at most ${range.max}`);
  return value;
}
