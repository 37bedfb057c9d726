import { TaskforceError } from '../src/errors/taskforce-error.js';

/** `createStrategy` got a name it does not know. Lists the names it knows. */
export class UnknownStrategyError extends TaskforceError {
  readonly strategy: string;
  constructor(strategy: string, known: readonly string[]) {
    super('UNKNOWN_STRATEGY', `unknown strategy "${strategy}"; known strategies: ${known.join(', ')}`);
    this.strategy = strategy;
  }
}

/** A strategy option is out of range or of the wrong kind (names the strategy and the option). */
export class StrategyOptionError extends TaskforceError {
  readonly strategy: string;
  readonly option: string;
  constructor(strategy: string, option: string, problem: string) {
    super('STRATEGY_OPTION_INVALID', `strategy "${strategy}": option "${option}" ${problem}`);
    this.strategy = strategy;
    this.option = option;
  }
}

/** A strategy was asked to coordinate a task but had no agent to give it to. */
export class NoCandidatesError extends TaskforceError {
  readonly taskId: string;
  constructor(strategy: string, taskId: string, detail = 'no capable agent was matched') {
    super('NO_CANDIDATES', `strategy "${strategy}" cannot coordinate task "${taskId}": ${detail}`);
    this.taskId = taskId;
  }
}

/** A sealed-bid auction had no bid whose ask is at or under the reserve price, and `onNoSale` is `'fail'`. */
export class AuctionNoSaleError extends TaskforceError {
  readonly taskId: string;
  readonly reserve: number;
  /** The lowest ask received (cost / confidence under performance pay, cost under fixed pay), if any bid was valid. */
  readonly lowestBid: number | undefined;
  constructor(taskId: string, reserve: number, lowestBid: number | undefined) {
    super(
      'AUCTION_NO_SALE',
      `auction for task "${taskId}": no bid at or under the reserve price ${reserve}` +
        (lowestBid === undefined ? ' (no valid bids)' : ` (lowest ask ${round(lowestBid)})`) +
        `; raise "reserve" or set onNoSale: 'best-match'`,
    );
    this.taskId = taskId;
    this.reserve = reserve;
    this.lowestBid = lowestBid;
  }
}

/**
 * A value a strategy was handed at run time is out of range: an offer from a bidder, a grade from an
 * `assess` function, or an outcome reported with `recordOutcome`. The message names who gave it (the
 * agent), for which task, the value and the range it must be in.
 */
export class StrategyValueError extends TaskforceError {
  readonly agent: string;
  readonly taskId: string;
  constructor(args: { agent: string; taskId: string; message: string }) {
    super('STRATEGY_VALUE_INVALID', args.message);
    this.agent = args.agent;
    this.taskId = args.taskId;
  }
}

/** Data read from the runtime store under a strategy key is not in the expected shape. */
export class StoreDataError extends TaskforceError {
  readonly key: string;
  constructor(key: string, problem: string) {
    super('STORE_DATA_INVALID', `store entry "${key}" is not valid strategy data: ${problem}`);
    this.key = key;
  }
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(4);
}
