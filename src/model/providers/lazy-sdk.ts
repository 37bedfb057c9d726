import { importOptional } from '../../util/import-optional.js';

/**
 * Imports a provider SDK on first use, so importing Taskforce (or running `taskforce --help`) does not
 * pay for SDKs a run never calls. A package that is not installed is a `ConfigError` that names it.
 */
export function importSdk<T>(packageName: string, load: () => Promise<T>): Promise<T> {
  return importOptional(packageName, 'this model', load);
}

/** A value made once, on first use, by an async factory; `value` once it is made. */
export interface Once<T> {
  (): Promise<T>;
  /** The value, once made: a call can use it without waiting a turn (as awaiting `()` would). */
  readonly value: T | undefined;
}

/** A value made once, on first use, by an async factory (a failed attempt is tried again next time). */
export function once<T>(make: () => Promise<T>): Once<T> {
  let made: Promise<T> | undefined;
  let value: T | undefined;
  const get = () =>
    (made ??= make().then(
      (result) => (value = result),
      (error: unknown) => {
        made = undefined;
        throw error;
      },
    ));
  return Object.defineProperty(get, 'value', { get: () => value }) as Once<T>;
}
