import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';

/** The flags of one command, in `util.parseArgs` form (`--help` is added to every command). */
export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

/** A command's flags and positionals as parsed. */
export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | string[] | boolean[] | undefined>>;
  readonly positionals: readonly string[];
  /** `--help` / `-h` was given: print the help, ignore the rest. */
  readonly help: boolean;
}

/**
 * Parses `args` strictly against `flags`. Every problem node's parser reports (unknown flag, a
 * string flag without a value, ...) becomes a `UsageError` carrying `usage`, so the CLI can print
 * what was wrong and then how to call the command.
 */
export function parseCommandArgs(args: readonly string[], flags: FlagSpec, usage: string): ParsedArgs {
  // `--help` anywhere wins, even next to a flag the command does not know.
  if (args.includes('--help') || args.includes('-h')) return { values: {}, positionals: [], help: true };
  try {
    const { values, positionals } = parseArgs({ args: withNegativeValues(args, flags), options: flags, strict: true, allowPositionals: true });
    return { values: values as ParsedArgs['values'], positionals, help: false };
  } catch (error) {
    throw new UsageError(cleanParseMessage(error), usage);
  }
}

/**
 * `--flag -1` as `--flag=-1` for a flag that takes a value. Node's parser takes a value that starts with
 * a dash for a flag ("argument is ambiguous"); a negative number is a value, which the flag's own check
 * then accepts or refuses with a reason (`--budget-usd must be a number >= 0, got "-1"`).
 */
function withNegativeValues(args: readonly string[], flags: FlagSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    // After `--` everything is a positional, taken as written.
    if (arg === '--') return [...out, ...args.slice(i)];
    const next = args[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name !== undefined && flags[name]?.type === 'string' && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** Node's messages end with advice about `--`, which reads oddly in our CLI; keep the first sentence. */
function cleanParseMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .split(/\.?\s*To specify/)[0]!
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\.$/, '');
}

/** A string flag's value, or undefined. */
export function stringFlag(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A repeatable string flag's values (empty when absent). */
export function stringList(parsed: ParsedArgs, name: string): string[] {
  const value = parsed.values[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : [];
}

/** A boolean flag. */
export function booleanFlag(parsed: ParsedArgs, name: string): boolean {
  return parsed.values[name] === true;
}

/**
 * A numeric flag: absent → undefined; anything that is not a finite number in range is a
 * `UsageError` naming the flag and the value given.
 */
export function numberFlag(
  parsed: ParsedArgs,
  name: string,
  usage: string,
  rule: { readonly integer?: boolean; readonly min?: number; readonly max?: number } = {},
): number | undefined {
  const raw = stringFlag(parsed, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const wanted = [
    rule.integer ? 'an integer' : 'a number',
    rule.min !== undefined ? `>= ${rule.min}` : '',
    rule.max !== undefined ? `<= ${rule.max}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const ok =
    raw.trim() !== '' &&
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.min === undefined || value >= rule.min) &&
    (rule.max === undefined || value <= rule.max);
  if (!ok) throw new UsageError(`--${name} must be ${wanted}, got "${raw}"`, usage);
  return value;
}

/**
 * Exactly the positionals a command takes: too few names the first missing one, too many shows the
 * extras (a forgotten pair of quotes around a goal is the usual cause, so the message says so).
 */
export function requirePositionals(parsed: ParsedArgs, names: readonly string[], usage: string): string[] {
  const given = parsed.positionals;
  if (given.length < names.length) throw new UsageError(`missing argument <${names[given.length]!}>`, usage);
  if (given.length > names.length) {
    const extra = given.slice(names.length).map((a) => JSON.stringify(a)).join(' ');
    throw new UsageError(`unexpected argument(s) ${extra} (put a goal or prompt with spaces in quotes)`, usage);
  }
  return [...given];
}
