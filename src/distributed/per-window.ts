import { ConfigError } from '../errors/taskforce-error.js';

/** A limit of `max` per window of `windowMs` ms: requests or tokens, as the shared limits count them. */
export interface PerWindow {
  readonly max: number;
  readonly windowMs: number;
}

/** `max` and `windowMs` (default a minute) checked: positive integers, or a `ConfigError` naming the `limit`. */
export function checkPerWindow(limit: string, max: number, windowMs = 60_000): PerWindow {
  if (!Number.isInteger(max) || max < 1) throw new ConfigError(`${limit}: max must be a positive integer, got ${max}`);
  if (!Number.isInteger(windowMs) || windowMs < 1) throw new ConfigError(`${limit}: windowMs must be a positive integer, got ${windowMs}`);
  return { max, windowMs };
}

/** Reads `N` or `N/MS` (N per window of MS ms; default window a minute). */
export function parsePerWindow(text: string): PerWindow | undefined {
  const match = /^(\d+)(?:\/(\d+))?$/.exec(text.trim());
  if (!match) return undefined;
  return { max: Number(match[1]), windowMs: match[2] !== undefined ? Number(match[2]) : 60_000 };
}
