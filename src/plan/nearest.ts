import { closestNames, editDistance } from '../util/edit-distance.js';

/**
 * The candidate closest to `word` by edit distance (case-insensitive), however far; undefined when
 * there are no candidates. Ties go to the earlier candidate, so the answer is stable.
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const target = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(target, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * What to say about an unknown key: `did you mean "dependsOn"?` when a known key is close (edit
 * distance, see `closestNames`), else the known keys. Shared by plan and workflow files.
 */
export function unknownKeyHint(key: string, known: readonly string[]): string {
  const [closest] = closestNames(key, known, 1);
  return closest !== undefined ? `did you mean "${closest}"?` : `known keys: ${known.map((k) => `"${k}"`).join(', ')}`;
}
