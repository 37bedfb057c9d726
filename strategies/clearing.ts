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

/**
 * How the winner is paid, in its cost units:
 * - `'performance'` (default): `price × quality` once its work is graded (quality 0..1), so claimed
 *   confidence is paid for by results. Bids rank by `cost / (weight × confidence)`.
 * - `'fixed'`: `price`, whatever the result. Claimed confidence cannot be checked, so it is ignored:
 *   bids rank by `cost / weight`.
 * Either way asking one's true cost, and stating one's true confidence, is a best response.
 */
export type PaymentRule = 'performance' | 'fixed';

/** A bid as ranked by the clearing. */
export interface RankedBid {
  readonly agent: string;
  readonly cost: number;
  readonly confidence: number;
  readonly weight: number;
  /** What the bid asks for the task done in full, in cost units: cost / confidence (performance pay) or cost (fixed pay). */
  readonly ask: number;
  /** ask / weight: the ask as the buyer values it. Lower wins. */
  readonly effective: number;
  /** Whether the ask is at or under the reserve (bids over it cannot win). */
  readonly withinReserve: boolean;
}

export interface Clearing {
  /** Whether some bid was at or under the reserve. */
  readonly sold: boolean;
  readonly winner: string | undefined;
  /** The winner's effective bid. */
  readonly winningBid: number | undefined;
  /**
   * The effective bid the winner had to beat: the runner-up's among the bids within the reserve,
   * capped by the reserve as the winner's effective bid (reserve / weight); a lone bidder's own
   * effective bid when there is no reserve.
   */
  readonly threshold: number | undefined;
  /**
   * What the winner is paid for the task done in full, in its cost units: the highest ask with which
   * it would still have won, `threshold × weight`, never above the reserve. With equal weights that is
   * the runner-up's ask. It does not depend on the winner's own bid.
   */
  readonly price: number | undefined;
  readonly runnerUp: string | undefined;
  readonly reserve: number;
  readonly payment: PaymentRule;
  /** Every bid: those within the reserve first, each group best first (ties: higher weight, then higher confidence, then bid order). */
  readonly ranked: readonly RankedBid[];
}

/** cost / (weight × confidence) under performance pay, cost / weight under fixed pay. */
export function effectiveBid(bid: Bid, payment: PaymentRule = 'performance'): number {
  return askOf(bid.cost, bid.confidence ?? 1, payment) / (bid.weight ?? 1);
}

function askOf(cost: number, confidence: number, payment: PaymentRule): number {
  return payment === 'performance' ? cost / confidence : cost;
}

/**
 * Clears a sealed-bid, second-price (Vickrey) procurement auction. Each bid asks a price for the task
 * done in full (`cost / confidence` under performance pay, `cost` under fixed pay); the buyer divides
 * it by the bidder's reputation weight (the effective bid). Among the bids whose ask is at or under
 * `reserve` (the most the buyer pays for the task, in cost units; default: no limit), the lowest
 * effective bid wins and is paid the highest ask with which it would still have won: the runner-up's
 * effective bid × its own weight, capped by the reserve. The price does not depend on the winner's
 * own bid, so asking one's true cost (and, under performance pay, stating one's true confidence) is a
 * best response. No bid within the reserve means no sale. Pure.
 *
 * @example
 * clearAuction([{ agent: 'a', cost: 3 }, { agent: 'b', cost: 5 }], { reserve: 10 })
 * // → { sold: true, winner: 'a', winningBid: 3, threshold: 5, price: 5, runnerUp: 'b', ... }
 */
export function clearAuction(bids: readonly Bid[], options: { readonly reserve?: number; readonly payment?: PaymentRule } = {}): Clearing {
  const reserve = options.reserve ?? Number.POSITIVE_INFINITY;
  const payment = options.payment ?? 'performance';
  if (!(reserve >= 0)) throw new RangeError(`clearAuction: reserve must be >= 0, got ${reserve}`);
  if (payment !== 'performance' && payment !== 'fixed') throw new RangeError(`clearAuction: payment must be 'performance' or 'fixed', got ${String(payment)}`);
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
      const ask = askOf(bid.cost, confidence, payment);
      return { index, bid: { agent: bid.agent, cost: bid.cost, confidence, weight, ask, effective: ask / weight, withinReserve: ask <= reserve } };
    })
    .sort(
      (a, b) =>
        Number(b.bid.withinReserve) - Number(a.bid.withinReserve) ||
        a.bid.effective - b.bid.effective ||
        b.bid.weight - a.bid.weight ||
        b.bid.confidence - a.bid.confidence ||
        a.index - b.index,
    )
    .map((entry): RankedBid => entry.bid);
  const first = ranked[0];
  if (first === undefined || !first.withinReserve)
    return { sold: false, winner: undefined, winningBid: undefined, threshold: undefined, price: undefined, runnerUp: undefined, reserve, payment, ranked };
  const second = ranked[1]?.withinReserve ? ranked[1] : undefined;
  // The winner keeps winning while its effective bid stays under the runner-up's and its ask under the reserve.
  const cap = reserve / first.weight;
  const threshold = second !== undefined ? Math.min(second.effective, cap) : Number.isFinite(reserve) ? cap : first.effective;
  const price = Math.min(threshold * first.weight, reserve);
  return { sold: true, winner: first.agent, winningBid: first.effective, threshold, price, runnerUp: second?.agent, reserve, payment, ranked };
}

/**
 * What the winner is paid once its work is graded: `price × quality` under performance pay, `price`
 * under fixed pay. A quality outside [0, 1] is a RangeError.
 */
export function settlePayment(price: number, quality: number, payment: PaymentRule = 'performance'): number {
  if (!(quality >= 0 && quality <= 1)) throw new RangeError(`settlePayment: quality must be in [0, 1], got ${quality}`);
  return payment === 'performance' ? price * quality : price;
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
