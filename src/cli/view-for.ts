import type { TaskforceEvent } from '../events/types.js';
import type { CliIo } from './io.js';
import { plainView, ttyView, type LiveView } from './live/views.js';

/**
 * The live view a command shows on stderr: redrawn in place on a terminal, one line per event when
 * stderr is a pipe or file, none with `--json` (machines read stdout, and stderr stays quiet).
 */
export function viewFor(io: CliIo, options: { readonly json: boolean }): LiveView | undefined {
  if (options.json) return undefined;
  if (io.stderr.isTTY && io.env.TERM !== 'dumb')
    return ttyView(io.stderr, {
      width: Math.max(40, (io.stderr.columns ?? 100) - 1),
      ...(io.stderr.rows !== undefined ? { height: io.stderr.rows } : {}),
      clock: io.clock,
    });
  return plainView(io.stderr);
}

/** An event listener that feeds `view` (if any) and `extra` listeners. */
export function listenerFor(view: LiveView | undefined, ...extra: ((event: TaskforceEvent) => void)[]): (event: TaskforceEvent) => void {
  return (event) => {
    view?.update(event);
    for (const listener of extra) listener(event);
  };
}
