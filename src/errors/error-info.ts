// Reading thrown values: anything may be thrown, so none of these assume an Error.

/** A failure as plain data: its message and its code. */
export interface ErrorInfo {
  readonly message: string;
  /** The thrown value's own string `code` (a Taskforce code, or a Node one like `ENOENT`), else the fallback. */
  readonly code: string;
}

/** The message of an Error, or the thrown value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A thrown value as plain data; `fallbackCode` when it carries no string `code` (each caller names its own). */
export function errorInfo(error: unknown, fallbackCode: string): ErrorInfo {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return { message: errorMessage(error), code: typeof code === 'string' ? code : fallbackCode };
}
