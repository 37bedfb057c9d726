import type { Random } from '../src/util/random.js';

/**
 * What the colony has laid for one agent on one kind of work: pheromone laid by its successes and by
 * its failures (a repellent, as the "no entry" pheromone of Pharaoh's ants). Both evaporate as newer
 * outcomes are laid, so a trail says what the agent did lately, and it can fall as well as rise.
 */
export interface Trail {
  readonly success: number;
  readonly failure: number;
}

/** Trails per kind of work, per agent: `trails[kind][agent]`. Plain data; never mutated here. */
export type Trails = Readonly<Record<string, Readonly<Record<string, Trail>>>>;

/** An agent with no trail on a kind. */
export const NO_TRAIL: Trail = Object.freeze({ success: 0, failure: 0 });

/**
 * The belief about an agent new to a kind, as pseudo-pheromone added to every trail when picking:
 * the default { success: 1, failure: 1 } is a coin flip, held lightly (the Laplace prior).
 */
export const DEFAULT_TRAIL_PRIOR: Trail = Object.freeze({ success: 1, failure: 1 });

/** An agent that may take the work, with how well its capabilities match it (0..1). */
export interface ChoiceCandidate {
  readonly agent: string;
  readonly match: number;
}

export interface ChooseParams {
  /** Weight of the trail: the pick compares θ^alpha × match^beta. Must be > 0. Default 1. */
  readonly alpha?: number;
  /** Weight of the capability match. Default 2. */
  readonly beta?: number;
  /** Pseudo-pheromone added to every trail (the belief about an agent with none). Default { success: 1, failure: 1 }. */
  readonly prior?: Trail;
  /** Share of choices made uniformly at random, whatever the trails say (0..1). Default 0. */
  readonly exploration?: number;
  /** Floor on the capability match, so a zero match is unlikely rather than impossible. Default 0.05. */
  readonly minMatch?: number;
}

export interface Choice {
  readonly agent: string;
  /** Probability each candidate had of being picked (that its draw was the highest, mixed with the exploration share). */
  readonly probabilities: Readonly<Record<string, number>>;
  /** Each candidate's trail at the time of choice. */
  readonly pheromone: Readonly<Record<string, Trail>>;
  /** Each candidate's believed success rate: (success + prior) / (success + failure + prior), the mean of its draw. */
  readonly belief: Readonly<Record<string, number>>;
}

interface Resolved {
  readonly alpha: number;
  readonly beta: number;
  readonly prior: Trail;
  readonly epsilon: number;
  readonly minMatch: number;
}

function resolve(kind: string, candidates: readonly ChoiceCandidate[], params: ChooseParams): Resolved {
  if (candidates.length === 0) throw new RangeError(`choose: no candidates for work of kind "${kind}"`);
  const alpha = params.alpha ?? 1;
  const beta = params.beta ?? 2;
  const prior = params.prior ?? DEFAULT_TRAIL_PRIOR;
  const epsilon = params.exploration ?? 0;
  const minMatch = params.minMatch ?? 0.05;
  if (!(Number.isFinite(alpha) && alpha > 0)) throw new RangeError(`choose: alpha must be a finite number > 0, got ${alpha}`);
  if (!(Number.isFinite(beta) && beta >= 0)) throw new RangeError(`choose: beta must be a finite number >= 0, got ${beta}`);
  if (!(epsilon >= 0 && epsilon <= 1)) throw new RangeError(`choose: exploration must be in [0, 1], got ${epsilon}`);
  if (!(Number.isFinite(prior.success) && prior.success > 0 && Number.isFinite(prior.failure) && prior.failure > 0))
    throw new RangeError(`choose: prior must have success > 0 and failure > 0, got { success: ${prior.success}, failure: ${prior.failure} }`);
  if (!(minMatch > 0 && minMatch <= 1)) throw new RangeError(`choose: minMatch must be in (0, 1], got ${minMatch}`);
  return { alpha, beta, prior, epsilon, minMatch };
}

/** The Beta parameters of each candidate's draw, and the weight of its match (match^(beta/alpha), the same order as θ). */
function posteriors(row: Readonly<Record<string, Trail>>, candidates: readonly ChoiceCandidate[], p: Resolved) {
  return candidates.map((c) => {
    const trail = row[c.agent] ?? NO_TRAIL;
    const eta = Math.max(p.minMatch, Math.min(1, c.match));
    return { agent: c.agent, trail, a: p.prior.success + trail.success, b: p.prior.failure + trail.failure, scale: Math.pow(eta, p.beta / p.alpha) };
  });
}

/**
 * Picks an agent for work of `kind` by probability matching (Thompson sampling): each candidate
 * draws a success rate θ from its trail, Beta(prior.success + success, prior.failure + failure), and
 * the highest θ^alpha × match^beta takes the work. So an agent is picked with the probability that
 * it is the best given what the trails say: while trails are thin the picks spread out, and the
 * exploration decays by itself as outcomes accumulate. An `exploration` share of picks is uniform.
 * Pure apart from `rng`; the same seed gives the same picks.
 *
 * @example
 * const trails = { code: { alice: { success: 9, failure: 1 }, bob: { success: 2, failure: 3 } } };
 * choose(trails, 'code', [{ agent: 'alice', match: 1 }, { agent: 'bob', match: 1 }], seededRandom(7)).probabilities;
 * // → { alice: 0.93, bob: 0.07 } (roughly)
 */
export function choose(trails: Trails, kind: string, candidates: readonly ChoiceCandidate[], rng: Random, params: ChooseParams = {}): Choice {
  const picked = draw(trails, kind, candidates, rng, params);
  const probabilities = pickProbabilities(trails, kind, candidates, params);
  const posts = posteriors(trails[kind] ?? {}, candidates, resolve(kind, candidates, params));
  return {
    agent: picked,
    probabilities,
    pheromone: Object.fromEntries(posts.map((p) => [p.agent, p.trail])),
    belief: Object.fromEntries(posts.map((p) => [p.agent, p.a / (p.a + p.b)])),
  };
}

/** The pick alone, as `choose` makes it (no probabilities computed): for simulations. */
export function draw(trails: Trails, kind: string, candidates: readonly ChoiceCandidate[], rng: Random, params: ChooseParams = {}): string {
  const p = resolve(kind, candidates, params);
  if (p.epsilon > 0 && rng.next() < p.epsilon) return candidates[Math.min(candidates.length - 1, Math.floor(rng.next() * candidates.length))]!.agent;
  let best = '';
  let bestScore = -1;
  for (const post of posteriors(trails[kind] ?? {}, candidates, p)) {
    const score = sampleBeta(rng, post.a, post.b) * post.scale;
    if (score > bestScore) {
      bestScore = score;
      best = post.agent;
    }
  }
  return best;
}

const GRID = 512;

/**
 * The probability `choose` gives each candidate: P(its draw is the highest), integrated numerically on
 * a grid of 512 cells, mixed with the uniform exploration share. Pure.
 */
export function pickProbabilities(trails: Trails, kind: string, candidates: readonly ChoiceCandidate[], params: ChooseParams = {}): Record<string, number> {
  const p = resolve(kind, candidates, params);
  const posts = posteriors(trails[kind] ?? {}, candidates, p);
  // Each Beta density on the grid, normalised to cell masses, and its cumulative distribution.
  const masses = posts.map(({ a, b }) => {
    const logs = new Float64Array(GRID);
    let top = Number.NEGATIVE_INFINITY;
    for (let g = 0; g < GRID; g++) {
      const x = (g + 0.5) / GRID;
      logs[g] = (a - 1) * Math.log(x) + (b - 1) * Math.log(1 - x);
      if (logs[g]! > top) top = logs[g]!;
    }
    let sum = 0;
    for (let g = 0; g < GRID; g++) sum += logs[g] = Math.exp(logs[g]! - top);
    for (let g = 0; g < GRID; g++) logs[g]! /= sum;
    return logs;
  });
  const cdfs = masses.map((mass) => {
    const cdf = new Float64Array(GRID + 1);
    for (let g = 0; g < GRID; g++) cdf[g + 1] = cdf[g]! + mass[g]!;
    return cdf;
  });
  /** P(θ_j <= x), linear within a cell. */
  const below = (j: number, x: number): number => {
    if (x >= 1) return 1;
    const at = x * GRID;
    const cell = Math.floor(at);
    return cdfs[j]![cell]! + masses[j]![cell]! * (at - cell);
  };
  const raw = posts.map((post, i) => {
    let total = 0;
    for (let g = 0; g < GRID; g++) {
      const x = (g + 0.5) / GRID;
      let product = masses[i]![g]!;
      for (let j = 0; j < posts.length && product > 0; j++) if (j !== i) product *= below(j, (x * post.scale) / posts[j]!.scale);
      total += product;
    }
    return total;
  });
  const sum = raw.reduce((s, x) => s + x, 0);
  const n = candidates.length;
  return Object.fromEntries(posts.map((post, i) => [post.agent, (1 - p.epsilon) * (sum > 0 ? raw[i]! / sum : 1 / n) + p.epsilon / n]));
}

/** New trails where work of `kind` has a trail for each of `agents` (missing ones empty). */
export function seed(trails: Trails, kind: string, agents: readonly string[]): Trails {
  const row = { ...(trails[kind] ?? {}) };
  for (const agent of agents) if (!(agent in row)) row[agent] = NO_TRAIL;
  return { ...trails, [kind]: row };
}

/**
 * New trails after evaporation: both pheromones × (1 − rate). Evaporates only `kind` when given, and
 * only `agents` of it when given (by default, every trail of every kind).
 */
export function evaporate(trails: Trails, rate: number, options: { readonly kind?: string; readonly agents?: readonly string[] } = {}): Trails {
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`evaporate: rate must be in [0, 1], got ${rate}`);
  const only = options.agents ? new Set(options.agents) : undefined;
  const out: Record<string, Record<string, Trail>> = {};
  for (const [kind, row] of Object.entries(trails)) {
    const touched = options.kind === undefined || kind === options.kind;
    out[kind] = Object.fromEntries(
      Object.entries(row).map(([agent, t]) =>
        touched && (!only || only.has(agent)) ? [agent, { success: (1 - rate) * t.success, failure: (1 - rate) * t.failure }] : [agent, t],
      ),
    );
  }
  return out;
}

/**
 * New trails with one outcome laid on the trail of `agent` on `kind`: `amount × score` success
 * pheromone and `amount × (1 − score)` failure pheromone (score 1 a success, 0 a failure, or a grade).
 */
export function deposit(trails: Trails, kind: string, agent: string, score: number, amount = 1): Trails {
  if (!(score >= 0 && score <= 1)) throw new RangeError(`deposit: score must be in [0, 1], got ${score}`);
  if (!(Number.isFinite(amount) && amount >= 0)) throw new RangeError(`deposit: amount must be finite and >= 0, got ${amount}`);
  const row = trails[kind] ?? {};
  const before = row[agent] ?? NO_TRAIL;
  return { ...trails, [kind]: { ...row, [agent]: { success: before.success + amount * score, failure: before.failure + amount * (1 - score) } } };
}

/** The parameters of one trail update. */
export interface UpdateParams {
  /** Share of the agent's trail that evaporates when it lays a new outcome (0..1]. */
  readonly evaporation: number;
  /** Pheromone one outcome lays (>= 0). */
  readonly reinforcement: number;
}

/**
 * The update after one task of `kind` done by `agent` with outcome `score` (0..1): the agent's trail on
 * the kind evaporates, then it lays the outcome. So a trail holds about `reinforcement / evaporation`
 * recent outcomes at most, older ones weighing less: a trail keeps up with an agent that got worse
 * (or better). Other agents' trails are left as they were: not being picked says nothing about an
 * agent. Pure; what the strategy applies.
 */
export function updateTrails(trails: Trails, kind: string, agent: string, score: number, params: UpdateParams): Trails {
  if (!(score >= 0 && score <= 1)) throw new RangeError(`updateTrails: score must be in [0, 1], got ${score}`);
  const evaporated = evaporate(seed(trails, kind, [agent]), params.evaporation, { kind, agents: [agent] });
  return deposit(evaporated, kind, agent, score, params.reinforcement);
}

/** A Beta(a, b) draw from two Gamma draws. */
function sampleBeta(rng: Random, a: number, b: number): number {
  const x = sampleGamma(rng, a);
  const y = sampleGamma(rng, b);
  return x + y > 0 ? x / (x + y) : 0.5;
}

/** A Gamma(shape, 1) draw (Marsaglia & Tsang 2000; shapes below 1 by the boost u^(1/shape)). */
function sampleGamma(rng: Random, shape: number): number {
  if (shape < 1) return sampleGamma(rng, shape + 1) * Math.pow(1 - rng.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = sampleNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.next();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A standard normal draw (Box–Muller). */
function sampleNormal(rng: Random): number {
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
