import type { AgentPriority } from '../src/agents/types.js';
import { normaliseCapability } from './common.js';

/** An agent as the leader choice sees it. */
export interface LeaderCandidate {
  readonly name: string;
  readonly capabilities: readonly string[];
  readonly priority?: AgentPriority;
  /** The matcher's score for the task, if known (breaks coverage ties). */
  readonly matchScore?: number;
}

const PRIORITY_RANK: Readonly<Record<AgentPriority, number>> = { low: 0, medium: 1, high: 2, critical: 3 };

/** Fraction of `required` capabilities that `offered` covers (1 when nothing is required). */
export function capabilityCoverage(offered: readonly string[], required: readonly string[]): number {
  const need = new Set(required.map(normaliseCapability));
  if (need.size === 0) return 1;
  const have = new Set(offered.map(normaliseCapability));
  let covered = 0;
  for (const c of need) if (have.has(c)) covered++;
  return covered / need.size;
}

/**
 * The leader for a task: the agent covering most of its capabilities; ties go to the higher match
 * score, then the higher declared priority, then the broader agent (more capabilities: a leader
 * must judge all the parts), then the name. Pure.
 */
export function selectLeader<A extends LeaderCandidate>(agents: readonly A[], task: { readonly capabilities: readonly string[] }): A {
  if (agents.length === 0) throw new RangeError('selectLeader: no agents to choose from');
  const keyed = agents.map((agent) => ({
    agent,
    coverage: capabilityCoverage(agent.capabilities, task.capabilities),
    match: agent.matchScore ?? 0,
    priority: PRIORITY_RANK[agent.priority ?? 'medium'],
    breadth: new Set(agent.capabilities.map(normaliseCapability)).size,
  }));
  keyed.sort(
    (a, b) =>
      b.coverage - a.coverage ||
      b.match - a.match ||
      b.priority - a.priority ||
      b.breadth - a.breadth ||
      (a.agent.name < b.agent.name ? -1 : a.agent.name > b.agent.name ? 1 : 0),
  );
  return keyed[0]!.agent;
}

/** A piece of work to assign. */
export interface WorkItem {
  readonly id: string;
  /** Estimated effort (> 0). */
  readonly effort: number;
  readonly capabilities: readonly string[];
}

/** An agent that can take work, with the effort it already carries. */
export interface Worker {
  readonly name: string;
  readonly capabilities: readonly string[];
  /** Effort already assigned to it (by this and other running tasks). Default 0. */
  readonly load?: number;
}

export interface Balanced {
  /** Subtask id → agent name, in the order the items were given. */
  readonly assignments: readonly { readonly item: string; readonly agent: string }[];
  /** Each worker's load after the assignment. */
  readonly loads: Readonly<Record<string, number>>;
}

/**
 * Longest-processing-time-first assignment: items by effort, largest first, each to the least-loaded
 * worker among those that cover the most of its capabilities (ties: the earlier worker). LPT keeps
 * the makespan within 4/3 of the optimum (Graham 1969). Pure.
 */
export function balance(items: readonly WorkItem[], workers: readonly Worker[]): Balanced {
  if (workers.length === 0) throw new RangeError('balance: no workers to assign to');
  const ids = new Set<string>();
  for (const item of items) {
    if (ids.has(item.id)) throw new RangeError(`balance: duplicate item id "${item.id}"`);
    ids.add(item.id);
    if (!(Number.isFinite(item.effort) && item.effort > 0)) throw new RangeError(`balance: item "${item.id}" has effort ${item.effort}; effort must be > 0`);
  }
  const loads = new Map(workers.map((w) => [w.name, w.load ?? 0]));
  const order = items.map((item, index) => ({ item, index })).sort((a, b) => b.item.effort - a.item.effort || a.index - b.index);
  const byItem = new Map<string, string>();
  for (const { item } of order) {
    const coverage = workers.map((w) => capabilityCoverage(w.capabilities, item.capabilities));
    const best = Math.max(...coverage);
    let chosen: Worker | undefined;
    workers.forEach((w, i) => {
      if (coverage[i] !== best) return;
      if (chosen === undefined || loads.get(w.name)! < loads.get(chosen.name)!) chosen = w;
    });
    byItem.set(item.id, chosen!.name);
    loads.set(chosen!.name, loads.get(chosen!.name)! + item.effort);
  }
  return {
    assignments: items.map((item) => ({ item: item.id, agent: byItem.get(item.id)! })),
    loads: Object.fromEntries(loads),
  };
}
