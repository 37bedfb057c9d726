import { resolve } from 'node:path';
import { ConfigError } from '../errors/taskforce-error.js';
import { readCassette } from '../model/cassette/file.js';
import type { ScriptedReply, ScriptFn } from '../model/scripted.js';
import { resolveModelSpec, type ModelEnv, type ModelSpec } from '../model/spec.js';
import type { RuntimeModelOptions } from '../runtime/model-factory.js';
import { loadRepliesFile, type RepliesFile } from './replies-file.js';

/**
 * Where a run's model replies come from:
 * - `spec`: a real provider (`"anthropic:claude-haiku-4-5"`);
 * - `scripted`: a replies file (`.json`/`.yaml`/`.mjs`) for the scripted model;
 * - `replies`: scripted replies given inline (eval suites);
 * - `cassette`: a JSONL cassette replayed offline (its header says whether it was recorded or scripted).
 */
export type ModelSource =
  | { readonly kind: 'spec'; readonly spec: string }
  | { readonly kind: 'scripted'; readonly path: string }
  | {
      readonly kind: 'replies';
      readonly replies: readonly ScriptedReply[] | ScriptFn;
      readonly latencyMs?: number;
      readonly modelId?: string;
    }
  | { readonly kind: 'cassette'; readonly path: string };

/** Where the replies of a resolved source really come from; shown to the user, never blurred. */
export type Provenance = 'live' | 'scripted' | 'recorded';

/** A model source turned into runtime config, with a plain statement of where its replies come from. */
export interface ResolvedModelSource {
  readonly model: ModelSpec;
  readonly modelOptions?: RuntimeModelOptions;
  readonly provenance: Provenance;
  /** e.g. `anthropic:claude-haiku-4-5`, `scripted (examples/demo/replies.mjs)`. */
  readonly label: string;
  /** One sentence for the user, e.g. "Replies are scripted (written by hand), not from a real model." */
  readonly notice: string;
}

// One resolution for the CLI and bare `Task()`: it lives in the model layer, re-exported here for eval users.
export { DEFAULT_MODEL_FOR_KEY, modelFromEnvironment } from '../model/model-from-env.js';

/**
 * Resolves a model source against the environment. File paths are relative to `baseDir`. A spec is
 * checked at once (its form, and the API key it needs), so a misconfiguration is reported before
 * anything runs rather than on the first model call. A cassette
 * is replayed with the provider and model recorded in it; a provider key it would need is filled with
 * a placeholder, since replay never calls the provider.
 */
export async function resolveModelSource(
  source: ModelSource,
  options: { readonly env: ModelEnv; readonly baseDir: string },
): Promise<ResolvedModelSource> {
  switch (source.kind) {
    case 'spec':
      // Throws a ConfigError naming the missing key or the malformed spec.
      resolveModelSpec(source.spec, options.env);
      return {
        model: source.spec,
        modelOptions: { env: options.env },
        provenance: 'live',
        label: source.spec,
        notice: `Model: ${source.spec} (live calls to the provider).`,
      };
    case 'scripted': {
      const file = await loadRepliesFile(source.path, options.baseDir);
      return scriptedSource(file, `scripted (${source.path})`);
    }
    case 'replies':
      return scriptedSource({ path: 'inline', ...source }, 'scripted (inline replies)');
    case 'cassette':
      return cassetteSource(resolve(options.baseDir, source.path), source.path, options.env);
  }
}

function scriptedSource(file: RepliesFile, label: string): ResolvedModelSource {
  return {
    model: {
      provider: 'scripted',
      replies: file.replies,
      ...(file.latencyMs !== undefined ? { latencyMs: file.latencyMs } : {}),
      ...(file.modelId !== undefined ? { modelId: file.modelId } : {}),
    },
    provenance: 'scripted',
    label,
    notice:
      `Replies are SCRIPTED: written by hand in ${file.path}, not produced by a real model` +
      (file.description ? ` (${file.description}).` : '.'),
  };
}

async function cassetteSource(absolute: string, shown: string, env: ModelEnv): Promise<ResolvedModelSource> {
  const cassette = await readCassette(absolute);
  const first = cassette.entries[0];
  if (!first) throw new ConfigError(`cassette ${shown} has no entries to replay`);
  const placeholderEnv = { ...env, ANTHROPIC_API_KEY: env.ANTHROPIC_API_KEY || 'replay-only', OPENAI_API_KEY: env.OPENAI_API_KEY || 'replay-only' };
  let model: ModelSpec;
  if (first.provider === 'anthropic' || first.provider === 'openai') model = `${first.provider}:${first.model}`;
  // A cassette of the scripted model (or another adapter) replays without its provider ever being called.
  else model = { provider: 'scripted', replies: [], modelId: first.model };
  const recorded = cassette.header.source === 'recorded';
  return {
    model,
    modelOptions: { env: placeholderEnv, cassette: { mode: 'replay', path: absolute } },
    provenance: recorded ? 'recorded' : 'scripted',
    label: `cassette (${shown})`,
    notice: recorded
      ? `Replies are REPLAYED from ${shown}, recorded from ${first.provider}:${first.model}; no model is called.`
      : `Replies are SCRIPTED: replayed from ${shown}, a cassette written by hand or by a script, not recorded from a real model.`,
  };
}
