import { TaskforceError } from '../errors/taskforce-error.js';
import { modelFromEnvironment, resolveModelSource, type ModelSource, type ResolvedModelSource } from '../eval/model-source.js';
import { stringFlag, type FlagSpec, type ParsedArgs } from './args.js';
import { UsageError } from './errors.js';
import type { CliIo } from './io.js';
import { noModelHelp } from './no-model.js';

/** The flags that choose a model, shared by every command that calls one. */
export const MODEL_FLAGS = {
  model: { type: 'string' },
  scripted: { type: 'string' },
  cassette: { type: 'string' },
} as const satisfies FlagSpec;

/** Help lines for `MODEL_FLAGS`. */
export const MODEL_FLAGS_HELP = [
  '  --model SPEC        provider:model, e.g. anthropic:claude-haiku-4-5, openai:gpt-5-mini',
  '                      (default: TASKFORCE_MODEL, else a default model for ANTHROPIC_API_KEY / OPENAI_API_KEY)',
  '  --scripted FILE     offline: scripted replies written by hand (.json, .yaml, .mjs)',
  '  --cassette FILE     offline: replay a JSONL cassette (its header says recorded or scripted)',
].join('\n');

/** No model flag and nothing in the environment: the message is the full setup guide. */
export class NoModelError extends TaskforceError {
  constructor(command: string) {
    super('NO_MODEL', noModelHelp(command));
  }
}

/** The model source the flags name, else the environment's, else undefined. */
export function modelSourceOf(parsed: ParsedArgs, env: NodeJS.ProcessEnv, usage: string): ModelSource | undefined {
  const fromFlags = modelSourceFromFlags(parsed, usage);
  if (fromFlags) return fromFlags;
  const fromEnv = modelFromEnvironment(env);
  return fromEnv !== undefined ? { kind: 'spec', spec: fromEnv } : undefined;
}

/** The model source `--model`, `--scripted` or `--cassette` names (at most one of them), else undefined. */
export function modelSourceFromFlags(parsed: ParsedArgs, usage: string): ModelSource | undefined {
  const given = (['model', 'scripted', 'cassette'] as const).filter((name) => stringFlag(parsed, name) !== undefined);
  if (given.length > 1) throw new UsageError(`use only one of ${given.map((n) => `--${n}`).join(', ')}`, usage);
  const spec = stringFlag(parsed, 'model');
  if (spec !== undefined) return { kind: 'spec', spec };
  const scripted = stringFlag(parsed, 'scripted');
  if (scripted !== undefined) return { kind: 'scripted', path: scripted };
  const cassette = stringFlag(parsed, 'cassette');
  if (cassette !== undefined) return { kind: 'cassette', path: cassette };
  return undefined;
}

/** Resolves the model for `command`, or throws `NoModelError` with the setup guide. */
export async function resolveCliModel(command: string, parsed: ParsedArgs, io: CliIo, usage: string): Promise<ResolvedModelSource> {
  return resolveCliModelSource(command, modelSourceOf(parsed, io.env, usage), io);
}

/** Resolves `source` (file paths relative to `io.cwd`), or throws `NoModelError` for `command` when there is none. */
export async function resolveCliModelSource(command: string, source: ModelSource | undefined, io: CliIo): Promise<ResolvedModelSource> {
  if (!source) throw new NoModelError(command);
  return resolveModelSource(source, { env: io.env, baseDir: io.cwd });
}
