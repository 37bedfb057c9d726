import { TaskforceError } from '../../errors/taskforce-error.js';

/** A replayed call has no recorded answer in the cassette. */
export class CassetteMissError extends TaskforceError {
  readonly hash: string;
  readonly path: string;
  readonly entries: number;
  constructor(args: { hash: string; path: string; entries: number; model: string; preview: string }) {
    super(
      'CASSETTE_MISS',
      `no cassette entry matches request ${args.hash.slice(0, 12)} (${args.model}, last message: ${JSON.stringify(args.preview)}) ` +
        `in ${args.path} (${args.entries} ${args.entries === 1 ? 'entry' : 'entries'}); the request differs from every recorded one — ` +
        `record it again with mode "record"`,
    );
    this.hash = args.hash;
    this.path = args.path;
    this.entries = args.entries;
  }
}

/** A cassette file is missing, unreadable or malformed. Names the file and, when it applies, the line. */
export class CassetteFileError extends TaskforceError {
  readonly path: string;
  readonly line: number | undefined;
  constructor(path: string, line: number | undefined, problem: string, options?: { cause?: unknown }) {
    super('CASSETTE_INVALID', `cassette ${path}${line !== undefined ? `:${line}` : ''}: ${problem}`, options);
    this.path = path;
    this.line = line;
  }
}
