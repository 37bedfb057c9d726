import { z } from 'zod';
import type { AgentDefinition, AgentRunResult } from '../src/agents/types.js';
import type { Model } from '../src/model/types.js';
import type { TaskSpec } from '../src/plan/types.js';
import { createConvergenceDetector, type ConvergenceReason } from '../src/convergence/detector.js';
import type { Strategy } from './strategy.js';
import { groupExact, groupWithJudge, isShortAnswer, SHORT_ANSWER_CHARS, type Answer, type AnswerOption } from './answer-options.js';
import { errorMessage } from '../src/errors/error-info.js';
import { decide, isNoFault, numberOption, requireCandidates, taskCapabilities, taskPrompt } from './common.js';
import { StrategyOptionError } from './errors.js';
import { assessRun, type AssessOption, type OutcomeRecorder } from './outcome.js';
import { renderPrompt, type PromptOverrides } from './prompts.js';
import { accuracy, logOddsWeight, priorFor, PRIORITY_PRIOR_MEAN, reputationRecorder, reputationStore, type OutcomeRecord } from './reputation.js';
import { DEFAULT_QUORUM, tally, type Ballot, type TallyResult } from './tally.js';

/**
 * How much a vote counts:
 * - `'reputation'` (default): the optimal weight ln((c − 1) p / (1 − p)) for the agent's measured
 *   accuracy p on the task's capabilities among c possible answers (`choices`), with a Beta prior
 *   centred on its declared priority (so an agent with no record still counts);
 * - `'priority'`: the same weight for the accuracy its declared priority implies;
 * - `'equal'`: one agent, one vote (simple majority);
 * - a function of the agent and task returning a non-negative weight.
 */
export type ConsensusWeighting = 'reputation' | 'priority' | 'equal' | ((agent: AgentDefinition, task: TaskSpec) => number);

export interface ConsensusOptions {
  /** How many capable agents answer (the best-matched first). Default 3. */
  readonly k?: number;
  /**
   * Share of the total weight an answer needs, above one half (so two answers can never both hold it).
   * Default 0.67 (so 2 of 3 equal votes, 0.667, fall short).
   */
  readonly quorum?: number;
  /**
   * Most re-vote rounds after a missed quorum, agents seeing the competing answers and reasons.
   * Default 1. Re-votes end sooner when the ballots stop moving, all voters agree, or the ballots
   * repeat an earlier round (see {@link ConsensusStopReason}).
   */
  readonly conflictRounds?: number;
  readonly weighting?: ConsensusWeighting;
  /**
   * How answers become options: `'exact'` (normalised text), `'judge'` (a model call groups
   * equivalent answers), `'auto'` (default: exact when every answer is short, else the judge).
   */
  readonly grouping?: 'auto' | 'exact' | 'judge';
  /** Longest normalised answer `'auto'` still compares exactly. Default 80. */
  readonly shortAnswerChars?: number;
  /** Model for the judge (grouping, and `assess: 'judge'`). Default the runtime's synthesizer model. */
  readonly judgeModel?: Model;
  /**
   * How reputations learn: only from outcomes that do not come from the vote itself, since a group
   * that wins a vote would otherwise raise its own weight. `'external'` (default): the strategy
   * records nothing; report what turned out right with `recordOutcome` (a check, an eval, a later
   * task's success, a user's verdict). `'judge'`, `'finish'` or a function grade each voter's own
   * answer right after the vote; with these, an agent whose run failed (not by cancellation or a
   * budget) also scores a failure. (`'agreement'`, the old default, is refused.)
   */
  readonly assess?: AssessOption;
  /**
   * How many answers the question allows (2 for yes/no), an integer >= 2: the `c` of the weight
   * ln((c − 1) p / (1 − p)). Default: the number of distinct answers given, at least 2.
   */
  readonly choices?: number;
  /** Store namespace of the reputations. Default `reputation` (shared with the auction). */
  readonly namespace?: string;
  readonly prompts?: PromptOverrides;
}

/**
 * Why the vote rounds ended: the convergence detector's reason (`'agreement'`: every voter picked the
 * same option; `'stable'`: no ballot moved from the round before; `'oscillation'`: the ballots repeated
 * an earlier round; `'max-rounds'`: `conflictRounds` re-votes were held), or `'quorum'` when an option
 * reached the quorum without all voters agreeing.
 */
export type ConsensusStopReason = ConvergenceReason | 'quorum';

/** What consensus decided, as recorded in `CoordinationResult.decision` and the `strategy.decision` event. */
export type ConsensusDecision = {
  readonly strategy: 'consensus';
  /** Whether an option reached the quorum (false: the weighted plurality was taken). */
  readonly consensus: boolean;
  readonly quorum: number;
  readonly weighting: 'reputation' | 'priority' | 'equal' | 'custom';
  readonly grouping: 'exact' | 'judge';
  /** How many answers the weights assumed possible (`choices`, or the distinct answers given, at least 2). */
  readonly choices: number;
  readonly voters: readonly { readonly agent: string; readonly weight: number; readonly accuracy: number; readonly record: OutcomeRecord }[];
  readonly options: readonly AnswerOption[];
  /** Every vote round: round 1 is the independent answers, later rounds are conflict rounds (re-votes). */
  readonly rounds: readonly { readonly round: number; readonly ballots: readonly (Ballot & { readonly reason?: string })[]; readonly tally: TallyResult }[];
  /** Why the rounds ended, and how many there were (the length of `rounds`). */
  readonly convergence: { readonly reason: ConsensusStopReason; readonly rounds: number };
  /** Id of the chosen option. */
  readonly winner: string;
  /** The agent whose answer is the output. */
  readonly author: string;
  readonly fallback?: 'weighted-plurality';
  /** Options tied for the most weight (and voters) when no quorum was reached; the winner was drawn among them at random. */
  readonly tie?: readonly string[];
  readonly failures: readonly { readonly agent: string; readonly error: string }[];
  readonly invalidVotes: readonly { readonly round: number; readonly agent: string; readonly error: string }[];
  /** Outcomes recorded into reputations by this task. */
  readonly learned: readonly { readonly agent: string; readonly score: number }[];
};

/** A consensus strategy instance. */
export interface ConsensusStrategy extends Strategy, OutcomeRecorder {
  readonly name: 'consensus';
}

/**
 * The vote weight of an agent with `record` on the task, under `weighting`, when the question allows
 * `choices` answers (default 2).
 */
export function expertiseWeight(agent: AgentDefinition, task: TaskSpec, record: OutcomeRecord, weighting: ConsensusWeighting, choices = 2): number {
  if (weighting === 'equal') return 1;
  if (weighting === 'priority') return logOddsWeight(PRIORITY_PRIOR_MEAN[agent.priority ?? 'medium'], undefined, choices);
  if (weighting === 'reputation') return logOddsWeight(accuracy(record, priorFor(agent.priority)), undefined, choices);
  const weight = weighting(agent, task);
  if (!(Number.isFinite(weight) && weight >= 0))
    throw new StrategyOptionError('consensus', 'weighting', `returned ${weight} for agent "${agent.name}"; weights must be finite and >= 0`);
  return weight;
}

const NAME = 'consensus';

/**
 * Weighted-majority consensus: k capable agents answer independently, equivalent answers are grouped
 * into options, each vote weighs by the agent's expertise, an option holding the quorum wins; else
 * conflict rounds (re-votes) until a convergence detector sees the ballots stop moving, agree or
 * cycle, or `conflictRounds` is reached; else the answer with the most expertise behind it
 * (`consensus: false`). The rounds go out as `convergence.round` / `convergence.stopped` events.
 * Weights learn only from outcomes that do not come from the vote (see `assess`).
 *
 * @example
 * const strategy = consensus({ k: 5, quorum: 0.6 });
 */
export function consensus(options: ConsensusOptions = {}): ConsensusStrategy {
  const k = numberOption(NAME, 'k', options.k, 3, { min: 1, integer: true });
  const quorum = numberOption(NAME, 'quorum', options.quorum, DEFAULT_QUORUM, { min: 0.5, minExclusive: true, max: 1 });
  const conflictRounds = numberOption(NAME, 'conflictRounds', options.conflictRounds, 1, { min: 0, max: 5, integer: true });
  const shortChars = numberOption(NAME, 'shortAnswerChars', options.shortAnswerChars, SHORT_ANSWER_CHARS, { min: 1 });
  const weighting = options.weighting ?? 'reputation';
  const grouping = options.grouping ?? 'auto';
  const assess = options.assess ?? 'external';
  if ((assess as string) === 'agreement')
    throw new StrategyOptionError(
      NAME,
      'assess',
      "'agreement' is no longer accepted: agreeing with the vote is not an outcome, and a group that wins the vote would raise its own weight; use 'judge', a check function, or recordOutcome (the default, 'external')",
    );
  const fixedChoices = options.choices === undefined ? undefined : numberOption(NAME, 'choices', options.choices, 2, { min: 2, integer: true });
  const namespace = options.namespace ?? 'reputation';

  return {
    name: NAME,
    recordOutcome: reputationRecorder(namespace),
    async coordinate(context) {
      requireCandidates(NAME, context);
      const { task } = context;
      const capabilities = taskCapabilities(task);
      const reputations = reputationStore(context.store, namespace);
      const voters = context.candidates.slice(0, k).map((match) => {
        const record = reputations.get(match.agent.name, capabilities);
        return { agent: match.agent, record, accuracy: accuracy(record, priorFor(match.agent.priority)) };
      });

      // Round 1: independent answers.
      const prompt = renderPrompt('vote', { task: taskPrompt(context), voters: voters.length }, options.prompts);
      const settled = await Promise.allSettled(voters.map((v) => context.runAgent(v.agent, prompt)));
      const runs: AgentRunResult[] = [];
      const answers: Answer[] = [];
      const failures: { agent: string; error: string }[] = [];
      settled.forEach((s, i) => {
        const agent = voters[i]!.agent.name;
        if (s.status === 'fulfilled') {
          runs.push(s.value);
          answers.push({ agent, text: s.value.output });
        } else {
          if (isNoFault(s.reason, context.signal)) throw s.reason;
          failures.push({ agent, error: errorMessage(s.reason) });
        }
      });
      if (answers.length === 0) throw (settled[0] as PromiseRejectedResult).reason;

      const useJudge =
        answers.length > 1 && (grouping === 'judge' || (grouping === 'auto' && !answers.every((a) => isShortAnswer(a.text, shortChars))));
      const optionsList: AnswerOption[] = useJudge
        ? await groupWithJudge(options.judgeModel ?? context.judgeModel, answers, task, { signal: context.signal, prompts: options.prompts })
        : groupExact(answers);
      // The weights need the number of possible answers, known once the answers are grouped.
      const choices = fixedChoices ?? Math.max(2, optionsList.length);
      const weighted = voters.map((v) => ({ ...v, weight: expertiseWeight(v.agent, task, v.record, weighting, choices) }));
      const answering = weighted.filter((v) => answers.some((a) => a.agent === v.agent.name));
      const initialChoice = new Map(optionsList.flatMap((o) => o.members.map((m) => [m, o.id] as const)));
      let choice = new Map(initialChoice);
      const reasons = new Map<string, string>();
      const ballots = (): Ballot[] => answering.map((v) => ({ agent: v.agent.name, option: choice.get(v.agent.name)!, weight: v.weight }));

      const rounds: { round: number; ballots: (Ballot & { reason?: string })[]; tally: TallyResult }[] = [];
      const invalidVotes: { round: number; agent: string; error: string }[] = [];
      // The detector sees each round's picked option ids in voter order, so a round in which nobody moved is
      // `stable`, a unanimous one `agreement`, a return to an earlier round `oscillation`. Option ids
      // are already canonical, hence exact matching.
      const detector = createConvergenceDetector({
        maxRounds: 1 + conflictRounds,
        threshold: 1,
        similarity: (a, b) => (a === b ? 1 : 0),
        events: context.events,
        taskId: task.id,
      });
      let result = tally(ballots(), { quorum });
      rounds.push({ round: 1, ballots: ballots(), tally: result });
      let converged = detector.observe(ballots().map((b) => b.option));

      for (let round = 2; !converged.done && !result.reached && optionsList.length > 1; round++) {
        const listing = describeOptions(optionsList, answers, choice, reasons);
        const ids = optionsList.map((o) => o.id) as [string, ...string[]];
        const VoteSchema = z.object({
          option: z.enum(ids).describe('Id of the answer you now support'),
          reason: z.string().describe('Why, in one or two sentences'),
        });
        const votes = await Promise.allSettled(
          answering.map((v) =>
            context.modelFor(v.agent).generateObject({
              system: v.agent.systemPrompt,
              prompt: renderPrompt(
                'conflict',
                { task: taskPrompt(context), options: listing, own: choice.get(v.agent.name)!, round: round - 1, quorum: Math.round(quorum * 100) },
                options.prompts,
              ),
              schema: VoteSchema,
              schemaName: 'vote',
              signal: context.signal,
            }),
          ),
        );
        const next = new Map(choice);
        votes.forEach((vote, i) => {
          const agent = answering[i]!.agent.name;
          if (vote.status === 'fulfilled') {
            next.set(agent, vote.value.object.option);
            reasons.set(agent, vote.value.object.reason);
          } else {
            if (isNoFault(vote.reason, context.signal)) throw vote.reason;
            invalidVotes.push({ round, agent, error: errorMessage(vote.reason) });
          }
        });
        choice = next;
        result = tally(ballots(), { quorum });
        rounds.push({
          round,
          ballots: ballots().map((b) => ({ ...b, ...(reasons.has(b.agent) ? { reason: reasons.get(b.agent)! } : {}) })),
          tally: result,
        });
        converged = detector.observe(ballots().map((b) => b.option));
      }
      // Unanimity says more than a quorum, and a quorum more than the round bound. Left without a
      // detector verdict or a quorum, the rounds stopped because there was a single option: agreement.
      const stopReason: ConsensusStopReason =
        converged.reason === 'agreement' ? 'agreement' : result.reached ? 'quorum' : (converged.reason ?? 'agreement');

      // No quorum: the option with the most expertise behind it (weighted plurality). With one
      // dominant expert that is the expert's answer; it is the best guess the weights support. A dead
      // heat (same weight, same number of voters) is drawn at random, never settled by ballot order.
      const leader = result.options[0]!;
      const tie = result.reached ? [] : result.options.filter((o) => o.weight === leader.weight && o.voters.length === leader.voters.length).map((o) => o.option);
      const chosen = result.winner ?? (tie.length > 1 ? tie[Math.min(tie.length - 1, Math.floor(context.random.next() * tie.length))]! : leader.option);
      const chosenOption = optionsList.find((o) => o.id === chosen)!;
      // The output is the answer of the weightiest agent whose own first answer is in the chosen option.
      const author = answering
        .filter((v) => initialChoice.get(v.agent.name) === chosen)
        .reduce((best, v) => (v.weight > best.weight ? v : best));
      const output = answers.find((a) => a.agent === author.agent.name)!.text;

      const learned = await learn();
      return decide(context, {
        output,
        agents: chosenOption.members.length > 0 ? chosenOption.members : [author.agent.name],
        runs,
        decision: {
          strategy: 'consensus',
          consensus: result.reached,
          quorum,
          weighting: typeof weighting === 'function' ? ('custom' as const) : weighting,
          grouping: useJudge ? ('judge' as const) : ('exact' as const),
          choices,
          voters: weighted.map((v) => ({ agent: v.agent.name, weight: v.weight, accuracy: v.accuracy, record: v.record })),
          options: optionsList.map((o) => ({ id: o.id, label: o.label, members: o.members })),
          rounds,
          convergence: { reason: stopReason, rounds: rounds.length },
          winner: chosen,
          author: author.agent.name,
          ...(result.reached ? {} : { fallback: 'weighted-plurality' as const }),
          ...(tie.length > 1 ? { tie } : {}),
          failures,
          invalidVotes,
          learned,
        } satisfies ConsensusDecision,
      });

      async function learn(): Promise<{ agent: string; score: number }[]> {
        if (assess === 'external') return [];
        // Each voter's own answer is graded on its own: whether it agreed with the others never counts.
        const scores: { agent: string; score: number }[] = failures.map((f) => ({ agent: f.agent, score: 0 }));
        for (const run of runs) {
          const graded = await assessRun(assess, { output: run.output, agent: run.agent, run, context }, {
            ...(options.judgeModel ? { judgeModel: options.judgeModel } : {}),
            ...(options.prompts ? { prompts: options.prompts } : {}),
          });
          if (graded) scores.push({ agent: run.agent, score: graded.score });
        }
        for (const s of scores) reputations.record(s.agent, capabilities, s.score);
        return scores;
      }
    },
  };
}

function describeOptions(
  options: readonly AnswerOption[],
  answers: readonly Answer[],
  choice: ReadonlyMap<string, string>,
  reasons: ReadonlyMap<string, string>,
): string {
  return options
    .map((o) => {
      const example = answers.find((a) => a.agent === o.members[0])?.text.trim() ?? o.label;
      const supporters = [...choice.entries()].filter(([, id]) => id === o.id).map(([agent]) => agent);
      const why = supporters.filter((a) => reasons.has(a)).map((a) => `- ${a}: ${reasons.get(a)}`);
      return [
        `<option id="${o.id}" supporters="${supporters.length}">`,
        `Summary: ${o.label}`,
        `Answer:\n${truncate(example, 2000)}`,
        ...(why.length > 0 ? ['Reasons given:', ...why] : []),
        `</option>`,
      ].join('\n');
    })
    .join('\n\n');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n[... ${text.length - max} more characters]`;
}

