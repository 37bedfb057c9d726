import { importOptional } from '../../util/import-optional.js';

/**
 * Imports a provider SDK on first use, so importing Taskforce (or running `taskforce --help`) does not
 * pay for SDKs a run never calls. A package that is not installed is a `ConfigError` that names it.
 */
export function importSdk<T>(packageName: string, load: () => Promise<T>): Promise<T> {
  return importOptional(packageName, 'this model', load);
}

/** A value made once, on first use, by an async factory (a failed attempt is tried again next time). */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () =>
    (made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    }));
}
