import type { TaskforceEvent } from '../../events/types.js';
import type { Clock } from '../../util/clock.js';
import { stripColour, type Colours } from '../colour.js';
import { plainLine } from './plain-lines.js';
import { renderLive } from './render.js';
import { applyEvent, EMPTY_LIVE_STATE, type LiveState } from './state.js';

/** Receives a run's events and shows its progress. */
export interface LiveView {
  update(event: TaskforceEvent): void;
  /**
   * Prints a line of text that is not an event (e.g. "Ctrl-C: cancelling"). On a terminal it goes
   * above the tree, which is redrawn below it, so the in-place redraw never overwrites it.
   */
  message(text: string): void;
  /** Draws the final state and releases the terminal (cursor shown again). */
  finish(): void;
  /** The terminal changed size: lay the view out again for `width` (and `height`) and redraw it. */
  resize?(width: number, height?: number): void;
  readonly state: LiveState;
}

/** Where a view writes. */
export interface ViewOutput {
  write(text: string): void;
}

const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';
const CLEAR_TO_END = '\x1b[0J';

/**
 * The TTY view: redraws the whole tree in place (cursor up over the last drawing, clear, draw), at
 * most once per `intervalMs` so a burst of events costs one redraw. The first event draws at once.
 */
export function ttyView(
  output: ViewOutput,
  options: {
    readonly width: number;
    /** Terminal rows: the tree is cut to fit, since the cursor cannot move up past the top of the screen. */
    readonly height?: number;
    readonly clock: Clock;
    readonly intervalMs?: number;
    /** Colours for status marks and headings; default none. */
    readonly colours?: Colours;
  },
): LiveView {
  const interval = options.intervalMs ?? 100;
  let state = EMPTY_LIVE_STATE;
  let width = options.width;
  let height = options.height;
  let drawnLines = 0;
  /** The width on screen of each line of the last drawing, to count its rows again after a resize. */
  let drawnWidths: number[] = [];
  let lastDrawAt: number | undefined;
  let pending: AbortController | undefined;
  let finished = false;

  const draw = (before = '') => {
    pending = undefined;
    const lines = renderLive(state, {
      width,
      now: options.clock.now(),
      // One row is left for the cursor, and the rows `before` takes scroll the frame up.
      ...(height !== undefined ? { height: Math.max(3, height - 1 - rowsOf(before)) } : {}),
      ...(options.colours ? { colours: options.colours } : {}),
    });
    const up = drawnLines > 0 ? `\r\x1b[${drawnLines}A` : HIDE_CURSOR;
    output.write(`${up}${CLEAR_TO_END}${before}${lines.join('\n')}\n`);
    drawnLines = lines.length;
    drawnWidths = lines.map((line) => stripColour(line).length);
    lastDrawAt = options.clock.now();
  };
  const schedule = () => {
    if (pending || finished) return;
    const since = lastDrawAt === undefined ? Infinity : options.clock.now() - lastDrawAt;
    if (since >= interval) return draw();
    const controller = new AbortController();
    pending = controller;
    options.clock.sleep(interval - since, controller.signal).then(
      () => {
        if (pending === controller) draw();
      },
      // Aborted by finish(), which draws the final state itself.
      () => undefined,
    );
  };
  return {
    update(event) {
      state = applyEvent(state, event);
      schedule();
    },
    message(text) {
      if (finished || drawnLines === 0) return output.write(`${text}\n`);
      pending?.abort();
      draw(`${text}\n`);
    },
    finish() {
      if (finished) return;
      pending?.abort();
      draw();
      finished = true;
      output.write(SHOW_CURSOR);
    },
    resize(newWidth, newHeight) {
      if (finished) return;
      width = newWidth;
      height = newHeight;
      // A terminal that reflows its text on a resize wraps the last drawing's longer lines: move up
      // over the rows they take now, so the redraw starts where the drawing starts.
      // `viewFor` draws one column narrower than the terminal (see there), hence `+ 1`.
      const columns = newWidth + 1;
      if (drawnLines > 0) drawnLines = drawnWidths.reduce((rows, w) => rows + Math.max(1, Math.ceil(w / columns)), 0);
      pending?.abort();
      if (drawnLines > 0) draw();
    },
    get state() {
      return state;
    },
  };
}

function rowsOf(text: string): number {
  return text === '' ? 0 : text.split('\n').length - 1;
}

/** The plain view for pipes and logs: one line per notable event, nothing redrawn. */
export function plainView(output: ViewOutput): LiveView {
  let state = EMPTY_LIVE_STATE;
  return {
    update(event) {
      state = applyEvent(state, event);
      const line = plainLine(event, state);
      if (line !== undefined) output.write(`${line}\n`);
    },
    message(text) {
      output.write(`${text}\n`);
    },
    finish() {},
    get state() {
      return state;
    },
  };
}
