import { hash as hashOf } from 'node:crypto';
import type { AgentRunResult } from '../agents/types.js';
import { ZERO_USAGE } from '../model/types.js';
import type { EventBus } from '../events/bus.js';
import { RecursionCapError } from '../errors/recursion-errors.js';
import type { CapReport } from './types.js';

/** Where in the run tree an admission is asked for. */
export interface GuardSite {
  readonly runId: string;
  readonly taskId: string;
  /** Depth of the run the task belongs to. */
  readonly depth: number;
  /** The run's event bus, for `recursion.capped`. */
  readonly events: EventBus;
}

/** An admitted agent run or sub-run. Release it when the work failed, so a retry is not taken for a repeat. */
export interface Ticket {
  release(): void;
}

/** An admitted agent run: release it on failure, or hand in its result so a repeat can reuse it. */
export interface AgentTicket extends Ticket {
  done(result: AgentRunResult): void;
}

/** What admitting an agent run gives: run it, or reuse the earlier identical run's result (no model call). */
export type AgentAdmission =
  | { readonly kind: 'run'; readonly ticket: AgentTicket }
  | { readonly kind: 'reuse'; readonly result: AgentRunResult; readonly report: CapReport };

/** The caps of one orchestration, held across all its levels at once. */
export interface RecursionGuard {
  readonly maxDepth: number;
  readonly maxAgents: number;
  /** Agent runs admitted so far. */
  readonly agentsSpawned: number;
  /** Every cap reached so far, in order. */
  readonly caps: readonly CapReport[];
  /** Whether the agent cap refused some run. */
  readonly agentCapReached: CapReport | undefined;
  /**
   * Admits one agent run. When the same agent was already asked the same thing (same trajectory
   * hash) in this orchestration and that run finished, its result is reused instead (no new run);
   * while it is still running (a delegation cycle), or when the agent cap is reached, this throws
   * `RecursionCapError`. Either way the repeat is reported as a cap.
   */
  admitAgent(site: GuardSite, agent: string, prompt: string): AgentAdmission;
  /**
   * Admits a sub-run for `goal` one level below `site.depth`, or returns why not: the depth cap, or
   * the goal was already run (an ancestor's goal, or delegated before). A refusal is recorded.
   */
  admitSubRun(site: GuardSite, goal: string, agent?: string): { readonly ticket: Ticket } | { readonly refused: CapReport };
  /** Registers the top-level goal, so delegating it back is caught as a repeat. */
  registerGoal(goal: string, runId: string): void;
  /** Remembers which run worked on `goal` and what it produced, for the message a repeated delegation gets. */
  noteGoalResult(goal: string, runId: string, output: string): void;
  /** What an earlier run of this goal produced, if it finished. */
  earlierResult(goal: string): { readonly runId: string; readonly output?: string } | undefined;
}

/**
 * Lower-cases, folds Unicode compatibility forms and collapses whitespace, so the same request
 * written with different spacing or case counts as the same request.
 */
export function normalisePrompt(text: string): string {
  // ASCII is unchanged by NFKC; and a single space needs no replacing (what `/\s+/gu` would do to
  // it, at one match per word): both save µs per agent run, same result.
  return (ASCII.test(text) ? text : text.normalize('NFKC')).toLowerCase().replace(WHITESPACE_TO_FOLD, ' ').trim();
}

const ASCII = /^[\x00-\x7f]*$/;
/** Each whitespace run but a lone space: runs of two or more, and single other whitespace characters. */
const WHITESPACE_TO_FOLD = /\s{2,}|[^\S ]/gu;

/** The trajectory hash of asking `agent` for `prompt`: sha256 of the agent name and the normalised prompt. */
export function trajectoryHash(agent: string, prompt: string): string {
  return hashOf('sha256', `${agent}\u0000${normalisePrompt(prompt)}`, 'hex').slice(0, 32);
}

/** Creates the guard of one orchestration. All state lives in this closure. */
export function createRecursionGuard(limits: { readonly maxDepth: number; readonly maxAgents: number }): RecursionGuard {
  const caps: CapReport[] = [];
  /** Trajectory hash → the finished run's result, or `running`. */
  const trajectories = new Map<string, AgentRunResult | 'running'>();
  const goals = new Map<string, { runId: string; output?: string }>();
  let spawned = 0;
  let agentCap: CapReport | undefined;

  const record = (site: GuardSite, report: Omit<CapReport, 'runId' | 'taskId' | 'depth'>): CapReport => {
    const full: CapReport = { runId: site.runId, taskId: site.taskId, depth: site.depth, ...report };
    caps.push(full);
    site.events.emit({ type: 'recursion.capped', taskId: site.taskId, cap: full.cap, detail: full.detail });
    return full;
  };
  const once = (release: () => void): Ticket => {
    let done = false;
    return {
      release() {
        if (done) return;
        done = true;
        release();
      },
    };
  };

  return {
    maxDepth: limits.maxDepth,
    maxAgents: limits.maxAgents,
    get agentsSpawned() {
      return spawned;
    },
    caps,
    get agentCapReached() {
      return agentCap;
    },
    admitAgent(site, agent, prompt) {
      const hash = trajectoryHash(agent, prompt);
      const earlier = trajectories.get(hash);
      if (earlier === 'running')
        throw new RecursionCapError(
          record(site, {
            cap: 'repeat',
            agent,
            detail: `agent "${agent}" is already working on the same request in this run (trajectory ${hash.slice(0, 12)}); not run again`,
          }),
        );
      if (earlier) {
        const report = record(site, {
          cap: 'repeat',
          agent,
          detail: `agent "${agent}" was already asked the same thing in this run (trajectory ${hash.slice(0, 12)}); its earlier answer is reused, not run again`,
        });
        // Nothing was spent this time; the earlier run already counted its usage.
        return { kind: 'reuse', report, result: { ...earlier, usage: ZERO_USAGE, costUsd: 0, steps: [], durationMs: 0 } };
      }
      if (spawned >= limits.maxAgents) {
        const report = record(site, {
          cap: 'maxAgents',
          agent,
          detail: `${limits.maxAgents} agent runs were spawned already (limits.maxAgents); agent "${agent}" was not started`,
        });
        agentCap ??= report;
        throw new RecursionCapError(report);
      }
      spawned += 1;
      trajectories.set(hash, 'running');
      // A failed run did no reusable work: a retry of it is not a repeat.
      const ticket = once(() => trajectories.delete(hash));
      return { kind: 'run', ticket: { release: ticket.release, done: (result) => trajectories.set(hash, result) } };
    },
    admitSubRun(site, goal, agent) {
      const depth = site.depth + 1;
      const by = agent !== undefined ? { agent } : {};
      if (depth > limits.maxDepth)
        return {
          refused: record(site, {
            cap: 'maxDepth',
            ...by,
            detail: `a sub-run would be at depth ${depth}, past maxDepth ${limits.maxDepth}; the task runs directly with an agent`,
          }),
        };
      const key = normalisePrompt(goal);
      const earlier = goals.get(key);
      if (earlier)
        return {
          refused: record(site, {
            cap: 'repeat',
            ...by,
            detail: `the goal was already run in this orchestration (run ${earlier.runId}); not planned again`,
          }),
        };
      goals.set(key, { runId: `${site.runId}/${site.taskId}` });
      return { ticket: once(() => goals.delete(key)) };
    },
    registerGoal(goal, runId) {
      goals.set(normalisePrompt(goal), { runId });
    },
    noteGoalResult(goal, runId, output) {
      const key = normalisePrompt(goal);
      if (goals.has(key)) goals.set(key, { runId, output });
    },
    earlierResult(goal) {
      return goals.get(normalisePrompt(goal));
    },
  };
}
