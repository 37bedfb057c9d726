/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transposition), so `codr` → `coder`
 * and `cdoer` → `coder` are both one edit.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prevPrev = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(prev[j]! + 1, current[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, prevPrev[j - 2]! + 1);
      current[j] = best;
    }
    [prevPrev, prev, current] = [prev, current, prevPrev];
  }
  return prev[b.length]!;
}

/**
 * Up to `max` candidates close to `name`, best first: within an edit distance of a third of the
 * longer name (at least 2), or containing / contained in it (`review` → `code-reviewer`).
 */
export function closestNames(name: string, candidates: Iterable<string>, max = 3): string[] {
  const query = name.toLowerCase();
  const scored: { name: string; distance: number }[] = [];
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    const distance = editDistance(query, lower);
    const threshold = Math.max(2, Math.floor(Math.max(query.length, lower.length) / 3));
    const contains = query.length >= 3 && (lower.includes(query) || query.includes(lower));
    if (distance <= threshold || contains) scored.push({ name: candidate, distance });
  }
  scored.sort((x, y) => x.distance - y.distance || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return scored.slice(0, max).map((s) => s.name);
}
