import type { CliStream } from './io.js';

/** A way to paint text; identity when colour is off. */
export type Paint = (text: string) => string;

/** The few styles the CLI uses: status marks and headings, nothing else. */
export interface Colours {
  /** Whether these paint at all (false: every style returns its text unchanged). */
  readonly enabled: boolean;
  readonly green: Paint;
  readonly red: Paint;
  readonly yellow: Paint;
  readonly cyan: Paint;
  readonly dim: Paint;
  readonly bold: Paint;
}

const sgr =
  (open: number, close: number): Paint =>
  (text) =>
    text === '' ? text : `\x1b[${open}m${text}\x1b[${close}m`;

const identity: Paint = (text) => text;

/** No colour: what pipes, files and tests get. */
export const NO_COLOURS: Colours = Object.freeze({
  enabled: false,
  green: identity,
  red: identity,
  yellow: identity,
  cyan: identity,
  dim: identity,
  bold: identity,
});

const COLOURS: Colours = Object.freeze({
  enabled: true,
  green: sgr(32, 39),
  red: sgr(31, 39),
  yellow: sgr(33, 39),
  cyan: sgr(36, 39),
  dim: sgr(2, 22),
  bold: sgr(1, 22),
});

/**
 * Whether to colour what goes to `stream`, by the conventions other CLIs follow:
 * `FORCE_COLOR` set to anything but `0`/`false` turns colour on (even into a pipe, as Node's own
 * `FORCE_COLOR` does, and it wins over `NO_COLOR`), `FORCE_COLOR=0` turns it off; otherwise a
 * non-empty `NO_COLOR` (no-color.org), a stream that is not a TTY, or `TERM=dumb` turn it off.
 */
export function colourEnabled(stream: Pick<CliStream, 'isTTY'>, env: NodeJS.ProcessEnv): boolean {
  const force = env.FORCE_COLOR?.trim().toLowerCase();
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** The colours for `stream`: real ones, or identity functions when colour is off (see `colourEnabled`). */
export function colourFor(stream: Pick<CliStream, 'isTTY'>, env: NodeJS.ProcessEnv): Colours {
  return colourEnabled(stream, env) ? COLOURS : NO_COLOURS;
}

/** `text` without the colour codes `Colours` add, e.g. to measure its width on screen. */
export function stripColour(text: string): string {
  return text.replace(/\x1b\[\d+m/g, '');
}
