import { z } from 'zod';
import type { AgentPriority } from '../src/agents/types.js';
import type { Store } from '../src/runtime/store.js';
import { ANY_KIND, normaliseCapability } from './common.js';
import { StoreDataError } from './errors.js';
import { reportedScore, type OutcomeRecorder } from './outcome.js';

/** Outcomes seen for one agent on one capability. Graded outcomes add fractions (0.7 success = 0.7 + 0.3). */
export interface OutcomeRecord {
  readonly successes: number;
  readonly failures: number;
}

/** A Beta(alpha, beta) prior over an agent's success rate: alpha - 1 pseudo-successes, beta - 1 pseudo-failures. */
export interface BetaPrior {
  readonly alpha: number;
  readonly beta: number;
}

export const NO_RECORD: OutcomeRecord = Object.freeze({ successes: 0, failures: 0 });

/** The Laplace prior Beta(1, 1): an agent with no record is a coin flip (0.5). */
export const LAPLACE_PRIOR: BetaPrior = Object.freeze({ alpha: 1, beta: 1 });

/** Prior mean success rate implied by an agent's declared priority (an unstated priority counts as medium). */
export const PRIORITY_PRIOR_MEAN: Readonly<Record<AgentPriority, number>> = Object.freeze({
  low: 0.55,
  medium: 0.65,
  high: 0.75,
  critical: 0.85,
});

/**
 * The prior for an agent that declares `priority`: a Beta prior with that mean, worth `strength`
 * pseudo-observations, so a few real outcomes outweigh the declaration.
 */
export function priorFor(priority: AgentPriority | undefined, strength = 2): BetaPrior {
  const mean = PRIORITY_PRIOR_MEAN[priority ?? 'medium'];
  return { alpha: mean * strength, beta: (1 - mean) * strength };
}

/** The record after one more outcome; `success` is 1 (success), 0 (failure) or a grade in between. */
export function withOutcome(record: OutcomeRecord, success: number | boolean): OutcomeRecord {
  const s = typeof success === 'boolean' ? (success ? 1 : 0) : success;
  if (!(s >= 0 && s <= 1)) throw new RangeError(`outcome must be a boolean or a number in [0, 1], got ${String(success)}`);
  return { successes: record.successes + s, failures: record.failures + (1 - s) };
}

/** Posterior mean success rate: (successes + alpha) / (outcomes + alpha + beta). */
export function accuracy(record: OutcomeRecord, prior: BetaPrior = LAPLACE_PRIOR): number {
  return (record.successes + prior.alpha) / (record.successes + record.failures + prior.alpha + prior.beta);
}

/**
 * The log-odds ln(p / (1 - p)): the optimal vote weight for independent voters of accuracy p
 * (Nitzan & Paroush 1982). Voters at or below chance get `floor` (default 0.01), never a negative
 * weight, so a bad record mutes a voter instead of turning its vote into a vote against.
 */
export function logOddsWeight(p: number, floor = 0.01): number {
  const clamped = Math.min(Math.max(p, 1e-6), 1 - 1e-6);
  return Math.max(floor, Math.log(clamped / (1 - clamped)));
}

/** Adds records. */
export function addRecords(records: readonly OutcomeRecord[]): OutcomeRecord {
  return records.reduce((a, b) => ({ successes: a.successes + b.successes, failures: a.failures + b.failures }), NO_RECORD);
}

const StoredRecord = z.object({
  $schemaVersion: z.literal(1),
  successes: z.number().nonnegative(),
  failures: z.number().nonnegative(),
});

/** An agent's outcomes per capability, kept in the runtime store so they survive runs. */
export interface ReputationStore {
  /**
   * The agent's record for a task needing `capabilities`: the mean of its per-capability records
   * (so a task counted under two capabilities still counts once), or its `*` record when the task names none.
   */
  get(agent: string, capabilities: readonly string[]): OutcomeRecord;
  /** Adds one outcome to each of the capabilities' records. */
  record(agent: string, capabilities: readonly string[], success: number | boolean): void;
}

/**
 * Reputations over a `Store`, under keys `<namespace>/<capability>/<agent>` (default namespace
 * `reputation`, shared by consensus and auction: an agent's record is its record).
 */
export function reputationStore(store: Store, namespace = 'reputation'): ReputationStore {
  const keyOf = (capability: string, agent: string) => `${namespace}/${capability}/${agent}`;
  const capsOf = (capabilities: readonly string[]) => {
    const caps = [...new Set(capabilities.map(normaliseCapability).filter((c) => c.length > 0))];
    return caps.length > 0 ? caps : [ANY_KIND];
  };
  const read = (key: string): OutcomeRecord => {
    const raw = store.get<unknown>(key);
    if (raw === undefined) return NO_RECORD;
    const parsed = StoredRecord.safeParse(raw);
    if (!parsed.success) throw new StoreDataError(key, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
    return { successes: parsed.data.successes, failures: parsed.data.failures };
  };
  return {
    get(agent, capabilities) {
      const caps = capsOf(capabilities);
      const sum = addRecords(caps.map((c) => read(keyOf(c, agent))));
      return { successes: sum.successes / caps.length, failures: sum.failures / caps.length };
    },
    record(agent, capabilities, success) {
      for (const c of capsOf(capabilities)) {
        const key = keyOf(c, agent);
        const next = withOutcome(read(key), success);
        store.set(key, { $schemaVersion: 1, ...next });
      }
    },
  };
}

/**
 * The `recordOutcome` of the reputation-based strategies (consensus, auction): an outcome reported
 * later updates the agent's record on the task's capabilities.
 */
export function reputationRecorder(namespace: string): OutcomeRecorder['recordOutcome'] {
  return (target, outcome) => reputationStore(target.store, namespace).record(outcome.agent, outcome.task.capabilities, reportedScore(outcome));
}
