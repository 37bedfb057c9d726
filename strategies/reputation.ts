import { z } from 'zod';
import type { AgentPriority } from '../src/agents/types.js';
import type { Store } from '../src/store/kv-store.js';
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
 * pseudo-observations (default 2), so a few real outcomes outweigh the declaration. A strength that
 * is not a finite number above 0 is a RangeError naming it: a prior worth nothing has no mean.
 */
export function priorFor(priority: AgentPriority | undefined, strength = 2): BetaPrior {
  if (!(Number.isFinite(strength) && strength > 0))
    throw new RangeError(`priorFor: strength must be a finite number > 0 (the pseudo-outcomes the prior is worth), got ${String(strength)}`);
  const mean = PRIORITY_PRIOR_MEAN[priority ?? 'medium'];
  return { alpha: mean * strength, beta: (1 - mean) * strength };
}

/** The record after one more outcome; `success` is 1 (success), 0 (failure) or a grade in between. */
export function withOutcome(record: OutcomeRecord, success: number | boolean): OutcomeRecord {
  const s = typeof success === 'boolean' ? (success ? 1 : 0) : success;
  if (!(s >= 0 && s <= 1)) throw new RangeError(`outcome must be a boolean or a number in [0, 1], got ${String(success)}`);
  return { successes: record.successes + s, failures: record.failures + (1 - s) };
}

/**
 * Posterior mean success rate: (successes + alpha) / (outcomes + alpha + beta). A record or prior with
 * a negative or non-finite count, or no outcomes under a prior worth nothing (Beta(0, 0)), is a
 * RangeError naming it instead of a NaN.
 */
export function accuracy(record: OutcomeRecord, prior: BetaPrior = LAPLACE_PRIOR): number {
  const count = (name: string, value: number) => {
    if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`accuracy: ${name} must be a finite number >= 0, got ${String(value)}`);
  };
  count('record.successes', record.successes);
  count('record.failures', record.failures);
  count('prior.alpha', prior.alpha);
  count('prior.beta', prior.beta);
  const total = record.successes + record.failures + prior.alpha + prior.beta;
  if (total === 0) throw new RangeError('accuracy: no outcomes and a prior of strength 0 (Beta(0, 0)) give no estimate; use a prior with alpha + beta > 0');
  return (record.successes + prior.alpha) / total;
}

/**
 * The optimal vote weight of an independent voter of accuracy p among `choices` possible answers
 * whose errors spread evenly over the wrong ones: ln((choices − 1) p / (1 − p)) (Nitzan & Paroush
 * 1982; for two choices the log-odds ln(p / (1 − p))). A voter at or below chance (p <= 1 / choices)
 * gets `floor` (default 0.01), never a negative weight, so a bad record mutes a voter instead of
 * turning its vote into a vote against. p is clamped to [1e-6, 1 − 1e-6]. A p that is not a number in
 * [0, 1], a negative or non-finite floor, or fewer than 2 choices is a RangeError naming it.
 *
 * @example
 * logOddsWeight(0.8); // ln 4 = 1.386
 * logOddsWeight(0.8, 0.01, 3); // ln 8 = 2.079: among three answers, two wrong voters agree less often
 */
export function logOddsWeight(p: number, floor = 0.01, choices = 2): number {
  if (!(typeof p === 'number' && p >= 0 && p <= 1)) throw new RangeError(`logOddsWeight: p must be a probability in [0, 1], got ${String(p)}`);
  if (!(Number.isFinite(floor) && floor >= 0)) throw new RangeError(`logOddsWeight: floor must be a finite number >= 0, got ${String(floor)}`);
  if (!(Number.isInteger(choices) && choices >= 2)) throw new RangeError(`logOddsWeight: choices must be an integer >= 2, got ${String(choices)}`);
  const clamped = Math.min(Math.max(p, 1e-6), 1 - 1e-6);
  return Math.max(floor, Math.log(((choices - 1) * clamped) / (1 - clamped)));
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
