/**
 * One short phrase for a strategy's decision, for the live view: who won and why, in a few words.
 * Decisions are plain data whose shape each strategy owns, so this reads the fields it knows and
 * falls back to naming the strategy. An auction's phrase leaves out the bid count and the runner-up's
 * name when the whole would not fit in `width` columns (default 60, the run tree's decision column).
 */
export function summarizeDecision(strategy: string, decision: unknown, width = 60): string {
  const d = (typeof decision === 'object' && decision !== null ? decision : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const list = (v: unknown) => (Array.isArray(v) ? v : []);
  if (str(d.error)) return `${strategy}: failed (${truncate(str(d.error)!, 40)})`;
  switch (strategy) {
    case 'direct': {
      const score = num(d.score);
      return `direct: best match ${str(d.agent) ?? '?'}${score !== undefined ? ` (score ${score.toFixed(2)})` : ''}`;
    }
    case 'consensus': {
      const voters = list(d.voters).length;
      const lastRound = list(d.rounds).at(-1) as { ballots?: unknown } | undefined;
      const votes = list(lastRound?.ballots).filter((b) => (b as { option?: unknown } | null)?.option === d.winner).length;
      const verdict = d.consensus === true ? 'quorum' : 'no quorum';
      return `consensus: ${votes} of ${voters} voters for ${String(d.winner ?? '?')} (${verdict}), by ${str(d.author) ?? '?'}`;
    }
    case 'auction': {
      if (d.outcome === 'no-sale') return 'auction: no sale';
      const bids = list(d.bids) as { agent?: unknown; ask?: unknown; cost?: unknown }[];
      const won = str(d.assigned) ?? str(d.winner) ?? '?';
      if (str(d.fallback)) return `auction: no sale among ${bids.length} bids → ${str(d.fallback)} ${won}`;
      // A bid is shown as what it asks for the task done in full (cost ÷ confidence under performance
      // pay, cost under fixed pay): the amounts the clearing compares, in the units the price is in.
      const askOf = (agent: string | undefined) => {
        const bid = bids.find((b) => b?.agent === agent);
        return num(bid?.ask) ?? num(bid?.cost);
      };
      const payment = (d.payment ?? {}) as Record<string, unknown>;
      const paid = num(payment.paid);
      const price = num(d.price);
      const winner = str(d.winner);
      const runnerUp = str(d.runnerUp);
      const bid = askOf(winner);
      const second = askOf(runnerUp);
      const parts = {
        count: `auction (${bids.length} bid${bids.length === 1 ? '' : 's'}): `,
        winner: `${won}${bid !== undefined ? ` bid ${bid.toFixed(2)}` : ''}`,
        pay: paid !== undefined ? `, paid ${paid.toFixed(2)}` : price !== undefined ? `, price ${price.toFixed(2)}` : '',
      };
      if (!runnerUp || second === undefined) return `${parts.count}${parts.winner}${parts.pay}`;
      // The full phrase when it fits the `width` columns the run tree gives a decision, else without
      // the bid count and the runner-up's name: the three figures always keep their labels.
      const full = `${parts.count}${parts.winner}, runner-up ${runnerUp} bid ${second.toFixed(2)}${parts.pay}`;
      return full.length <= width ? full : `auction: ${parts.winner}, runner-up ${second.toFixed(2)}${parts.pay}`;
    }
    case 'hierarchical': {
      const workers = workersOf(d.tree);
      return `hierarchical: leader ${str(d.leader) ?? '?'}${workers.length > 0 ? `, workers ${[...new Set(workers)].join(', ')}` : ', no workers'}`;
    }
    case 'stigmergy': {
      const pick = str(d.pick);
      const probabilities = (d.probabilities ?? {}) as Record<string, unknown>;
      const p = pick ? num(probabilities[pick]) : undefined;
      return `stigmergy: trail picked ${pick ?? '?'}${p !== undefined ? ` (p=${p.toFixed(2)})` : ''}`;
    }
    default:
      return strategy;
  }
}

/** The agents below the leader in a hierarchical delegation tree (`{ agent, children }` nodes). */
function workersOf(tree: unknown): string[] {
  const children = (tree as { children?: unknown } | null)?.children;
  if (!Array.isArray(children)) return [];
  return children.flatMap((child) => {
    const agent = (child as { agent?: unknown } | null)?.agent;
    return [...(typeof agent === 'string' ? [agent] : []), ...workersOf(child)];
  });
}

/** Cuts `text` to `max` characters with an ellipsis, on one line. */
export function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, Math.max(0, max - 1))}…` : flat;
}

/** The first non-empty line: a sub-run's goal starts with its task's title, then the full instructions. */
export function headline(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '')?.trim() ?? '';
}
