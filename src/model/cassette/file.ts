import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { z } from 'zod';
import type { ProviderRequest } from '../types.js';
import { CassetteFileError } from './errors.js';
import { CassetteEntry, CassetteHeader, CASSETTE_SCHEMA_VERSION } from './format.js';
import { canonicalJson, requestHash } from './hash.js';

/** A cassette read from disk; every entry has its `hash`. */
export interface Cassette {
  readonly path: string;
  readonly header: CassetteHeader;
  readonly entries: readonly (CassetteEntry & { readonly hash: string })[];
}

/** Parses cassette text. Errors name `path` and the 1-based line. */
export function parseCassette(text: string, path: string): Cassette {
  const lines = text.split('\n');
  const first = lines[0]?.trim();
  if (!first) throw new CassetteFileError(path, 1, 'the file is empty; the first line must be the cassette header');
  const header = parseLine(first, 1, path, CassetteHeader, 'header');
  const entries: (CassetteEntry & { hash: string })[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]?.trim();
    if (!line) continue;
    const entry = parseLine(line, i + 1, path, CassetteEntry, 'entry');
    const hash = entry.hash ?? requestHash({ provider: entry.provider, modelId: entry.model }, entry.request as unknown as ProviderRequest);
    entries.push({ ...entry, hash });
  }
  return { path, header, entries };
}

function parseLine<S extends z.ZodType>(line: string, lineNo: number, path: string, schema: S, what: string): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    throw new CassetteFileError(path, lineNo, `not JSON (${(error as Error).message})`, { cause: error });
  }
  if (what === 'header') {
    const version = (json as { $schemaVersion?: unknown } | null)?.$schemaVersion;
    if (typeof version === 'number' && version !== CASSETTE_SCHEMA_VERSION)
      throw new CassetteFileError(path, lineNo, `$schemaVersion ${version} is not supported (this version reads ${CASSETTE_SCHEMA_VERSION})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
    throw new CassetteFileError(path, lineNo, `invalid ${what}: ${issues.join('; ')}`);
  }
  return parsed.data;
}

/** Reads and checks a whole cassette. A missing file is a `CassetteFileError` naming it. */
export async function readCassette(path: string): Promise<Cassette> {
  return parseCassette(await readText(path), path);
}

/** Reads only the header of a cassette: e.g. to tell whether a demo replays recorded or scripted replies. */
export async function readCassetteHeader(path: string): Promise<CassetteHeader> {
  const text = await readText(path);
  const end = text.indexOf('\n');
  return parseCassette(end < 0 ? text : text.slice(0, end), path).header;
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const problem = code === 'ENOENT' ? 'file not found (record it first with mode "record")' : `cannot be read (${code ?? String(error)})`;
    throw new CassetteFileError(path, undefined, problem, { cause: error });
  }
}

/** One JSONL line (no newline). */
export function serializeLine(value: CassetteHeader | CassetteEntry): string {
  return canonicalJson(value);
}

/** Writes a whole cassette, replacing the file: for scripted cassettes built in code. */
export async function writeCassette(path: string, cassette: { header: CassetteHeader; entries: readonly CassetteEntry[] }): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const lines = [cassette.header, ...cassette.entries].map(serializeLine);
  await writeFile(path, lines.join('\n') + '\n', 'utf8');
}

/**
 * Makes sure `path` is a cassette: writes `header` if the file is missing or empty, else checks the
 * header that is there (so we never append to something that is not a cassette) and that the file
 * ends with a newline. Returns the header in the file.
 */
export async function ensureCassetteHeader(path: string, header: CassetteHeader): Promise<CassetteHeader> {
  let existing: string | undefined;
  try {
    existing = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw new CassetteFileError(path, undefined, 'cannot be read', { cause: error });
  }
  if (existing === undefined) {
    await mkdir(dirname(path), { recursive: true });
    try {
      // Exclusive create: two recorders starting on one new file must not both write a header.
      await writeFile(path, serializeLine(header) + '\n', { encoding: 'utf8', flag: 'wx' });
      return header;
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw new CassetteFileError(path, undefined, 'cannot be written', { cause: error });
      existing = await readFile(path, 'utf8');
    }
  }
  if (!existing.trim()) {
    await writeFile(path, serializeLine(header) + '\n', 'utf8');
    return header;
  }
  const end = existing.indexOf('\n');
  const found = parseCassette(end < 0 ? existing : existing.slice(0, end), path).header;
  if (!existing.endsWith('\n')) await appendFile(path, '\n', 'utf8');
  return found;
}

/** Appends entries to a cassette whose header is in place (see `ensureCassetteHeader`). */
export async function appendCassetteEntries(path: string, entries: readonly CassetteEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await appendFile(path, entries.map(serializeLine).join('\n') + '\n', 'utf8');
}
