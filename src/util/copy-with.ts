/**
 * `{ ...source, [key]: value }`, made the fast way. Node 20's V8 builds an object literal that spreads
 * one object and then adds properties on a slow path: about 0.45 µs for a five-key object, against
 * 0.07 µs for a copy and one assignment. Every model call made several such copies (a request with
 * its tags, with its signal; a result with its cost).
 */
export function copyWith<T extends object, K extends string, V>(source: T, key: K, value: V): Omit<T, K> & { [P in K]: V } {
  const copy = Object.assign({}, source) as Record<string, unknown>;
  copy[key] = value;
  return copy as Omit<T, K> & { [P in K]: V };
}
