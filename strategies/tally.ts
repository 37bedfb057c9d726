/** One agent's vote for one option, with the weight its expertise earns. */
export interface Ballot {
  readonly agent: string;
  readonly option: string;
  readonly weight: number;
}

/** One option's share of a tally. */
export interface OptionTally {
  readonly option: string;
  readonly weight: number;
  /** weight / total weight (0 when the total is 0). */
  readonly share: number;
  /** Agents that voted for it, in ballot order. */
  readonly voters: readonly string[];
}

export interface TallyResult {
  readonly quorum: number;
  readonly totalWeight: number;
  /** Options best first: by weight, then number of voters, then first ballot. */
  readonly options: readonly OptionTally[];
  /** Whether the leading option holds at least `quorum` of the total weight (never two options: the quorum is above one half). */
  readonly reached: boolean;
  /** The leading option when the quorum is reached. */
  readonly winner: string | undefined;
}

/** Default share of the total weight an option needs (a two-thirds supermajority, rounded up to 0.67). */
export const DEFAULT_QUORUM = 0.67;

/**
 * Weighted-majority tally: the leading option wins if it holds at least `quorum` of the total
 * weight. The quorum must be above one half, so at most one option can hold it and a dead heat is
 * never a decision (with a quorum of one half, 1 vote against 1 would name a winner by ballot order).
 * Pure. One ballot per agent; weights must be finite and non-negative.
 *
 * @example
 * tally([{ agent: 'a', option: 'yes', weight: 2 }, { agent: 'b', option: 'no', weight: 1 }], { quorum: 0.6 })
 * // → { winner: 'yes', reached: true, totalWeight: 3, options: [{ option: 'yes', share: 0.667, ... }, ...] }
 */
export function tally(ballots: readonly Ballot[], options: { readonly quorum?: number } = {}): TallyResult {
  const quorum = options.quorum ?? DEFAULT_QUORUM;
  if (!(quorum > 0.5 && quorum <= 1))
    throw new RangeError(`tally: quorum must be in (0.5, 1], got ${quorum}; at one half or less two options could both reach it`);
  const seen = new Set<string>();
  const byOption = new Map<string, { weight: number; voters: string[]; first: number }>();
  ballots.forEach((ballot, index) => {
    if (seen.has(ballot.agent)) throw new RangeError(`tally: agent "${ballot.agent}" has more than one ballot`);
    seen.add(ballot.agent);
    if (!(Number.isFinite(ballot.weight) && ballot.weight >= 0))
      throw new RangeError(`tally: ballot of agent "${ballot.agent}" has weight ${ballot.weight}; weights must be finite and >= 0`);
    const entry = byOption.get(ballot.option) ?? { weight: 0, voters: [], first: index };
    entry.weight += ballot.weight;
    entry.voters.push(ballot.agent);
    byOption.set(ballot.option, entry);
  });
  const totalWeight = ballots.reduce((sum, b) => sum + b.weight, 0);
  const ranked = [...byOption.entries()]
    .sort(([, a], [, b]) => b.weight - a.weight || b.voters.length - a.voters.length || a.first - b.first)
    .map(([option, e]): OptionTally => ({
      option,
      weight: e.weight,
      share: totalWeight > 0 ? e.weight / totalWeight : 0,
      voters: e.voters,
    }));
  const leader = ranked[0];
  const reached = leader !== undefined && totalWeight > 0 && leader.share >= quorum;
  return { quorum, totalWeight, options: ranked, reached, winner: reached ? leader.option : undefined };
}
