/**
 * One short phrase for a strategy's decision, for the live view: who won and why, in a few words.
 * Decisions are plain data whose shape each strategy owns, so this reads the fields it knows and
 * falls back to naming the strategy.
 */
export function summarizeDecision(strategy: string, decision: unknown): string {
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
      const bids = list(d.bids).length;
      const winning = num(d.winningBid);
      const price = num(d.price);
      const won = str(d.assigned) ?? str(d.winner) ?? '?';
      if (str(d.fallback)) return `auction: no sale among ${bids} bids → ${str(d.fallback)} ${won}`;
      // Bids are costs (lower wins); the runner-up's bid is what a second-price auction pays.
      const bid = winning !== undefined ? ` ${winning.toFixed(2)}` : '';
      const head = `auction (${bids} bid${bids === 1 ? '' : 's'}): ${won}`;
      return price !== undefined && str(d.runnerUp) ? `${head}${bid} beat ${str(d.runnerUp)} ${price.toFixed(2)}` : `${head} won${bid && ` with${bid}`}`;
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
