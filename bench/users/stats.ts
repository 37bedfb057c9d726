/** Medians and spreads of repeated measurements. */

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** 10th and 90th percentiles (nearest rank); with few samples these are min and max. */
  readonly p10: number;
  readonly p90: number;
  readonly n: number;
  readonly samples: readonly number[];
}

export function summarise(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error('bench: no samples to summarise');
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)!, p10: at(0.1), p90: at(0.9), n: sorted.length, samples };
}

/** `a[i] - b[i]` for each pair: differences of measurements taken side by side. */
export function pairedDifferences(a: readonly number[], b: readonly number[]): number[] {
  return a.slice(0, b.length).map((value, i) => value - b[i]!);
}
