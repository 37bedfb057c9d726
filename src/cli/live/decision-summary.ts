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
      const options = list(d.options).length;
      const verdict = d.consensus === true ? 'consensus' : 'no quorum, plurality';
      return `consensus: ${voters} voters, ${options} option(s), ${verdict} on ${String(d.winner ?? '?')} (author ${str(d.author) ?? '?'})`;
    }
    case 'auction': {
      if (d.outcome === 'no-sale') return 'auction: no sale';
      const bids = list(d.bids).length;
      const winning = num(d.winningBid);
      const price = num(d.price);
      const won = str(d.assigned) ?? str(d.winner) ?? '?';
      if (str(d.fallback)) return `auction: no sale among ${bids} bids → ${str(d.fallback)} ${won}`;
      const against = price !== undefined && str(d.runnerUp) ? ` vs ${price.toFixed(2)} (${str(d.runnerUp)})` : '';
      return `auction: ${won} won ${winning !== undefined ? winning.toFixed(2) : ''}${against}, ${bids} bids`;
    }
    case 'hierarchical':
      return `hierarchical: leader ${str(d.leader) ?? '?'}${num(d.allowedLevels) !== undefined ? `, ${num(d.allowedLevels)} level(s)` : ''}`;
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

/** Cuts `text` to `max` characters with an ellipsis, on one line. */
export function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, Math.max(0, max - 1))}…` : flat;
}
