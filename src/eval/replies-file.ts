import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { ScriptedReply, ScriptFn } from '../model/scripted.js';
import { RepliesFileError } from './errors.js';

/** Scripted replies as loaded from a file, ready for `{ provider: 'scripted', ...replies }`. */
export interface RepliesFile {
  readonly path: string;
  /** In call order, or a function of the request (only `.mjs` / `.js` files can hold one). */
  readonly replies: readonly ScriptedReply[] | ScriptFn;
  readonly latencyMs?: number;
  readonly modelId?: string;
  /** What the replies are for, shown to the user next to the notice that they are scripted. */
  readonly description?: string;
}

/**
 * Loads scripted replies for the scripted model from:
 * - `.json` / `.yaml` / `.yml`: a list of replies, or `{ replies, latencyMs?, modelId?, description? }`;
 * - `.mjs` / `.js`: a module whose default export (or named exports) has that shape; `replies` may be
 *   a function `(request, callIndex) => reply`, which is how a reply can depend on the prompt.
 *
 * Replies written this way are scripted, never recorded: whatever shows them must say so.
 */
export async function loadRepliesFile(path: string, baseDir: string = process.cwd()): Promise<RepliesFile> {
  const absolute = resolve(baseDir, path);
  const ext = extname(absolute).toLowerCase();
  let data: unknown;
  if (ext === '.mjs' || ext === '.js') {
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
    } catch (error) {
      throw new RepliesFileError(path, `cannot import the module (${(error as Error).message})`, { cause: error });
    }
    data = module.default ?? module;
  } else if (ext === '.json' || ext === '.yaml' || ext === '.yml') {
    let text: string;
    try {
      text = await readFile(absolute, 'utf8');
    } catch (error) {
      throw new RepliesFileError(path, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
    }
    try {
      data = ext === '.json' ? JSON.parse(text) : parseYaml(text);
    } catch (error) {
      throw new RepliesFileError(path, `invalid ${ext === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message}`, { cause: error });
    }
  } else {
    throw new RepliesFileError(path, `unsupported extension "${ext}": use .json, .yaml, .yml, .mjs or .js`);
  }
  return repliesFrom(data, path);
}

/** Checks the shape of loaded replies data (`source` names where it came from in errors). */
export function repliesFrom(data: unknown, source: string): RepliesFile {
  const shaped = Array.isArray(data) || typeof data === 'function' ? { replies: data } : data;
  if (typeof shaped !== 'object' || shaped === null)
    throw new RepliesFileError(source, 'expected a list of replies or an object with "replies"');
  const { replies, latencyMs, modelId, description } = shaped as Record<string, unknown>;
  if (!Array.isArray(replies) && typeof replies !== 'function')
    throw new RepliesFileError(source, '"replies" must be a list of replies or a function (request, callIndex) => reply');
  if (Array.isArray(replies))
    replies.forEach((reply, i) => {
      if (typeof reply !== 'string' && (typeof reply !== 'object' || reply === null))
        throw new RepliesFileError(source, `replies[${i}] must be a string or an object like { text, toolCalls }`);
    });
  if (latencyMs !== undefined && !(typeof latencyMs === 'number' && latencyMs >= 0))
    throw new RepliesFileError(source, `"latencyMs" must be a non-negative number, got ${JSON.stringify(latencyMs)}`);
  if (modelId !== undefined && typeof modelId !== 'string') throw new RepliesFileError(source, '"modelId" must be a string');
  if (description !== undefined && typeof description !== 'string') throw new RepliesFileError(source, '"description" must be a string');
  return {
    path: source,
    replies: replies as RepliesFile['replies'],
    ...(latencyMs !== undefined ? { latencyMs: latencyMs as number } : {}),
    ...(modelId !== undefined ? { modelId: modelId as string } : {}),
    ...(description !== undefined ? { description: description as string } : {}),
  };
}
