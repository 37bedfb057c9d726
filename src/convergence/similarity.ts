import { ConfigError } from '../errors/taskforce-error.js';

/**
 * Text similarity measures for convergence detection. Every measure is a pure function of two strings
 * returning a number in [0, 1]: symmetric, and 1 for texts that are equal after normalisation.
 */

/** A similarity measure: symmetric, in [0, 1], 1 when the texts are the same. */
export type SimilarityFn = (a: string, b: string) => number;

/**
 * Normalises text so that differences a reader would not count as changes (case, punctuation,
 * runs of whitespace, Unicode compatibility forms) do not lower similarity.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\p{P}+/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** The normalised words of a text, in order. */
export function tokenize(text: string): string[] {
  const normalized = normalizeText(text);
  return normalized === '' ? [] : normalized.split(' ');
}

/** |A ∩ B| / |A ∪ B|, with two empty sets counted as identical. */
export function jaccardOfSets<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): number {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const item of small) if (large.has(item)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * Token-set Jaccard similarity: the share of distinct words the texts have in common. Ignores word
 * order and repetition, so it is forgiving of rephrasing; prefer {@link shingleSimilarity} when order
 * matters.
 *
 * @example
 * jaccardSimilarity('The cat sat.', 'the CAT sat') // 1
 */
export function jaccardSimilarity(a: string, b: string): number {
  return jaccardOfSets(new Set(tokenize(a)), new Set(tokenize(b)));
}

/**
 * The w-shingles of a text: every run of `size` consecutive words. A text shorter than `size` words
 * yields itself as its one shingle, so short texts still compare.
 */
export function shingles(text: string, size = 3): Set<string> {
  checkShingleSize(size);
  const words = tokenize(text);
  if (words.length === 0) return new Set();
  if (words.length <= size) return new Set([words.join(' ')]);
  const out = new Set<string>();
  for (let i = 0; i + size <= words.length; i++) out.add(words.slice(i, i + size).join(' '));
  return out;
}

/**
 * w-shingle similarity: Jaccard over runs of `size` consecutive words (default 3). Sensitive to word
 * order, so a reordered or partly rewritten answer scores lower than under token-set Jaccard.
 *
 * @example
 * shingleSimilarity('a b c d', 'a b c d') // 1
 * shingleSimilarity('a b c d', 'd c b a') // 0
 */
export function shingleSimilarity(a: string, b: string, size = 3): number {
  return jaccardOfSets(shingles(a, size), shingles(b, size));
}

/** A {@link SimilarityFn} using w-shingles of the given size. */
export function shingleSimilarityOf(size: number): SimilarityFn {
  checkShingleSize(size);
  return (a, b) => shingleSimilarity(a, b, size);
}

/**
 * Similarity of two rounds of outputs. Rounds of the same length are matched by position and the
 * least similar pair decides (every participant must have settled); rounds of different lengths are
 * compared as whole texts.
 */
export function roundSimilarity(previous: readonly string[], current: readonly string[], similarity: SimilarityFn): number {
  if (previous.length !== current.length) return similarity(previous.join('\n\n'), current.join('\n\n'));
  let least = 1;
  for (let i = 0; i < current.length; i++) least = Math.min(least, similarity(previous[i] ?? '', current[i] ?? ''));
  return least;
}

/**
 * How much the outputs of one round agree: the least similar pair among them. `null` for fewer than
 * two outputs, where agreement means nothing.
 */
export function agreementOf(outputs: readonly string[], similarity: SimilarityFn): number | null {
  if (outputs.length < 2) return null;
  let least = 1;
  for (let i = 0; i < outputs.length; i++)
    for (let j = i + 1; j < outputs.length; j++) least = Math.min(least, similarity(outputs[i] ?? '', outputs[j] ?? ''));
  return least;
}

function checkShingleSize(size: number): void {
  if (!Number.isInteger(size) || size < 1) throw new ConfigError(`shingle size must be a positive integer, got ${String(size)}`);
}
