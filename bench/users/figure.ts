/**
 * A figure of the users' benchmark: a median with its spread, its target from issue 13, and whether
 * the target is met. The table and `bench/results/latest.json` are both made from these.
 */
import type { ChildResult } from './spawn.js';
import { summarise, type Summary } from './stats.js';

export interface Target {
  readonly op: '<=' | '<' | '>=';
  readonly value: number;
}

export interface Figure {
  readonly name: string;
  /** How values print: `µs`, `ms`, `s`, `B`, `MiB`, or '' (a ratio). */
  readonly unit: string;
  /** Absent when the figure could not be measured (see `error`). */
  readonly summary?: Summary;
  /** Which spread the table prints: min–max for a few samples, p10–p90 for many. */
  readonly spread: 'min-max' | 'p10-p90';
  readonly target?: Target;
  /** Whether the median meets the target; absent without a target or a measurement. */
  readonly met?: boolean;
  readonly note?: string;
  readonly error?: string;
}

export interface FigureOptions {
  readonly target?: Target;
  readonly note?: string;
  readonly spread?: Figure['spread'];
}

export function figure(name: string, unit: string, samples: readonly number[], options: FigureOptions = {}): Figure {
  if (samples.length === 0) return notMeasured(name, unit, 'no sample succeeded', options);
  const summary = summarise(samples);
  return {
    name,
    unit,
    summary,
    spread: options.spread ?? (samples.length > 10 ? 'p10-p90' : 'min-max'),
    ...(options.target ? { target: options.target, met: meets(summary.median, options.target) } : {}),
    ...(options.note ? { note: options.note } : {}),
  };
}

export function notMeasured(name: string, unit: string, error: string, options: FigureOptions = {}): Figure {
  return { name, unit, spread: 'min-max', error, ...(options.target ? { target: options.target } : {}), ...(options.note ? { note: options.note } : {}) };
}

function meets(value: number, target: Target): boolean {
  if (target.op === '<=') return value <= target.value;
  if (target.op === '<') return value < target.value;
  return value >= target.value;
}

/** A figure from repeated children's results: `pick` takes the sample(s) from one; failures go in the note. */
export function figureOf(
  name: string,
  unit: string,
  results: readonly ChildResult[],
  pick: (value: Readonly<Record<string, unknown>>) => number | readonly number[],
  options: FigureOptions = {},
): Figure {
  const failures = results.flatMap((r) => (r.ok ? [] : [r.error]));
  const failure = failures.length > 0 ? `${failures.length} of ${results.length} runs failed (${failures[0]})` : undefined;
  const samples = results.flatMap((r) => (r.ok ? pick(r.value) : []));
  const note = [options.note, samples.length > 0 ? failure : undefined].filter(Boolean).join('; ');
  if (samples.length === 0) return notMeasured(name, unit, failure ?? 'no samples', options);
  return figure(name, unit, samples, { ...options, ...(note ? { note } : {}) });
}

/**
 * Adds the figures `measure` returns to `figures`; a group that throws adds one "not measured" figure
 * named `name` with the error instead, so one failing measurement does not lose the others.
 */
export async function measureGroup(figures: Figure[], name: string, measure: () => Promise<Figure[]>): Promise<void> {
  try {
    figures.push(...(await measure()));
  } catch (error) {
    figures.push(notMeasured(name, '', error instanceof Error ? error.message : String(error)));
  }
}
