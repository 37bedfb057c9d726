/**
 * Seeded scenarios for the coordination strategies, over their exported pure rules: the benchmark
 * (`bench/strategies.ts`) runs them over 500 seeds, the tests in `test/strategies/` over a few.
 * Every scenario takes its seed and returns plain figures; nothing here is timed.
 */
import { defineAgent } from '../src/agents/define.js';
import { TaskSpec } from '../src/plan/types.js';
import { seededRandom, type Random } from '../src/util/random.js';
import { clearAuction, reputationWeight, settlePayment, type PaymentRule } from '../strategies/clearing.js';
import { expertiseWeight } from '../strategies/consensus.js';
import { balance, type WorkItem } from '../strategies/hierarchy-rules.js';
import { draw, pickProbabilities, seed as seedTrails, updateTrails, type Trails } from '../strategies/pheromone.js';
import { NO_RECORD, withOutcome, type OutcomeRecord } from '../strategies/reputation.js';
import { STIGMERGY_DEFAULTS } from '../strategies/stigmergy.js';
import { DEFAULT_QUORUM, tally } from '../strategies/tally.js';

/** Seeds 1..n. */
export const seedRange = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

// ---------------------------------------------------------------------------------------------------
// Consensus

/** The panel of the issue: five independent voters of these accuracies. */
export const PANEL = [0.85, 0.8, 0.65, 0.6, 0.6] as const;
const VOTERS = PANEL.map((_, i) => defineAgent({ name: `voter${i + 1}`, description: 'votes', systemPrompt: 'Vote.', capabilities: ['judgement'] }));
const TASK: TaskSpec = TaskSpec.parse({ id: 'question', title: 'Question', instructions: 'Answer it.', capabilities: ['judgement'] });

/** How the weights learn over the rounds. */
export type ConsensusLearning =
  /** Nothing that says who was right comes back (the default `assess: 'external'` with no `recordOutcome`). */
  | 'none'
  /** After each round the truth is reported for every voter (`recordOutcome`, as a check or an eval would). */
  | 'outcomes'
  /** The old default (`assess: 'agreement'`): voters who agreed with a reached quorum score a success. */
  | 'agreement';

export interface ConsensusRun {
  /** Probability the rule is right with the weights held after the last round, exact over every answer pattern. */
  readonly exact: number;
  /** Share of the rounds the rule got right as played (weights learning as it went). */
  readonly played: number;
}

/** A pattern of answers: option 0 is right, 1..choices-1 wrong. */
type Pattern = readonly number[];

/**
 * The consensus rule on one pattern: `tally` at the default quorum, else the weighted plurality,
 * a dead heat split evenly (as the strategy's random draw would). Returns the probability it is right.
 */
function ruleIsRight(pattern: Pattern, weights: readonly number[]): number {
  const result = tally(
    pattern.map((option, i) => ({ agent: `voter${i + 1}`, option: String(option), weight: weights[i]! })),
    { quorum: DEFAULT_QUORUM },
  );
  if (result.winner !== undefined) return result.winner === '0' ? 1 : 0;
  const leader = result.options[0]!;
  const tie = result.options.filter((o) => o.weight === leader.weight && o.voters.length === leader.voters.length);
  return tie.some((o) => o.option === '0') ? 1 / tie.length : 0;
}

/** Every pattern of `n` voters over `choices` options with its probability (errors spread evenly). */
function patterns(accuracies: readonly number[], choices: number): { pattern: Pattern; probability: number }[] {
  const out: { pattern: Pattern; probability: number }[] = [];
  const total = choices ** accuracies.length;
  for (let code = 0; code < total; code++) {
    let rest = code;
    let probability = 1;
    const pattern: number[] = [];
    for (const p of accuracies) {
      const option = rest % choices;
      rest = Math.floor(rest / choices);
      probability *= option === 0 ? p : (1 - p) / (choices - 1);
      pattern.push(option);
    }
    out.push({ pattern, probability });
  }
  return out;
}

const patternCache = new Map<number, { pattern: Pattern; probability: number }[]>();
const panelPatterns = (choices: number) => patternCache.get(choices) ?? (patternCache.set(choices, patterns(PANEL, choices)), patternCache.get(choices)!);

/**
 * Exact accuracy of the consensus rule when each voter weighs `weightsFor(pattern)` (the weights may
 * depend on the pattern: with the default `choices`, on how many distinct answers it holds).
 */
export function consensusExactAccuracy(choices: number, weightsFor: (pattern: Pattern) => readonly number[]): number {
  return panelPatterns(choices).reduce((sum, { pattern, probability }) => sum + probability * ruleIsRight(pattern, weightsFor(pattern)), 0);
}

/** The strategy's weights for these records: `expertiseWeight` under `'reputation'`, as `consensus()` computes them. */
export function panelWeights(records: readonly OutcomeRecord[], choices: number): number[] {
  return records.map((record, i) => expertiseWeight(VOTERS[i]!, TASK, record, 'reputation', choices));
}

/** How many answers the weights assume: `fixed`, or (the default) the distinct answers given, at least 2. */
const choicesFor = (pattern: Pattern, fixed: number | undefined) => fixed ?? Math.max(2, new Set(pattern).size);

/**
 * One seed of the panel: `rounds` questions with `choices` possible answers, the weights learning as
 * `learning` says. `declaredChoices` is the strategy's `choices` option (undefined: the default).
 */
export function consensusPanel(seedValue: number, options: { rounds: number; choices: number; learning: ConsensusLearning; declaredChoices?: number }): ConsensusRun {
  const random = seededRandom(seedValue);
  let records: OutcomeRecord[] = PANEL.map(() => NO_RECORD);
  let right = 0;
  for (let round = 0; round < options.rounds; round++) {
    const pattern = PANEL.map((p) => (random.next() < p ? 0 : 1 + Math.floor(random.next() * (options.choices - 1))));
    const weights = panelWeights(records, choicesFor(pattern, options.declaredChoices));
    const result = tally(
      pattern.map((option, i) => ({ agent: `voter${i + 1}`, option: String(option), weight: weights[i]! })),
      { quorum: DEFAULT_QUORUM },
    );
    const leader = result.options[0]!;
    const tie = result.winner !== undefined ? [] : result.options.filter((o) => o.weight === leader.weight && o.voters.length === leader.voters.length);
    const chosen = result.winner ?? (tie.length > 1 ? tie[Math.floor(random.next() * tie.length)]!.option : leader.option);
    if (chosen === '0') right++;
    if (options.learning === 'outcomes') records = records.map((r, i) => withOutcome(r, pattern[i] === 0));
    else if (options.learning === 'agreement' && result.reached) records = records.map((r, i) => withOutcome(r, String(pattern[i]) === result.winner));
  }
  const exact = consensusExactAccuracy(options.choices, (pattern) => panelWeights(records, choicesFor(pattern, options.declaredChoices)));
  return { exact, played: right / options.rounds };
}

// ---------------------------------------------------------------------------------------------------
// Stigmergy

/** Agents of known success rates; the best is listed last so that no tie-break can favour it. */
export const COLONY = [
  { name: 'weak', rate: 0.5 },
  { name: 'fair', rate: 0.7 },
  { name: 'best', rate: 0.9 },
] as const;
const KIND = 'code';

/** A way of routing tasks to agents and learning from their outcomes. */
export interface Router {
  pick(random: Random): string;
  /** Probability of each agent being picked next. */
  probabilities(): Record<string, number>;
  learn(agent: string, success: boolean): void;
}

/** `stigmergy()`'s rules with its defaults: Thompson picks over success and failure trails. */
export function stigmergyRouter(agents: readonly string[] = COLONY.map((a) => a.name)): Router {
  const d = STIGMERGY_DEFAULTS;
  let trails: Trails = seedTrails({}, KIND, agents);
  const candidates = agents.map((agent) => ({ agent, match: 1 }));
  const params = { alpha: d.alpha, beta: d.beta, prior: d.prior, exploration: d.exploration };
  return {
    pick: (random) => draw(trails, KIND, candidates, random, params),
    probabilities: () => pickProbabilities(trails, KIND, candidates, params),
    learn(agent, success) {
      trails = updateTrails(trails, KIND, agent, success ? 1 : 0, { evaporation: d.evaporation, reinforcement: d.reinforcement });
    },
  };
}

/**
 * The classic Ant System (Dorigo et al. 1996), one pheromone level per agent: every trail of the kind
 * evaporates by 0.1 after each task, the agent that did it deposits 2 on a success, picks ∝ τ.
 * `maxMin` adds what `stigmergy()` did before success and failure trails: τ within [1, 20], starting at
 * 20, 5 % uniform picks. Baselines, not used by the strategy.
 */
export function antSystemRouter(maxMin: boolean, agents: readonly string[] = COLONY.map((a) => a.name)): Router {
  const tau = new Map(agents.map((a) => [a, maxMin ? 20 : 1]));
  const epsilon = maxMin ? 0.05 : 0;
  const probabilities = () => {
    const sum = [...tau.values()].reduce((s, t) => s + t, 0);
    return Object.fromEntries(agents.map((a) => [a, (1 - epsilon) * (sum > 0 ? tau.get(a)! / sum : 1 / agents.length) + epsilon / agents.length]));
  };
  return {
    probabilities,
    pick(random) {
      const p = probabilities();
      let u = random.next();
      for (const a of agents) if ((u -= p[a]!) < 0) return a;
      return agents.at(-1)!;
    },
    learn(agent, success) {
      for (const [a, t] of tau) tau.set(a, maxMin ? Math.max(1, 0.9 * t) : 0.9 * t);
      if (success) tau.set(agent, maxMin ? Math.min(20, tau.get(agent)! + 2) : tau.get(agent)! + 2);
    },
  };
}

/** Picks uniformly at random: the floor any router must beat. */
export function uniformRouter(agents: readonly string[] = COLONY.map((a) => a.name)): Router {
  return {
    pick: (random) => agents[Math.min(agents.length - 1, Math.floor(random.next() * agents.length))]!,
    probabilities: () => Object.fromEntries(agents.map((a) => [a, 1 / agents.length])),
    learn() {},
  };
}

export interface ColonyRun {
  /** Share of tasks 201–300 that went to the best agent. */
  readonly bestShareLast100: number;
  /** Whether, after task 300, the best agent had a pick probability above one half (the colony had found it). */
  readonly settled: boolean;
  /**
   * When the colony had settled on the best agent: tasks after it degrades (0.9 → 0.3 at task 300)
   * until the new best (0.7) has a pick probability above one half; `limit` (200) when that never
   * happens. Undefined when the colony had not settled on the best agent (nothing to shift from).
   */
  readonly shift: number | undefined;
}

/** One seed of the colony: 300 tasks of one kind, then the best agent degrades. */
export function colonyRun(seedValue: number, makeRouter: () => Router, options: { shift?: boolean; limit?: number } = {}): ColonyRun {
  const random = seededRandom(seedValue);
  const router = makeRouter();
  const rates = new Map<string, number>(COLONY.map((a) => [a.name, a.rate]));
  let best = 0;
  for (let t = 0; t < 300; t++) {
    const agent = router.pick(random);
    if (t >= 200 && agent === 'best') best++;
    router.learn(agent, random.next() < rates.get(agent)!);
  }
  const limit = options.limit ?? 200;
  const settled = router.probabilities().best! > 0.5;
  let shift: number | undefined = settled ? limit : undefined;
  if (options.shift !== false && settled) {
    rates.set('best', 0.3);
    for (let t = 0; t < limit; t++) {
      if (router.probabilities().fair! > 0.5) {
        shift = t;
        break;
      }
      const agent = router.pick(random);
      router.learn(agent, random.next() < rates.get(agent)!);
    }
  }
  return { bestShareLast100: best / 100, settled, shift };
}

/**
 * Two kinds of work, interleaved, where each agent is best at one: coder (code 0.9, writing 0.5),
 * writer (code 0.5, writing 0.85), generalist (0.7 at both). Returns the share of the last 100 tasks
 * of each kind that went to its specialist.
 */
export function twoKindsRun(seedValue: number): { code: number; writing: number } {
  const random = seededRandom(seedValue);
  const rates: Record<string, Record<string, number>> = {
    code: { coder: 0.9, writer: 0.5, generalist: 0.7 },
    writing: { coder: 0.5, writer: 0.85, generalist: 0.7 },
  };
  const specialist: Record<string, string> = { code: 'coder', writing: 'writer' };
  const d = STIGMERGY_DEFAULTS;
  const candidates = ['coder', 'writer', 'generalist'].map((agent) => ({ agent, match: 1 }));
  let trails: Trails = {};
  const hits: Record<string, number> = { code: 0, writing: 0 };
  for (let t = 0; t < 600; t++) {
    const kind = t % 2 === 0 ? 'code' : 'writing';
    const agent = draw(trails, kind, candidates, random, { alpha: d.alpha, beta: d.beta, prior: d.prior });
    if (t >= 400 && agent === specialist[kind]) hits[kind]! += 1;
    trails = updateTrails(trails, kind, agent, random.next() < rates[kind]![agent]! ? 1 : 0, { evaporation: d.evaporation, reinforcement: d.reinforcement });
  }
  return { code: hits.code! / 100, writing: hits.writing! / 100 };
}

// ---------------------------------------------------------------------------------------------------
// Auction

/** The cheaper an agent asks, the worse it does. */
export const MARKET = [
  { name: 'cheap', rate: 0.3, cost: 0.8 },
  { name: 'fair', rate: 0.6, cost: 0.9 },
  { name: 'best', rate: 0.9, cost: 1.0 },
] as const;

export interface MarketRun {
  /** Share of the last 100 tasks done successfully. */
  readonly successLast100: number;
  /** Share of the last 100 tasks that went to the best agent. */
  readonly bestShareLast100: number;
  /** What the buyer paid over all tasks, per successful task. */
  readonly costPerSuccess: number;
}

/**
 * One seed of 300 tasks. `'auction'`: `clearAuction` with reputation weights (exploration 0.5, the
 * default) and performance pay; `confidence: 'true'` when each bidder states its real odds, `'none'`
 * when every bidder says 1 (only reputation can tell them apart). `'lowest-bid'`: the baseline, the
 * lowest ask takes the task and is paid its ask.
 */
export function marketRun(seedValue: number, mechanism: 'auction' | 'lowest-bid', confidence: 'true' | 'none' = 'true'): MarketRun {
  const random = seededRandom(seedValue);
  const records = new Map<string, OutcomeRecord>(MARKET.map((a) => [a.name, NO_RECORD]));
  let paid = 0;
  let successes = 0;
  let lastSuccess = 0;
  let lastBest = 0;
  for (let t = 0; t < 300; t++) {
    // Asks vary ±10% from task to task, as estimates do.
    const asks = MARKET.map((a) => ({ agent: a.name, cost: a.cost * (0.9 + 0.2 * random.next()), confidence: confidence === 'true' ? a.rate : 1 }));
    let winner: string;
    let price: number;
    if (mechanism === 'lowest-bid') {
      const lowest = asks.reduce((a, b) => (b.cost < a.cost ? b : a));
      winner = lowest.agent;
      price = lowest.cost;
    } else {
      const total = [...records.values()].reduce((n, r) => n + r.successes + r.failures, 0);
      const clearing = clearAuction(
        asks.map((a) => ({ ...a, weight: reputationWeight(records.get(a.agent)!, total, 0.5) })),
        { payment: 'performance' },
      );
      winner = clearing.winner!;
      price = clearing.price!;
    }
    const success = random.next() < MARKET.find((a) => a.name === winner)!.rate;
    paid += mechanism === 'lowest-bid' ? price : settlePayment(price, success ? 1 : 0, 'performance');
    if (success) successes++;
    if (t >= 200) {
      if (success) lastSuccess++;
      if (winner === 'best') lastBest++;
    }
    records.set(winner, withOutcome(records.get(winner)!, success));
  }
  return { successLast100: lastSuccess / 100, bestShareLast100: lastBest / 100, costPerSuccess: successes > 0 ? paid / successes : Number.POSITIVE_INFINITY };
}

/** A bidder's true cost and odds, the others' bids, the reserve and the payment rule. */
export interface BidderInstance {
  readonly cost: number;
  readonly rate: number;
  readonly weight: number;
  readonly others: readonly { readonly agent: string; readonly cost: number; readonly confidence: number; readonly weight: number }[];
  readonly reserve: number | undefined;
  readonly payment: PaymentRule;
}

/**
 * A bidder's expected profit from bidding (`ask`, `confidence`) in `clearAuction`: the expected
 * payment (`price × rate` under performance pay, whose quality is 1 with probability `rate`; the price
 * under fixed pay) less its true cost, when it wins; 0 when it loses.
 */
export function expectedProfit(instance: BidderInstance, ask: number, confidence: number): number {
  const clearing = clearAuction([{ agent: 'me', cost: ask, confidence, weight: instance.weight }, ...instance.others], {
    ...(instance.reserve === undefined ? {} : { reserve: instance.reserve }),
    payment: instance.payment,
  });
  if (clearing.winner !== 'me') return 0;
  const expectedPaid = instance.rate * settlePayment(clearing.price!, 1, instance.payment) + (1 - instance.rate) * settlePayment(clearing.price!, 0, instance.payment);
  return expectedPaid - instance.cost;
}

/**
 * The rule on main before this change, for comparison: effective bid cost / (weight × confidence),
 * price = threshold × weight × confidence, the reserve compared with effective bids, paid price ×
 * quality (performance) or price (fixed).
 */
export function expectedProfitBefore(instance: BidderInstance, ask: number, confidence: number): number {
  const bids = [{ agent: 'me', cost: ask, confidence, weight: instance.weight }, ...instance.others].map((b, index) => ({
    ...b,
    index,
    effective: b.cost / (b.weight * b.confidence),
  }));
  bids.sort((a, b) => a.effective - b.effective || b.weight - a.weight || b.confidence - a.confidence || a.index - b.index);
  const reserve = instance.reserve ?? Number.POSITIVE_INFINITY;
  const first = bids[0]!;
  if (first.agent !== 'me' || first.effective > reserve) return 0;
  const second = bids[1];
  const threshold = second !== undefined ? Math.min(second.effective, reserve) : Number.isFinite(reserve) ? reserve : first.effective;
  const price = second === undefined && !Number.isFinite(reserve) ? first.cost : threshold * first.weight * first.confidence;
  return (instance.payment === 'performance' ? price * instance.rate : price) - instance.cost;
}

/** A random bidder instance: 1–4 rivals, weights (reputation) or all 1, a reserve half of the time. */
export function randomBidder(random: Random, options: { payment: PaymentRule; reputation: boolean }): BidderInstance {
  const weight = () => (options.reputation ? 0.2 + 1.3 * random.next() : 1);
  const rivals = 1 + Math.floor(random.next() * 4);
  return {
    cost: 0.5 + 4.5 * random.next(),
    rate: 0.1 + 0.9 * random.next(),
    weight: weight(),
    others: Array.from({ length: rivals }, (_, i) => ({ agent: `rival${i}`, cost: 0.5 + 4.5 * random.next(), confidence: 0.1 + 0.9 * random.next(), weight: weight() })),
    reserve: random.next() < 0.5 ? 1 + 9 * random.next() : undefined,
    payment: options.payment,
  };
}

/** Deviations searched from the truthful bid: asks around the true cost (and cost / rate), and confidences. */
export function deviations(instance: BidderInstance): { ask: number; confidence: number }[] {
  const asks = [0.5, 0.8, 0.95, 1, 1.05, 1.25, 2].flatMap((f) => [instance.cost * f, (instance.cost / instance.rate) * f]);
  const confidences = [instance.rate, 1, Math.min(1, instance.rate * 1.5), instance.rate * 0.5, 0.01];
  return asks.flatMap((ask) => confidences.map((confidence) => ({ ask, confidence })));
}

/** Whether some deviation earns more than bidding (true cost, true confidence) under `profit`. */
export function gainsByDeviating(instance: BidderInstance, profit: typeof expectedProfit): boolean {
  const truthful = profit(instance, instance.cost, instance.rate);
  return deviations(instance).some((d) => profit(instance, d.ask, d.confidence) > truthful + 1e-9 * (1 + Math.abs(truthful)));
}

// ---------------------------------------------------------------------------------------------------
// Hierarchical

export interface SplitRun {
  /** Makespan (the most effort any worker carries) over the lower bound max(total / workers, largest item). */
  readonly lpt: number;
  readonly roundRobin: number;
}

/**
 * One seed: a leader's split into 6–16 subtasks of random effort (1–10, skewed toward small), spread
 * over 4 equally capable workers by `balance` (LPT) and by round-robin in the order the leader listed them.
 */
export function splitRun(seedValue: number): SplitRun {
  const random = seededRandom(seedValue);
  const workers = ['w1', 'w2', 'w3', 'w4'].map((name) => ({ name, capabilities: ['work'] }));
  const count = 6 + Math.floor(random.next() * 11);
  const items: WorkItem[] = Array.from({ length: count }, (_, i) => ({ id: `s${i}`, effort: 1 + Math.floor(10 * random.next() ** 2), capabilities: ['work'] }));
  const total = items.reduce((s, i) => s + i.effort, 0);
  const bound = Math.max(total / workers.length, ...items.map((i) => i.effort));
  const lpt = Math.max(...Object.values(balance(items, workers).loads));
  const rr = new Array<number>(workers.length).fill(0);
  items.forEach((item, i) => (rr[i % workers.length]! += item.effort));
  return { lpt: lpt / bound, roundRobin: Math.max(...rr) / bound };
}
