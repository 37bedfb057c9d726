import type { Strategy } from './strategy.js';
import { auction, type AuctionOptions } from './auction.js';
import { consensus, type ConsensusOptions } from './consensus.js';
import { UnknownStrategyError } from './errors.js';
import { hierarchical, type HierarchicalOptions } from './hierarchical.js';
import { stigmergy, type StigmergyOptions } from './stigmergy.js';

/** The built-in strategies, by name. */
export const STRATEGY_NAMES = ['consensus', 'hierarchical', 'auction', 'stigmergy'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** A built-in strategy named with its options, e.g. `{ name: 'auction', reserve: 5 }`. */
export type StrategyConfig =
  | ({ readonly name: 'consensus' } & ConsensusOptions)
  | ({ readonly name: 'hierarchical' } & HierarchicalOptions)
  | ({ readonly name: 'auction' } & AuctionOptions)
  | ({ readonly name: 'stigmergy' } & StigmergyOptions);

/**
 * A strategy from a name (`'consensus'`), a name with options (`{ name: 'auction', reserve: 5 }`) or
 * a ready `Strategy` object (returned as is). Options are checked here: a bad one is a
 * `StrategyOptionError` naming it; an unknown name is an `UnknownStrategyError` listing the names.
 *
 * @example
 * const strategy = createStrategy({ name: 'consensus', k: 5 });
 */
export function createStrategy(spec: StrategyName | StrategyConfig | Strategy | string): Strategy {
  if (typeof spec === 'object' && spec !== null && typeof (spec as Strategy).coordinate === 'function') return spec as Strategy;
  const config = (typeof spec === 'string' ? { name: spec } : spec) as StrategyConfig | { name: string };
  const { name, ...options } = config;
  switch (name) {
    case 'consensus':
      return consensus(options as ConsensusOptions);
    case 'hierarchical':
      return hierarchical(options as HierarchicalOptions);
    case 'auction':
      return auction(options as AuctionOptions);
    case 'stigmergy':
      return stigmergy(options as StigmergyOptions);
    default:
      throw new UnknownStrategyError(String(name), STRATEGY_NAMES);
  }
}

export { consensus, expertiseWeight, type ConsensusOptions, type ConsensusStrategy, type ConsensusWeighting, type ConsensusDecision, type ConsensusStopReason } from './consensus.js';
export { hierarchical, type HierarchicalOptions, type HierarchicalStrategy, type HierarchicalDecision, type DelegationNode } from './hierarchical.js';
export { auction, AUCTION_DEFAULTS, type AuctionOptions, type AuctionStrategy, type AuctionDecision } from './auction.js';
export { stigmergy, STIGMERGY_DEFAULTS, type StigmergyOptions, type StigmergyStrategy, type StigmergyDecision } from './stigmergy.js';
export { tally, DEFAULT_QUORUM, type Ballot, type OptionTally, type TallyResult } from './tally.js';
export { normaliseAnswer, isShortAnswer, groupExact, groupWithJudge, type Answer, type AnswerOption } from './answer-options.js';
export { selectLeader, balance, capabilityCoverage, type LeaderCandidate, type WorkItem, type Worker, type Balanced } from './hierarchy-rules.js';
export { clearAuction, effectiveBid, reputationWeight, settlePayment, type Bid, type RankedBid, type Clearing, type PaymentRule } from './clearing.js';
export { deterministicBidder, modelBidder, type Bidder, type Offer } from './bidding.js';
export {
  choose,
  draw,
  pickProbabilities,
  evaporate,
  deposit,
  seed,
  updateTrails,
  NO_TRAIL,
  DEFAULT_TRAIL_PRIOR,
  type UpdateParams,
  type Trail,
  type Trails,
  type ChoiceCandidate,
  type ChooseParams,
  type Choice,
} from './pheromone.js';
export { trailStore, type TrailStore } from './trail-store.js';
export {
  reputationStore,
  accuracy,
  logOddsWeight,
  priorFor,
  withOutcome,
  LAPLACE_PRIOR,
  PRIORITY_PRIOR_MEAN,
  type ReputationStore,
  type OutcomeRecord,
  type BetaPrior,
} from './reputation.js';
export { type AssessOption, type AssessFn, type AssessInput, type Assessment, type StrategyOutcome, type OutcomeRecorder, type OutcomeScore, type StoreHolder } from './outcome.js';
export { taskKind, taskCapabilities } from './common.js';
export { UnknownStrategyError, StrategyOptionError, StrategyValueError, NoCandidatesError, AuctionNoSaleError, StoreDataError } from './errors.js';
export type { PromptOverrides, StrategyPromptName } from './prompts.js';
