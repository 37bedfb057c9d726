/**
 * A strategy's decision in a few words, for the viewer's tree: who got the task and the one figure
 * that decided it. Decisions are plain data whose shape each strategy owns, so this reads the common
 * fields it knows (`assigned`, `winner`, `agent`, `pick`, `leader`) and otherwise names the strategy.
 * The CLI passes its own, richer summariser in through `RenderRunOptions.summarizeDecision`.
 */
export function neutralDecisionSummary(strategy: string, decision: unknown): string {
  const d = (typeof decision === 'object' && decision !== null ? decision : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  if (str(d.error)) return `${strategy}: failed`;
  if (d.outcome === 'no-sale' || d.sold === false) return `${strategy}: no sale`;
  const who =
    (str(d.assigned) && ['assigned to', str(d.assigned)]) ||
    (str(d.winner) && ['won by', str(d.winner)]) ||
    (str(d.leader) && ['leader', str(d.leader)]) ||
    (str(d.pick) && ['picked', str(d.pick)]) ||
    (str(d.agent) && ['chose', str(d.agent)]);
  if (!who) return strategy;
  const payment = (typeof d.payment === 'object' && d.payment !== null ? d.payment : {}) as Record<string, unknown>;
  const figure =
    num(payment.paid) !== undefined
      ? `paid ${num(payment.paid)!.toFixed(2)}`
      : num(d.price) !== undefined
        ? `price ${num(d.price)!.toFixed(2)}`
        : num(d.score) !== undefined
          ? `score ${num(d.score)!.toFixed(2)}`
          : undefined;
  return `${strategy}: ${who[0]} ${who[1]}${figure ? ` (${figure})` : ''}`;
}
