import type { AgentMatch, AgentRunResult } from '../src/agents/types.js';
import type { Model } from '../src/model/types.js';
import type { Strategy } from './strategy.js';
import { deterministicBidder, modelBidder, type Bidder, type Offer } from './bidding.js';
import { clearAuction, reputationWeight, settlePayment, type Clearing, type PaymentRule, type RankedBid } from './clearing.js';
import { errorMessage } from '../src/errors/error-info.js';
import { decide, isNoFault, numberOption, requireCandidates, taskCapabilities, taskPrompt } from './common.js';
import { AuctionNoSaleError, StrategyOptionError, StrategyValueError } from './errors.js';
import { assessRun, type Assessment, type AssessOption, type OutcomeRecorder } from './outcome.js';
import type { PromptOverrides } from './prompts.js';
import { reputationRecorder, reputationStore, type OutcomeRecord } from './reputation.js';

export interface AuctionOptions {
  /**
   * The most the buyer pays for the task done in full, in cost units. A bid whose ask is over it
   * cannot win (the ask is `cost / confidence` under performance pay, `cost` under fixed pay), and the
   * price never exceeds it. No bid within it means no sale. Default: no reserve.
   */
  readonly reserve?: number;
  /**
   * How the winner is paid: `'performance'` (default), `price × quality` once the work is graded, so
   * a claimed confidence is paid for by results; or `'fixed'`, the price whatever the result, with
   * claimed confidence ignored (it cannot be checked). See {@link PaymentRule}.
   */
  readonly payment?: PaymentRule;
  /** What happens on no sale: `'fail'` (default) throws AuctionNoSaleError; `'best-match'` gives the task to the best-matched agent, unpaid. */
  readonly onNoSale?: 'fail' | 'best-match';
  /** `'model'` (default): each agent's model bids in a short structured call; `'deterministic'`: no model call; or your own bidder. */
  readonly bidder?: 'model' | 'deterministic' | Bidder;
  /** How many of the best-matched candidates are invited to bid. Default 5. */
  readonly maxBidders?: number;
  /** Weight of the exploration bonus in reputation weights (0 = trust the record alone). Default 0.5. */
  readonly exploration?: number;
  /** How the winner's work is graded (performance-based payment and reputation). Default `'finish'`. */
  readonly assess?: AssessOption;
  /** Store namespace of the reputations. Default `reputation` (shared with consensus). */
  readonly namespace?: string;
  /** Model for `assess: 'judge'`. Default the runtime's synthesizer model. */
  readonly judgeModel?: Model;
  readonly prompts?: PromptOverrides;
}

/** What the auction decided, as recorded in `CoordinationResult.decision` and the `strategy.decision` event. */
export type AuctionDecision = {
  readonly strategy: 'auction';
  /** The most the buyer pays for the task done in full, in cost units (null: none). */
  readonly reserve: number | null;
  readonly paymentRule: PaymentRule;
  /** Every valid bid, best first. */
  readonly bids: readonly (RankedBid & { readonly rationale: string | null; readonly record: OutcomeRecord })[];
  readonly invalidBids: readonly { readonly agent: string; readonly error: string }[];
  readonly sold: boolean;
  readonly winner: string | null;
  readonly winningBid: number | null;
  /** The effective bid the winner had to beat: the runner-up's, capped by the reserve. */
  readonly threshold: number | null;
  /** What the winner is paid for the task done in full, in its cost units: the highest ask with which it would still have won. */
  readonly price: number | null;
  readonly runnerUp: string | null;
  /** The agent that did the task (absent when nothing was sold and `onNoSale` is `'fail'`). */
  readonly assigned?: string;
  readonly outcome?: 'no-sale';
  readonly fallback?: 'best-match';
  /** The payment: `paid = price × quality` (performance) or `price` (fixed) once the work is graded (null: not graded yet). */
  readonly payment?: { readonly rule: PaymentRule; readonly price: number; readonly quality: number | null; readonly paid: number | null } | null;
  readonly assessment?: Assessment | null;
  /** The winner's run failed with this message. */
  readonly error?: string;
};

export interface AuctionStrategy extends Strategy, OutcomeRecorder {
  readonly name: 'auction';
}

const NAME = 'auction';

/** The defaults of `auction()`. */
export const AUCTION_DEFAULTS = Object.freeze({ maxBidders: 5, exploration: 0.5 });

/**
 * Sealed-bid second-price (Vickrey) procurement auction. Capable agents bid a cost and a confidence;
 * each bid asks cost / confidence for the task done in full (performance pay), which the buyer
 * divides by the bidder's reputation weight; the lowest effective bid within the reserve wins and is
 * paid the highest ask with which it would still have won, times the quality of its work. Asking
 * one's true cost and stating one's true confidence is a best response. The outcome also updates the
 * winner's reputation, which weighs its later bids.
 *
 * @example
 * const strategy = auction({ reserve: 5, bidder: 'deterministic' });
 */
export function auction(options: AuctionOptions = {}): AuctionStrategy {
  const reserve = numberOption(NAME, 'reserve', options.reserve, Number.POSITIVE_INFINITY, { min: 0 });
  const maxBidders = numberOption(NAME, 'maxBidders', options.maxBidders, AUCTION_DEFAULTS.maxBidders, { min: 1, integer: true });
  const exploration = numberOption(NAME, 'exploration', options.exploration, AUCTION_DEFAULTS.exploration, { min: 0 });
  const paymentRule: PaymentRule = options.payment ?? 'performance';
  if (paymentRule !== 'performance' && paymentRule !== 'fixed')
    throw new StrategyOptionError(NAME, 'payment', `must be 'performance' or 'fixed' (got ${String(paymentRule)})`);
  const onNoSale = options.onNoSale ?? 'fail';
  if (onNoSale !== 'fail' && onNoSale !== 'best-match') throw new StrategyOptionError(NAME, 'onNoSale', `must be 'fail' or 'best-match' (got ${String(onNoSale)})`);
  const bidder: Bidder =
    options.bidder === 'deterministic' ? deterministicBidder : typeof options.bidder === 'function' ? options.bidder : modelBidder(options.prompts);
  const assess = options.assess ?? 'finish';
  const namespace = options.namespace ?? 'reputation';

  return {
    name: NAME,
    recordOutcome: reputationRecorder(namespace),
    async coordinate(context) {
      requireCandidates(NAME, context);
      const capabilities = taskCapabilities(context.task);
      const reputations = reputationStore(context.store, namespace);
      const invited = context.candidates.slice(0, maxBidders);
      const records = new Map(invited.map((m) => [m.agent.name, reputations.get(m.agent.name, capabilities)]));
      const total = [...records.values()].reduce((n, r) => n + r.successes + r.failures, 0);

      const settled = await Promise.allSettled(invited.map(async (match) => validOffer(match, context.task.id, await bidder({ match, context }))));
      const offers: { match: AgentMatch; offer: Offer }[] = [];
      const invalidBids: { agent: string; error: string }[] = [];
      settled.forEach((s, i) => {
        const match = invited[i]!;
        if (s.status === 'fulfilled') offers.push({ match, offer: s.value });
        else if (isNoFault(s.reason, context.signal)) throw s.reason;
        else invalidBids.push({ agent: match.agent.name, error: errorMessage(s.reason) });
      });

      const clearing: Clearing = clearAuction(
        offers.map(({ match, offer }) => ({
          agent: match.agent.name,
          cost: offer.cost,
          confidence: offer.confidence,
          weight: reputationWeight(records.get(match.agent.name)!, total, exploration),
        })),
        { reserve, payment: paymentRule },
      );
      const base = {
        strategy: 'auction' as const,
        reserve: Number.isFinite(reserve) ? reserve : null,
        paymentRule,
        bids: clearing.ranked.map((b) => ({ ...b, rationale: offers.find((o) => o.match.agent.name === b.agent)?.offer.rationale ?? null, record: records.get(b.agent)! })),
        invalidBids,
        sold: clearing.sold,
        winner: clearing.winner ?? null,
        winningBid: clearing.winningBid ?? null,
        threshold: clearing.threshold ?? null,
        price: clearing.price ?? null,
        runnerUp: clearing.runnerUp ?? null,
      } satisfies AuctionDecision;

      let chosen: AgentMatch;
      if (clearing.sold) chosen = invited.find((m) => m.agent.name === clearing.winner)!;
      else if (onNoSale === 'best-match') chosen = context.candidates[0]!;
      else {
        decide(context, { output: '', agents: [], runs: [], decision: { ...base, outcome: 'no-sale' } satisfies AuctionDecision });
        throw new AuctionNoSaleError(context.task.id, reserve, clearing.ranked.length > 0 ? Math.min(...clearing.ranked.map((b) => b.ask)) : undefined);
      }

      let run: AgentRunResult;
      try {
        run = await context.runAgent(chosen.agent, taskPrompt(context));
      } catch (error) {
        if (!isNoFault(error, context.signal) && assess !== 'external') reputations.record(chosen.agent.name, capabilities, 0);
        decide(context, { output: '', agents: [chosen.agent.name], runs: [], decision: { ...base, assigned: chosen.agent.name, error: errorMessage(error) } satisfies AuctionDecision });
        throw error;
      }
      const graded: Assessment | undefined = await assessRun(
        assess,
        { output: run.output, agent: chosen.agent.name, run, context },
        { ...(options.judgeModel ? { judgeModel: options.judgeModel } : {}), ...(options.prompts ? { prompts: options.prompts } : {}) },
      );
      if (graded) reputations.record(chosen.agent.name, capabilities, graded.score);
      return decide(context, {
        output: run.output,
        agents: [chosen.agent.name],
        runs: [run],
        decision: {
          ...base,
          assigned: chosen.agent.name,
          ...(clearing.sold ? {} : { fallback: 'best-match' as const }),
          payment: clearing.sold
            ? { rule: paymentRule, price: clearing.price!, quality: graded?.score ?? null, paid: graded ? settlePayment(clearing.price!, graded.score, paymentRule) : null }
            : null,
          assessment: graded ?? null,
        } satisfies AuctionDecision,
      });
    },
  };
}

/** The bidder's offer, checked: a bidder may be the caller's own function or a model. */
function validOffer(match: AgentMatch, taskId: string, offer: Offer): Offer {
  const invalid = (problem: string) =>
    new StrategyValueError({ agent: match.agent.name, taskId, message: `bid of agent "${match.agent.name}" for task "${taskId}" ${problem}` });
  if (!(Number.isFinite(offer.cost) && offer.cost >= 0)) throw invalid(`has cost ${offer.cost}; it must be finite and >= 0`);
  if (!(offer.confidence > 0 && offer.confidence <= 1)) throw invalid(`has confidence ${offer.confidence}; it must be in (0, 1]`);
  return offer;
}
