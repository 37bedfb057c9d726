import { BudgetExceededError, type BudgetKind } from '../errors/budget-errors.js';
import { ConfigError } from '../errors/taskforce-error.js';
import type { EventBus } from '../events/bus.js';
import type { Clock } from '../util/clock.js';
import { ZERO_USAGE, type Usage } from '../util/usage.js';

/** Limits on what work may spend. Absent = unlimited. */
export interface Budgets {
  /** Input + output + cache tokens over all model calls. */
  readonly maxTokens?: number;
  /** Cost in USD, as priced by the model layer. */
  readonly maxCostUsd?: number;
  /** A deadline, in ms of the runtime clock from when the budget was created: work in flight is aborted when it passes. */
  readonly maxWallTimeMs?: number;
  /** Model calls started; every attempt counts (a retry after a failed call, a structured-output re-ask). */
  readonly maxModelCalls?: number;
}

/** What has been spent so far, per budget (reservations of calls still in flight are not included). */
export interface BudgetUsage {
  readonly tokens: number;
  readonly costUsd: number;
  readonly wallTimeMs: number;
  readonly modelCalls: number;
}

/** The worst case of one model call, reserved before it is made. */
export interface CallEstimate {
  /** Estimated input tokens of the request. */
  readonly inputTokens: number;
  /** The request's own output cap, if it set one: the reservation is refused when it does not fit. */
  readonly maxOutputTokens?: number;
  /** The output cap to reserve when the request set none; lowered to what the budget has left. */
  readonly defaultOutputTokens: number;
  /** USD per million tokens, when the model's price is known (otherwise the call is reserved at $0). */
  readonly price?: { readonly input: number; readonly output: number };
}

/** A reserved call. Settle it exactly once, with what the call reported (zero usage when it reported none). */
export interface Reservation {
  /** The output cap this reservation covers: the request's own, or the default lowered to fit. */
  readonly maxOutputTokens: number;
  settle(usage: Usage, costUsd: number): void;
}

/**
 * A ledger kept outside this process, which every process of a run reserves in: a run's budget or a
 * provider's tokens-per-minute limit shared by workers through Redis (`src/distributed/`). A tracker
 * reserves a call in its external ledgers after its own, and the call is made only when all agree.
 */
export interface ExternalLedger {
  /** Whether it limits tokens or dollars (then every call is estimated and given an output cap). */
  readonly capsSpend: boolean;
  /**
   * Holds `call`'s worst case; waits while holds of calls in flight leave no room. Resolves with the
   * output cap granted (at most `call.outputTokens`); rejects with `BudgetExceededError` when the call
   * cannot fit, or when the ledger was stopped (`AbortedError`), or when `signal` fires.
   */
  reserve(call: ExternalCall, signal?: AbortSignal): Promise<ExternalHold>;
}

/** A call as an external ledger reserves it: its input, the output cap asked for, and its price. */
export interface ExternalCall {
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Set when the request capped its own output: then the cap is not lowered, and a call that cannot fit it is refused. */
  readonly ownCap: boolean;
  readonly price?: { readonly input: number; readonly output: number };
}

/** A call held in an external ledger. Settle it once, with what it spent. */
export interface ExternalHold {
  readonly outputTokens: number;
  settle(tokens: number, costUsd: number): void;
}

/**
 * Counts what work spends and holds it to its limits. Before a model call, `reserve` holds the call's
 * worst case (input tokens plus its output cap, priced) against every token and dollar limit on the
 * path to the root budget, and counts the call; it refuses a call that cannot fit, and waits while the
 * reservations of calls in flight leave no room. `settle` replaces the reservation with the real usage.
 * So tokens and dollars spent never exceed a limit, at any concurrency, as long as providers keep to
 * the output cap they are given and the input estimate is not below their count.
 */
export interface BudgetTracker {
  readonly limits: Budgets;
  /** Whether this budget or a parent limits tokens or dollars (only then are calls estimated and capped). */
  readonly capsSpend: boolean;
  /** Throws BudgetExceededError if any budget is already reached. */
  check(): void;
  /** Reserves one call (see above); rejects with BudgetExceededError, or AbortedError when `signal` fires while waiting. */
  reserve(estimate?: CallEstimate, signal?: AbortSignal): Promise<Reservation>;
  /**
   * `reserve` without waiting: the reservation when the call fits now, `undefined` when it would have
   * to wait (or must ask a ledger elsewhere): then call `reserve`. Throws what `reserve` rejects with.
   * Optional: most calls fit at once, and this spares them a promise.
   */
  tryReserve?(estimate?: CallEstimate): Reservation | undefined;
  usage(): BudgetUsage;
  /**
   * Counts a call already made and charged where it was made (restored from a journal, or made on a
   * worker that reserved it in the run's shared ledger): in this process's ledgers only, never refused.
   */
  charge(usage: Usage, costUsd: number): void;
  /** The first budget that stopped work, if any. */
  readonly exceeded: BudgetExceededError | undefined;
  /**
   * Fires when `maxWallTimeMs` passes (its reason is the BudgetExceededError), or when a parent's does.
   * Never fires without a deadline. Work started under this budget should listen to it.
   */
  readonly signal: AbortSignal;
  /** Stops the deadline timer (of this budget only). Idempotent. */
  dispose(): void;
}

/** Fraction of a budget at which a `budget.warning` event is emitted (once per budget). */
const WARN_AT = 0.8;

/** Checks budget values when they are given: each must be a finite number ≥ 0 (`maxModelCalls`: an integer). */
export function checkBudgets(budgets: unknown, where = 'budgets'): Budgets {
  if (budgets === undefined) return {};
  if (typeof budgets !== 'object' || budgets === null || Array.isArray(budgets))
    throw new ConfigError(`${where} must be an object such as { maxCostUsd: 0.5 }, got ${JSON.stringify(budgets)}`);
  const known = ['maxTokens', 'maxCostUsd', 'maxWallTimeMs', 'maxModelCalls'];
  for (const [key, value] of Object.entries(budgets)) {
    if (!known.includes(key)) throw new ConfigError(`${where}.${key} is not a budget; the budgets are ${known.join(', ')}`);
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      throw new ConfigError(`${where}.${key} must be a finite number ≥ 0, got ${typeof value === 'number' ? String(value) : JSON.stringify(value)}`);
    if ((key === 'maxTokens' || key === 'maxModelCalls') && !Number.isInteger(value))
      throw new ConfigError(`${where}.${key} must be a whole number, got ${value}`);
  }
  return budgets as Budgets;
}

/**
 * A budget tracker for `limits`, measuring wall time on `deps.clock` from now. With `deps.parent`, it
 * is a budget inside another (a run's inside its runtime's): every reservation must fit both, spending
 * counts in both, and the parent's deadline is this one's too. A budget is reached when usage is at or
 * over its limit; from then on `check()` and `reserve()` throw `BudgetExceededError` (code
 * `BUDGET_EXCEEDED`, naming the budget, the usage and the limit). Emits `budget.warning` once per
 * budget at 80% and `budget.exceeded` once, for the first budget reached.
 *
 * @example
 * const budget = createBudgetTracker({ maxCostUsd: 0.5, maxModelCalls: 40 }, { clock: systemClock(), events: bus });
 * const reservation = await budget.reserve({ inputTokens: 1200, defaultOutputTokens: 1024, price: { input: 3, output: 15 } });
 * // … make the call with maxTokens: reservation.maxOutputTokens …
 * reservation.settle(result.usage, result.costUsd);
 */
export function createBudgetTracker(
  limits: Budgets,
  deps: { clock: Clock; events?: EventBus; parent?: BudgetTracker; external?: readonly ExternalLedger[] },
): BudgetTracker {
  checkBudgets(limits);
  const own = createLedger(limits, deps.clock, deps.events);
  const external = deps.external ?? [];
  let externalReached: BudgetExceededError | undefined;
  const parent = deps.parent as TrackerWithLedgers | undefined;
  const ledgers: readonly Ledger[] = [own, ...(parent?.[LEDGERS] ?? [])];

  const deadline = new AbortController();
  const stopTimer = new AbortController();
  const onParentDeadline = () => deadline.abort(parent!.signal.reason);
  if (parent?.signal.aborted) deadline.abort(parent.signal.reason);
  else parent?.signal.addEventListener('abort', onParentDeadline, { once: true });
  if (limits.maxWallTimeMs !== undefined)
    deps.clock.sleep(limits.maxWallTimeMs, stopTimer.signal).then(
      () => {
        try {
          own.check();
        } catch (error) {
          deadline.abort(error);
        }
      },
      () => undefined,
    );

  const tracker: TrackerWithLedgers = {
    [LEDGERS]: ledgers,
    limits,
    capsSpend: ledgers.some((ledger) => ledger.limits.maxTokens !== undefined || ledger.limits.maxCostUsd !== undefined) || external.some((ledger) => ledger.capsSpend),
    check() {
      ledgers.forEach((ledger) => ledger.check());
      if (externalReached) throw externalReached;
    },
    reserve: (estimate, signal) =>
      external.length === 0
        ? reserveIn(ledgers, estimate, signal)
        : reserveWithExternal(ledgers, external, estimate, signal).catch((error: unknown) => {
            // A budget an external ledger reports stops this one too; reached (not just a call too big), it is checked from now on.
            if (error instanceof BudgetExceededError) {
              own.stop(error);
              if (error.needed === undefined) externalReached ??= error;
            }
            throw error;
          }),
    tryReserve(estimate) {
      if (external.length > 0) return undefined;
      const granted = reserveNow(ledgers, estimate);
      return isLedger(granted) ? undefined : granted;
    },
    usage: () => own.usage(),
    charge(usage, costUsd) {
      for (const ledger of ledgers) ledger.modelCalls += 1;
      new LedgerReservation(ledgers, 0, 0, 0).settle(usage, costUsd);
    },
    get exceeded() {
      return ledgers.find((ledger) => ledger.exceeded)?.exceeded;
    },
    signal: deadline.signal,
    dispose() {
      stopTimer.abort();
      parent?.signal.removeEventListener('abort', onParentDeadline);
    },
  };
  return tracker;
}

const LEDGERS = Symbol('ledgers');
type TrackerWithLedgers = BudgetTracker & { readonly [LEDGERS]: readonly Ledger[] };

/** One budget's counts: spent, held by reservations in flight, and who waits for room. */
interface Ledger {
  readonly limits: Budgets;
  tokens: number;
  costUsd: number;
  modelCalls: number;
  heldTokens: number;
  heldCostUsd: number;
  readonly waiters: Set<() => void>;
  readonly exceeded: BudgetExceededError | undefined;
  check(): void;
  fail(kind: BudgetKind, used: number, limit: number): never;
  /** The error for a call refused before it was made (the budget stops, like a reached one). */
  refusal(kind: BudgetKind, used: number, limit: number, needed: number): BudgetExceededError;
  /** Stops this budget with an error found elsewhere (an external ledger's), unless it stopped already. */
  stop(error: BudgetExceededError): void;
  warn(): void;
  usage(): BudgetUsage;
}

/** The budgets in the order they are checked, and each one's limit in `Budgets`. */
const BUDGET_KINDS: readonly BudgetKind[] = ['tokens', 'costUsd', 'wallTimeMs', 'modelCalls'];
const LIMIT_KEY = { tokens: 'maxTokens', costUsd: 'maxCostUsd', wallTimeMs: 'maxWallTimeMs', modelCalls: 'maxModelCalls' } as const satisfies Record<BudgetKind, keyof Budgets>;

function createLedger(limits: Budgets, clock: Clock, events: EventBus | undefined): Ledger {
  const startedAt = clock.now();
  const warned = new Set<BudgetKind>();
  // Only the budgets that are set are checked, on every call: a runtime without limits checks nothing.
  const limited = BUDGET_KINDS.filter((kind) => limits[LIMIT_KEY[kind]] !== undefined);
  const usedOf = (kind: BudgetKind): number =>
    kind === 'tokens' ? ledger.tokens : kind === 'costUsd' ? ledger.costUsd : kind === 'modelCalls' ? ledger.modelCalls : clock.now() - startedAt;
  let exceeded: BudgetExceededError | undefined;
  const stopWith = (error: BudgetExceededError): BudgetExceededError => {
    if (!exceeded) {
      exceeded = error;
      events?.emit({ type: 'budget.exceeded', budget: error.budget, used: error.used, limit: error.limit });
    }
    return error;
  };
  const ledger: Ledger = {
    limits,
    tokens: 0,
    costUsd: 0,
    modelCalls: 0,
    heldTokens: 0,
    heldCostUsd: 0,
    waiters: new Set(),
    get exceeded() {
      return exceeded;
    },
    usage: () => ({ tokens: ledger.tokens, costUsd: ledger.costUsd, wallTimeMs: clock.now() - startedAt, modelCalls: ledger.modelCalls }),
    fail(kind, used, limit) {
      throw stopWith(new BudgetExceededError(kind, used, limit));
    },
    refusal: (kind, used, limit, needed) => stopWith(new BudgetExceededError(kind, used, limit, needed)),
    stop: (error) => void stopWith(error),
    check() {
      for (const kind of limited) {
        const used = usedOf(kind);
        const limit = limits[LIMIT_KEY[kind]]!;
        if (used >= limit) ledger.fail(kind, used, limit);
      }
    },
    warn() {
      for (const kind of limited) {
        if (warned.has(kind)) continue;
        const used = usedOf(kind);
        const limit = limits[LIMIT_KEY[kind]]!;
        if (used < limit * WARN_AT) continue;
        warned.add(kind);
        events?.emit({ type: 'budget.warning', budget: kind, used, limit, fraction: used / limit });
      }
    },
  };
  return ledger;
}

/** USD of `tokens` at `perMillion` dollars per million tokens. */
const usd = (tokens: number, perMillion: number | undefined) => (tokens * (perMillion ?? 0)) / 1_000_000;

/**
 * The most output tokens a call with `estimate.inputTokens` can afford in `ledger` after what was
 * spent, and which budget sets that room (Infinity when neither tokens nor dollars are limited).
 * Reservations in flight are not subtracted: they may settle lower, so a call that fits the spent
 * budget waits for them rather than failing.
 */
function outputRoom(ledger: Ledger, estimate: CallEstimate): { readonly room: number; readonly kind?: 'tokens' | 'costUsd' } {
  let room = Infinity;
  let kind: 'tokens' | 'costUsd' | undefined;
  if (ledger.limits.maxTokens !== undefined) {
    room = ledger.limits.maxTokens - ledger.tokens - estimate.inputTokens;
    kind = 'tokens';
  }
  if (ledger.limits.maxCostUsd !== undefined && estimate.price) {
    const left = ledger.limits.maxCostUsd - ledger.costUsd - usd(estimate.inputTokens, estimate.price.input);
    const byCost = estimate.price.output > 0 ? (left * 1_000_000) / estimate.price.output : left >= 0 ? Infinity : -1;
    if (byCost < room) {
      room = byCost;
      kind = 'costUsd';
    }
  }
  return kind ? { room: Math.floor(room), kind } : { room: Math.floor(room) };
}

/** Whether the worst case fits next to the reservations already held. */
function fitsBesideHeld(ledger: Ledger, tokens: number, costUsd: number): boolean {
  if (ledger.limits.maxTokens !== undefined && ledger.tokens + ledger.heldTokens + tokens > ledger.limits.maxTokens) return false;
  if (ledger.limits.maxCostUsd !== undefined && ledger.costUsd + ledger.heldCostUsd + costUsd > ledger.limits.maxCostUsd + 1e-12) return false;
  return true;
}

async function reserveIn(ledgers: readonly Ledger[], estimate: CallEstimate | undefined, signal: AbortSignal | undefined): Promise<Reservation> {
  for (;;) {
    const granted = reserveNow(ledgers, estimate);
    if (!isLedger(granted)) return granted;
    await roomIn(granted, signal);
  }
}

/**
 * The reservation when the call fits now, else the ledger whose reservations in flight leave no room
 * (wait for it, then try again). Throws `BudgetExceededError` for a call refused outright.
 */
function reserveNow(ledgers: readonly Ledger[], estimate: CallEstimate | undefined): Reservation | Ledger {
  const input = estimate?.inputTokens ?? 0;
  // Any budget already reached (model calls included) refuses the call.
  for (const ledger of ledgers) ledger.check();
  let output = estimate?.maxOutputTokens ?? estimate?.defaultOutputTokens ?? 0;
  if (estimate) {
    for (const ledger of ledgers) {
      const { room, kind } = outputRoom(ledger, estimate);
      // Refused: the call cannot fit even when every reservation in flight settles at zero.
      if (kind && (room < 1 || (estimate.maxOutputTokens !== undefined && room < estimate.maxOutputTokens))) refuse(ledger, kind, estimate);
      output = Math.min(output, room);
    }
  }
  const tokens = input + output;
  const costUsd = estimate?.price ? usd(input, estimate.price.input) + usd(output, estimate.price.output) : 0;
  for (const ledger of ledgers) if (!fitsBesideHeld(ledger, tokens, costUsd)) return ledger;
  for (const ledger of ledgers) {
    ledger.modelCalls += 1;
    ledger.heldTokens += tokens;
    ledger.heldCostUsd += costUsd;
    ledger.warn();
  }
  return new LedgerReservation(ledgers, tokens, costUsd, output);
}

function isLedger(value: Reservation | Ledger): value is Ledger {
  return !(value instanceof LedgerReservation);
}

/**
 * Reserves in this process's ledgers, then in each external one in turn: the call goes ahead with the
 * smallest output cap any of them granted. A refusal anywhere releases what was held before it.
 */
async function reserveWithExternal(
  ledgers: readonly Ledger[],
  external: readonly ExternalLedger[],
  estimate: CallEstimate | undefined,
  signal: AbortSignal | undefined,
): Promise<Reservation> {
  const local = await reserveIn(ledgers, estimate, signal);
  const holds: ExternalHold[] = [];
  let output = local.maxOutputTokens;
  try {
    for (const ledger of external) {
      const hold = await ledger.reserve(
        { inputTokens: estimate?.inputTokens ?? 0, outputTokens: output, ownCap: estimate?.maxOutputTokens !== undefined, ...(estimate?.price ? { price: estimate.price } : {}) },
        signal,
      );
      holds.push(hold);
      output = Math.min(output, hold.outputTokens);
    }
  } catch (error) {
    for (const hold of holds) hold.settle(0, 0);
    // Not a call: it was never made.
    for (const ledger of ledgers) ledger.modelCalls -= 1;
    local.settle(ZERO_USAGE, 0);
    throw error;
  }
  return {
    maxOutputTokens: output,
    settle(usage, costUsd) {
      local.settle(usage, costUsd);
      const spent = tokensOf(usage);
      for (const hold of holds) hold.settle(spent, costUsd);
    },
  };
}

/** Every token a call was billed for: input, output and cache. */
function tokensOf(usage: Usage): number {
  return usage.inputTokens + usage.outputTokens + (usage.cacheReadTokens ?? 0) + (usage.cacheWriteTokens ?? 0);
}

/**
 * Refuses a call whose worst case cannot fit in `ledger`, naming the budget and what the call needs at
 * the least: its input and its own output cap, or a single output token when it set none.
 */
function refuse(ledger: Ledger, kind: 'tokens' | 'costUsd', estimate: CallEstimate): never {
  const output = Math.max(1, estimate.maxOutputTokens ?? 1);
  if (kind === 'tokens') throw ledger.refusal('tokens', ledger.tokens, ledger.limits.maxTokens!, estimate.inputTokens + output);
  const price = estimate.price!;
  throw ledger.refusal('costUsd', ledger.costUsd, ledger.limits.maxCostUsd!, usd(estimate.inputTokens, price.input) + usd(output, price.output));
}

/** Resolves when a reservation in `ledger` settles (then the caller tries again); rejects when `signal` fires. */
function roomIn(ledger: Ledger, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const wake = () => {
      ledger.waiters.delete(wake);
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const onAbort = () => {
      ledger.waiters.delete(wake);
      reject(signal!.reason);
    };
    ledger.waiters.add(wake);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A call held in this process's ledgers until it settles, once. A class: every model call makes one. */
class LedgerReservation implements Reservation {
  private settled = false;

  constructor(
    private readonly ledgers: readonly Ledger[],
    private readonly tokens: number,
    private readonly costUsd: number,
    readonly maxOutputTokens: number,
  ) {}

  settle(usage: Usage, cost: number): void {
    if (this.settled) return;
    this.settled = true;
    const spent = tokensOf(usage);
    for (const ledger of this.ledgers) {
      ledger.heldTokens -= this.tokens;
      ledger.heldCostUsd -= this.costUsd;
      ledger.tokens += spent;
      ledger.costUsd += cost;
      ledger.warn();
      if (ledger.waiters.size > 0) for (const wake of [...ledger.waiters]) wake();
    }
  }
}
