import type { ViewTotals } from './run-view.js';

/** `12,345` */
export function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `$0.0123`: four decimals, since one model call often costs less than a cent. */
export function formatCost(usd: number): string {
  return `$${usd.toFixed(4)}`;
}

/** `850 ms`, `1.2 s`, `3 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** `6 calls · 6,002 in / 409 out · $0.0000` */
export function formatTotals(t: ViewTotals): string {
  return `${t.calls} call${t.calls === 1 ? '' : 's'} · ${formatCount(t.inputTokens)} in / ${formatCount(t.outputTokens)} out · ${formatCost(t.costUsd)}`;
}
