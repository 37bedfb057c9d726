/**
 * Gives `target` an enumerable property `key` whose value `compute` makes on first read; from then on
 * (or once assigned) it is an ordinary data property. Spreading, `JSON.stringify` and
 * `structuredClone` read it like any other, so only a result nobody reads skips the work.
 */
export function defineLazy<T extends object, K extends string, V>(target: T, key: K, compute: () => V): T & Record<K, V> {
  const settle = (value: V) => {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
    return value;
  };
  Object.defineProperty(target, key, { get: () => settle(compute()), set: settle, enumerable: true, configurable: true });
  return target as T & Record<K, V>;
}
