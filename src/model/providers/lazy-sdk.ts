import { ConfigError } from '../../errors/taskforce-error.js';

/**
 * Imports a provider SDK on first use, so importing Taskforce (or running `taskforce --help`) does not
 * pay for SDKs a run never calls. A package that is not installed is a `ConfigError` that names it.
 */
export async function importSdk<T>(packageName: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
      throw new ConfigError(`this model needs the npm package "${packageName}", which is not installed: npm install ${packageName}`, { cause: error });
    throw error;
  }
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
