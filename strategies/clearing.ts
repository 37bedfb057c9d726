import type { OutcomeRecord } from './reputation.js';
import { accuracy, LAPLACE_PRIOR } from './reputation.js';

/** A sealed procurement bid: what the agent asks to do the task, how sure it is, and how much its record counts. */
export interface Bid {
  readonly agent: string;
  /** Asked cost or effort (>= 0, any unit, the same for all bidders). */
  readonly cost: number;
  /** The bidder's confidence it will succeed, in (0, 1]. Default 1. */
  readonly confidence?: number;
  /** Reputation weight (> 0): how much the buyer trusts this bidder. Default 1. */
  readonly weight?: number;
}

/** A bid as ranked by the clearing. */
export interface RankedBid {
  readonly agent: string;
  readonly cost: number;
  readonly confidence: number;
  readonly weight: number;
  /** cost / (weight × confidence): the price adjusted for the risk of failure. Lower wins. */
  readonly effective: number;
}

export interface Clearing {
  /** Whether some bid was at or under the reserve. */
  readonly sold: boolean;
  readonly winner: string | undefined;
  /** The winner's effective bid. */
  readonly winningBid: number | undefined;
  /**
   * The effective bid the winner had to beat: the runner-up's, capped by the reserve; the reserve for
   * a lone bidder; a lone bidder's own effective bid when there is no reserve.
   */
  readonly threshold: number | undefined;
  /**
   * What the winner is paid, in its own cost units: the highest cost it could have asked and still
   * won, `threshold × weight × confidence`. With equal weights and confidences that is the runner-up's
   * cost; in general it is the runner-up's price as the buyer values the winner's work.
   */
  readonly price: number | undefined;
  readonly runnerUp: string | undefined;
  readonly reserve: number;
  /** Every bid, best first (ties: higher weight, then higher confidence, then bid order). */
  readonly ranked: readonly RankedBid[];
}

/** cost / (weight × confidence). */
export function effectiveBid(bid: Bid): number {
  return bid.cost / ((bid.weight ?? 1) * (bid.confidence ?? 1));
}

/**
 * Clears a sealed-bid, second-price (Vickrey) procurement auction scored by effective bid
 * (`cost / (weight × confidence)`): the lowest effective bid wins and is paid the highest cost at which
 * it would still have won (the runner-up's effective bid, capped by the reserve, turned back into the
 * winner's cost units). The price does not depend on the winner's own bid, so asking one's true cost
 * is the best strategy. No bid at or under `reserve` (default: none) means no sale. Pure.
 *
 * @example
 * clearAuction([{ agent: 'a', cost: 3 }, { agent: 'b', cost: 5 }], { reserve: 10 })
 * // → { sold: true, winner: 'a', winningBid: 3, threshold: 5, price: 5, runnerUp: 'b', ... }
 */
export function clearAuction(bids: readonly Bid[], options: { readonly reserve?: number } = {}): Clearing {
  const reserve = options.reserve ?? Number.POSITIVE_INFINITY;
  if (!(reserve >= 0)) throw new RangeError(`clearAuction: reserve must be >= 0, got ${reserve}`);
  const seen = new Set<string>();
  const ranked = bids
    .map((bid, index) => {
      if (seen.has(bid.agent)) throw new RangeError(`clearAuction: agent "${bid.agent}" bid more than once`);
      seen.add(bid.agent);
      const confidence = bid.confidence ?? 1;
      const weight = bid.weight ?? 1;
      if (!(Number.isFinite(bid.cost) && bid.cost >= 0)) throw new RangeError(`clearAuction: bid of "${bid.agent}" has cost ${bid.cost}; costs must be finite and >= 0`);
      if (!(confidence > 0 && confidence <= 1)) throw new RangeError(`clearAuction: bid of "${bid.agent}" has confidence ${confidence}; it must be in (0, 1]`);
      if (!(Number.isFinite(weight) && weight > 0)) throw new RangeError(`clearAuction: bid of "${bid.agent}" has weight ${weight}; it must be finite and > 0`);
      return { index, bid: { agent: bid.agent, cost: bid.cost, confidence, weight, effective: effectiveBid({ ...bid, confidence, weight }) } };
    })
    .sort((a, b) => a.bid.effective - b.bid.effective || b.bid.weight - a.bid.weight || b.bid.confidence - a.bid.confidence || a.index - b.index)
    .map((entry) => entry.bid);
  const first = ranked[0];
  if (first === undefined || first.effective > reserve)
    return { sold: false, winner: undefined, winningBid: undefined, threshold: undefined, price: undefined, runnerUp: undefined, reserve, ranked };
  const second = ranked[1];
  const threshold = second !== undefined ? Math.min(second.effective, reserve) : Number.isFinite(reserve) ? reserve : first.effective;
  // A lone bidder without a reserve is paid exactly its cost (threshold × weight × confidence = cost).
  const price = second === undefined && !Number.isFinite(reserve) ? first.cost : threshold * first.weight * first.confidence;
  return { sold: true, winner: first.agent, winningBid: first.effective, threshold, price, runnerUp: second?.agent, reserve, ranked };
}

/**
 * The buyer's trust in a bidder: its posterior mean success rate (Laplace prior) plus an
 * upper-confidence bonus `exploration × sqrt(ln(1 + total) / (1 + n))` (UCB1, Auer et al. 2002),
 * where n is the bidder's outcomes and `total` all bidders' outcomes. Without the bonus a buyer keeps
 * hiring the first agent that did well enough and never learns that an untried one is better.
 */
export function reputationWeight(record: OutcomeRecord, totalOutcomes: number, exploration: number): number {
  const n = record.successes + record.failures;
  const bonus = exploration * Math.sqrt(Math.log(1 + Math.max(0, totalOutcomes)) / (1 + n));
  return Math.max(0.01, accuracy(record, LAPLACE_PRIOR) + bonus);
}
