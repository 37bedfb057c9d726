import type { TaskforceEvent } from '../events/types.js';
import { colourFor } from './colour.js';
import type { CliIo, CliStream } from './io.js';
import { plainView, ttyView, type LiveView } from './live/views.js';

/**
 * The live view a command shows on stderr: redrawn in place on a terminal, one line per event when
 * stderr is a pipe or file, none with `--json` (machines read stdout, and stderr stays quiet). On a
 * terminal it is coloured (unless `NO_COLOR`; see `colourFor`) and redrawn when the terminal is resized.
 */
export function viewFor(io: CliIo, options: { readonly json: boolean }): LiveView | undefined {
  if (options.json) return undefined;
  if (io.stderr.isTTY && io.env.TERM !== 'dumb') {
    const stderr = io.stderr;
    const view = ttyView(stderr, {
      width: widthOf(stderr),
      ...(stderr.rows !== undefined ? { height: stderr.rows } : {}),
      clock: io.clock,
      colours: colourFor(stderr, io.env),
    });
    if (!stderr.on) return view;
    // The stream's own columns and rows are current when it emits 'resize' (as process.stderr does).
    const onResize = () => view.resize?.(widthOf(stderr), stderr.rows);
    stderr.on('resize', onResize);
    return {
      update: (event) => view.update(event),
      message: (text) => view.message(text),
      finish() {
        stderr.off?.('resize', onResize);
        view.finish();
      },
      get state() {
        return view.state;
      },
    };
  }
  return plainView(io.stderr);
}

/** One column less than the terminal's, so a full line never makes the terminal wrap onto the next row. */
function widthOf(stream: CliStream): number {
  return Math.max(40, (stream.columns ?? 100) - 1);
}

/** An event listener that feeds `view` (if any) and `extra` listeners. */
export function listenerFor(view: LiveView | undefined, ...extra: ((event: TaskforceEvent) => void)[]): (event: TaskforceEvent) => void {
  return (event) => {
    view?.update(event);
    for (const listener of extra) listener(event);
  };
}
