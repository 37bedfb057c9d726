/**
 * A small durable key-value store shared by all runs of a runtime (reputations, pheromone trails).
 * Values are plain JSON data.
 */
export interface Store {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  keys(prefix?: string): string[];
  /** Persists pending writes (a no-op for memory stores). */
  flush(): Promise<void>;
}
