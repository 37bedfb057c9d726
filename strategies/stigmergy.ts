import type { AgentRunResult } from '../src/agents/types.js';
import type { Model } from '../src/model/types.js';
import type { Strategy } from './strategy.js';
import { errorMessage } from '../src/errors/error-info.js';
import { decide, isNoFault, numberOption, requireCandidates, taskKind, taskPrompt } from './common.js';
import { StrategyOptionError } from './errors.js';
import { assessRun, reportedScore, type Assessment, type AssessOption, type OutcomeRecorder, type StoreHolder } from './outcome.js';
import { choose, maxMinBounds, seed, updateTrails, type PheromoneBounds, type Trails } from './pheromone.js';
import type { PromptOverrides } from './prompts.js';
import { trailStore } from './trail-store.js';

export interface StigmergyOptions {
  /** Share of a trail that evaporates after each task of its kind. Default 0.1. */
  readonly evaporation?: number;
  /** Pheromone a fully successful task deposits (scaled by the outcome score). Default 2.0. */
  readonly reinforcement?: number;
  /** Weight of the pheromone in the choice. Default 1. */
  readonly alpha?: number;
  /** Weight of the capability match in the choice. Default 2. */
  readonly beta?: number;
  /**
   * MAX-MIN trail bounds. Default: τ_max = reinforcement / evaporation, τ_min = 5% of τ_max.
   * `false` turns them off (plain Ant System: trails may evaporate toward 0 and the colony can lock
   * onto the first agent that did well enough).
   */
  readonly bounds?: PheromoneBounds | false;
  /** Share of picks made uniformly at random. Default 0.05. */
  readonly exploration?: number;
  /** Pheromone of an agent new to a kind of work. Default τ_max (optimistic start), or 1 without bounds. */
  readonly initial?: number;
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
  /** Each candidate's pheromone when the pick was made. */
  readonly pheromone: Readonly<Record<string, number>>;
  readonly probabilities: Readonly<Record<string, number>>;
  readonly pick: string;
  readonly assessment?: Assessment | null;
  /** The kind's trails after the update (null when nothing was learned). */
  readonly after: Readonly<Record<string, number>> | null;
  /** The picked agent's run failed with this message. */
  readonly error?: string;
};

export interface StigmergyStrategy extends Strategy, OutcomeRecorder {
  readonly name: 'stigmergy';
  /** The pheromone trails of a kind of work in the runtime's store (for inspection). */
  trails(target: StoreHolder, kind: string): Trails;
}

const NAME = 'stigmergy';

/** The defaults of `stigmergy()`: evaporation 0.1, reinforcement 2.0, alpha 1, beta 2, exploration 0.05, τ_min = 5% of τ_max. */
export const STIGMERGY_DEFAULTS = Object.freeze({ evaporation: 0.1, reinforcement: 2, alpha: 1, beta: 2, exploration: 0.05, minRatio: 0.05 });

/**
 * Ant-colony coordination: each kind of work (the task's capabilities) has a pheromone trail per
 * agent; an agent is picked with probability ∝ pheromone^α × match^β; after the task the trail
 * evaporates and the agent deposits pheromone in proportion to its success. Trails live in the
 * runtime store, so with a file store the colony keeps learning across runs.
 *
 * @example
 * const strategy = stigmergy({ evaporation: 0.1, reinforcement: 2 });
 */
export function stigmergy(options: StigmergyOptions = {}): StigmergyStrategy {
  const evaporation = numberOption(NAME, 'evaporation', options.evaporation, STIGMERGY_DEFAULTS.evaporation, { min: 0, minExclusive: true, max: 1 });
  const reinforcement = numberOption(NAME, 'reinforcement', options.reinforcement, STIGMERGY_DEFAULTS.reinforcement, { min: 0 });
  const alpha = numberOption(NAME, 'alpha', options.alpha, STIGMERGY_DEFAULTS.alpha, { min: 0 });
  const beta = numberOption(NAME, 'beta', options.beta, STIGMERGY_DEFAULTS.beta, { min: 0 });
  const exploration = numberOption(NAME, 'exploration', options.exploration, STIGMERGY_DEFAULTS.exploration, { min: 0, max: 1 });
  const bounds = options.bounds === false ? undefined : (options.bounds ?? maxMinBounds(reinforcement, evaporation, STIGMERGY_DEFAULTS.minRatio));
  if (bounds && !(bounds.min > 0 && bounds.max >= bounds.min))
    throw new StrategyOptionError(NAME, 'bounds', `must have 0 < min <= max (got min ${bounds.min}, max ${bounds.max})`);
  const initial = numberOption(NAME, 'initial', options.initial, bounds?.max ?? 1, { min: 0 });
  const assess = options.assess ?? 'finish';
  const namespace = options.namespace ?? 'stigmergy';

  const update = { evaporation, reinforcement, initial, ...(bounds ? { bounds } : {}) };
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
      const trails = seed(store.load(kind), kind, names, initial);
      store.save(trails, kind);
      const choice = choose(
        trails,
        kind,
        context.candidates.map((m) => ({ agent: m.agent.name, match: m.capabilityCoverage })),
        context.random,
        { alpha, beta, initial, exploration },
      );
      const match = context.candidates.find((m) => m.agent.name === choice.agent)!;
      const base = { strategy: 'stigmergy' as const, kind, pheromone: choice.pheromone, probabilities: choice.probabilities, pick: choice.agent };

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
