import type { Random } from '../src/util/random.js';

/** Pheromone per kind of work, per agent: `trails[kind][agent]`. Plain data; never mutated here. */
export type Trails = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** MAX-MIN Ant System bounds: every trail stays within [min, max]. */
export interface PheromoneBounds {
  readonly min: number;
  readonly max: number;
}

/** An agent that may take the work, with how well its capabilities match it (0..1). */
export interface ChoiceCandidate {
  readonly agent: string;
  readonly match: number;
}

export interface ChooseParams {
  /** Weight of the pheromone. Default 1. */
  readonly alpha?: number;
  /** Weight of the capability match. Default 2. */
  readonly beta?: number;
  /** Pheromone assumed for an agent with no trail yet. Default 1. */
  readonly initial?: number;
  /** Share of choices made uniformly at random, whatever the trails say (0..1). Default 0. */
  readonly exploration?: number;
  /** Floor on the capability match, so a zero match is unlikely rather than impossible. Default 0.05. */
  readonly minMatch?: number;
}

export interface Choice {
  readonly agent: string;
  /** Selection probability of each candidate. */
  readonly probabilities: Readonly<Record<string, number>>;
  /** Pheromone of each candidate at the time of choice. */
  readonly pheromone: Readonly<Record<string, number>>;
}

/**
 * Picks an agent for work of `kind` with probability ∝ pheromone^alpha × match^beta (the ant-colony
 * transition rule), mixed with a uniform `exploration` floor. Draws one number from `rng`. If every
 * weight is zero (all trails evaporated to 0), the pick is uniform. Pure apart from `rng`.
 */
export function choose(trails: Trails, kind: string, candidates: readonly ChoiceCandidate[], rng: Random, params: ChooseParams = {}): Choice {
  if (candidates.length === 0) throw new RangeError(`choose: no candidates for work of kind "${kind}"`);
  const alpha = params.alpha ?? 1;
  const beta = params.beta ?? 2;
  const initial = params.initial ?? 1;
  const epsilon = params.exploration ?? 0;
  const minMatch = params.minMatch ?? 0.05;
  if (!(epsilon >= 0 && epsilon <= 1)) throw new RangeError(`choose: exploration must be in [0, 1], got ${epsilon}`);
  const row = trails[kind] ?? {};
  const pheromone: Record<string, number> = {};
  const weights = candidates.map((c) => {
    const tau = row[c.agent] ?? initial;
    pheromone[c.agent] = tau;
    const eta = Math.max(minMatch, Math.min(1, c.match));
    return tau <= 0 ? 0 : Math.pow(tau, alpha) * Math.pow(eta, beta);
  });
  const sum = weights.reduce((a, b) => a + b, 0);
  const n = candidates.length;
  const probs = weights.map((w) => (sum > 0 ? (1 - epsilon) * (w / sum) + epsilon / n : 1 / n));
  const probabilities = Object.fromEntries(candidates.map((c, i) => [c.agent, probs[i]!]));
  let draw = rng.next();
  let index = n - 1;
  for (let i = 0; i < n; i++) {
    draw -= probs[i]!;
    if (draw < 0) {
      index = i;
      break;
    }
  }
  return { agent: candidates[index]!.agent, probabilities, pheromone };
}

/** New trails where work of `kind` has a trail for each of `agents` (missing ones at `initial`). */
export function seed(trails: Trails, kind: string, agents: readonly string[], initial: number): Trails {
  const row = { ...(trails[kind] ?? {}) };
  for (const agent of agents) if (!(agent in row)) row[agent] = initial;
  return { ...trails, [kind]: row };
}

/**
 * New trails after evaporation: τ ← (1 − rate) τ, never below `bounds.min`. Evaporates only
 * `kind` when given (work of other kinds did not happen), else every kind.
 */
export function evaporate(trails: Trails, rate: number, options: { readonly kind?: string; readonly bounds?: PheromoneBounds } = {}): Trails {
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`evaporate: rate must be in [0, 1], got ${rate}`);
  const floor = options.bounds?.min ?? 0;
  const out: Record<string, Record<string, number>> = {};
  for (const [kind, row] of Object.entries(trails)) {
    out[kind] =
      options.kind !== undefined && kind !== options.kind
        ? { ...row }
        : Object.fromEntries(Object.entries(row).map(([agent, tau]) => [agent, Math.max(floor, (1 - rate) * tau)]));
  }
  return out;
}

/** New trails with `amount` (>= 0) added to the trail of `agent` on `kind`, never above `bounds.max`. */
export function deposit(
  trails: Trails,
  kind: string,
  agent: string,
  amount: number,
  options: { readonly bounds?: PheromoneBounds; readonly initial?: number } = {},
): Trails {
  if (!(Number.isFinite(amount) && amount >= 0)) throw new RangeError(`deposit: amount must be finite and >= 0, got ${amount}`);
  const row = trails[kind] ?? {};
  const before = row[agent] ?? options.initial ?? 0;
  const after = Math.min(options.bounds?.max ?? Number.POSITIVE_INFINITY, Math.max(options.bounds?.min ?? 0, before + amount));
  return { ...trails, [kind]: { ...row, [agent]: after } };
}

/**
 * Default MAX-MIN bounds (Stützle & Hoos 2000): τ_max = reinforcement / evaporation, the level a
 * trail reinforced on every task converges to; τ_min = τ_max × minRatio (default 0.05), so an agent
 * that fell out of favour keeps a chance to be tried again and to win the work back.
 */
export function maxMinBounds(reinforcement: number, evaporation: number, minRatio = 0.05): PheromoneBounds {
  if (!(evaporation > 0)) throw new RangeError(`maxMinBounds: evaporation must be > 0, got ${evaporation}`);
  const max = reinforcement / evaporation;
  return { min: max * minRatio, max };
}

/** The parameters of one trail update. */
export interface UpdateParams {
  readonly evaporation: number;
  readonly reinforcement: number;
  readonly bounds?: PheromoneBounds;
  /** Pheromone of an agent new to the kind. */
  readonly initial: number;
}

/**
 * The update after one task of `kind` done by `agent` with outcome `score` (0..1): the kind's trails
 * evaporate, then the agent deposits `reinforcement × score`. Pure; what the strategy applies.
 */
export function updateTrails(trails: Trails, kind: string, agent: string, score: number, params: UpdateParams): Trails {
  if (!(score >= 0 && score <= 1)) throw new RangeError(`updateTrails: score must be in [0, 1], got ${score}`);
  const bounds = params.bounds ? { bounds: params.bounds } : {};
  const evaporated = evaporate(seed(trails, kind, [agent], params.initial), params.evaporation, { kind, ...bounds });
  return deposit(evaporated, kind, agent, params.reinforcement * score, { ...bounds, initial: params.initial });
}
