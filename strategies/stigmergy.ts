import type { AgentRunResult } from '../src/agents/types.js';
import type { Model } from '../src/model/types.js';
import type { Strategy } from './strategy.js';
import { errorMessage } from '../src/errors/error-info.js';
import { decide, isNoFault, numberOption, requireCandidates, taskKind, taskPrompt } from './common.js';
import { StrategyOptionError } from './errors.js';
import { assessRun, reportedScore, type Assessment, type AssessOption, type OutcomeRecorder, type StoreHolder } from './outcome.js';
import { choose, DEFAULT_TRAIL_PRIOR, seed, updateTrails, type Trail, type Trails } from './pheromone.js';
import type { PromptOverrides } from './prompts.js';
import { trailStore } from './trail-store.js';

export interface StigmergyOptions {
  /**
   * Share of an agent's trail on a kind that evaporates each time it lays a new outcome there, in
   * (0, 1]. Default 0.04: a trail holds about reinforcement / evaporation = 25 recent outcomes, so the
   * colony notices within a few dozen tasks when its favourite gets worse.
   */
  readonly evaporation?: number;
  /** Pheromone one outcome lays: `reinforcement × score` on the success trail, `reinforcement × (1 − score)` on the failure trail. Default 1. */
  readonly reinforcement?: number;
  /** Weight of the trail in the choice (> 0). Default 1. */
  readonly alpha?: number;
  /** Weight of the capability match in the choice. Default 2. */
  readonly beta?: number;
  /** The belief about an agent new to a kind of work, as pseudo-pheromone. Default { success: 1, failure: 1 }. */
  readonly prior?: Trail;
  /** Share of picks made uniformly at random, on top of the exploration the draws make by themselves. Default 0. */
  readonly exploration?: number;
  /** How the chosen agent's work is graded. Default `'finish'`. */
  readonly assess?: AssessOption;
  /** Store namespace of the trails. Default `stigmergy`. */
  readonly namespace?: string;
  /** Model for `assess: 'judge'`. Default the runtime's synthesizer model. */
  readonly judgeModel?: Model;
  readonly prompts?: PromptOverrides;
}

/** What the colony did, as recorded in `CoordinationResult.decision` and the `strategy.decision` event. */
export type StigmergyDecision = {
  readonly strategy: 'stigmergy';
  /** The kind of work: the task's capabilities, normalised and sorted, joined by `+` (`*` for none). */
  readonly kind: string;
  /** Each candidate's trail (success and failure pheromone) when the pick was made. */
  readonly pheromone: Readonly<Record<string, Trail>>;
  /** Each candidate's believed success rate on the kind (the mean of its draw). */
  readonly belief: Readonly<Record<string, number>>;
  /** The probability each candidate had of being picked. */
  readonly probabilities: Readonly<Record<string, number>>;
  readonly pick: string;
  readonly assessment?: Assessment | null;
  /** The kind's trails after the update (null when nothing was learned). */
  readonly after: Readonly<Record<string, Trail>> | null;
  /** The picked agent's run failed with this message. */
  readonly error?: string;
};

export interface StigmergyStrategy extends Strategy, OutcomeRecorder {
  readonly name: 'stigmergy';
  /** The pheromone trails of a kind of work in the runtime's store (for inspection). */
  trails(target: StoreHolder, kind: string): Trails;
}

const NAME = 'stigmergy';

/** The defaults of `stigmergy()`: evaporation 0.04, reinforcement 1, alpha 1, beta 2, exploration 0, prior { success: 1, failure: 1 }. */
export const STIGMERGY_DEFAULTS = Object.freeze({ evaporation: 0.04, reinforcement: 1, alpha: 1, beta: 2, exploration: 0, prior: DEFAULT_TRAIL_PRIOR });

/**
 * Ant-colony coordination: each kind of work (the task's capabilities) has a trail per agent, laid by
 * its outcomes: success pheromone for what went well, failure pheromone for what did not, both
 * evaporating as newer outcomes are laid. An agent is picked with the probability that it is the best
 * for the work given the trails and its capability match (each agent draws a success rate from its
 * trail, the best draw times match^β wins: Thompson sampling), so the colony explores while its trails
 * are thin and settles on the best agent as they fill, and moves off an agent whose trail turns to
 * failures. Trails live in the runtime store, so with a file store the colony keeps learning across runs.
 *
 * @example
 * const strategy = stigmergy({ evaporation: 0.04 });
 */
export function stigmergy(options: StigmergyOptions = {}): StigmergyStrategy {
  for (const removed of ['bounds', 'initial'] as const)
    if (removed in options && (options as Record<string, unknown>)[removed] !== undefined)
      throw new StrategyOptionError(NAME, removed, `was removed: trails count successes and failures now; use "prior" for an agent new to a kind`);
  const evaporation = numberOption(NAME, 'evaporation', options.evaporation, STIGMERGY_DEFAULTS.evaporation, { min: 0, minExclusive: true, max: 1 });
  const reinforcement = numberOption(NAME, 'reinforcement', options.reinforcement, STIGMERGY_DEFAULTS.reinforcement, { min: 0 });
  const alpha = numberOption(NAME, 'alpha', options.alpha, STIGMERGY_DEFAULTS.alpha, { min: 0, minExclusive: true });
  const beta = numberOption(NAME, 'beta', options.beta, STIGMERGY_DEFAULTS.beta, { min: 0 });
  const exploration = numberOption(NAME, 'exploration', options.exploration, STIGMERGY_DEFAULTS.exploration, { min: 0, max: 1 });
  const prior = options.prior ?? STIGMERGY_DEFAULTS.prior;
  if (!(Number.isFinite(prior.success) && prior.success > 0 && Number.isFinite(prior.failure) && prior.failure > 0))
    throw new StrategyOptionError(NAME, 'prior', `must have success > 0 and failure > 0 (got success ${prior.success}, failure ${prior.failure})`);
  const assess = options.assess ?? 'finish';
  const namespace = options.namespace ?? 'stigmergy';

  const update = { evaporation, reinforcement };
  /** Applies the trail update, re-reading the store so that tasks finishing concurrently are not lost. */
  const reinforce = (target: StoreHolder, kind: string, agent: string, score: number): Trails => {
    const store = trailStore(target.store, namespace);
    const next = updateTrails(store.load(kind), kind, agent, score, update);
    store.save(next, kind);
    return next;
  };

  return {
    name: NAME,
    trails: (target, kind) => trailStore(target.store, namespace).load(kind),
    recordOutcome(target, outcome) {
      reinforce(target, taskKind(outcome.task), outcome.agent, reportedScore(outcome));
    },
    async coordinate(context) {
      requireCandidates(NAME, context);
      const kind = taskKind(context.task);
      const store = trailStore(context.store, namespace);
      const names = context.candidates.map((m) => m.agent.name);
      const trails = seed(store.load(kind), kind, names);
      store.save(trails, kind);
      const choice = choose(
        trails,
        kind,
        context.candidates.map((m) => ({ agent: m.agent.name, match: m.capabilityCoverage })),
        context.random,
        { alpha, beta, prior, exploration },
      );
      const match = context.candidates.find((m) => m.agent.name === choice.agent)!;
      const base = {
        strategy: 'stigmergy' as const,
        kind,
        pheromone: choice.pheromone,
        belief: choice.belief,
        probabilities: choice.probabilities,
        pick: choice.agent,
      };

      let run: AgentRunResult;
      try {
        run = await context.runAgent(match.agent, taskPrompt(context));
      } catch (error) {
        const after = !isNoFault(error, context.signal) && assess !== 'external' ? reinforce(context, kind, choice.agent, 0)[kind] : undefined;
        decide(context, { output: '', agents: [choice.agent], runs: [], decision: { ...base, error: errorMessage(error), after: after ?? null } satisfies StigmergyDecision });
        throw error;
      }
      const graded = await assessRun(
        assess,
        { output: run.output, agent: choice.agent, run, context },
        { ...(options.judgeModel ? { judgeModel: options.judgeModel } : {}), ...(options.prompts ? { prompts: options.prompts } : {}) },
      );
      const after = graded ? reinforce(context, kind, choice.agent, graded.score)[kind] : undefined;
      return decide(context, {
        output: run.output,
        agents: [choice.agent],
        runs: [run],
        decision: { ...base, assessment: graded ?? null, after: after ?? null } satisfies StigmergyDecision,
      });
    },
  };
}
