import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { EvalSuiteError } from './errors.js';
import { SuiteSpec, type LoadedSuite } from './types.js';
import { issueMessage } from '../util/zod-issues.js';
import { yamlData } from '../util/yaml-data.js';

const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts']);

/**
 * Loads an eval suite and checks its shape:
 * - `.yaml` / `.yml` / `.json`: declarative checks (errors name the field and, for YAML, the line);
 * - `.mjs` / `.js`: a module whose default export is the suite (`defineSuite({...})`), so checks may
 *   be functions and schemas zod;
 * - `.ts`: imported when a TypeScript loader is active (vitest, `tsx`); plain node cannot, and the
 *   error says how to run it.
 */
export async function loadSuite(path: string, baseDir: string = process.cwd()): Promise<LoadedSuite> {
  const file = resolve(baseDir, path);
  const ext = extname(file).toLowerCase();
  let data: unknown;
  let lineOf: (at: readonly PropertyKey[]) => number | undefined = () => undefined;
  if (ext === '.yaml' || ext === '.yml' || ext === '.json') {
    const text = await readText(file, path);
    if (ext === '.json') {
      try {
        data = JSON.parse(text);
      } catch (error) {
        throw new EvalSuiteError(path, `invalid JSON: ${(error as Error).message}`, { cause: error });
      }
    } else {
      const lines = new LineCounter();
      const document = parseDocument(text, { lineCounter: lines });
      if (document.errors.length > 0) {
        const first = document.errors[0]!;
        throw new EvalSuiteError(path, `invalid YAML at line ${lines.linePos(first.pos[0]).line}: ${first.message.split('\n')[0]}`);
      }
      const read = yamlData(document);
      if (!read.ok) throw new EvalSuiteError(path, read.reason, { cause: read.error });
      data = read.data;
      lineOf = (at) => {
        const node = document.getIn(at as unknown[], true);
        return isNode(node) && node.range ? lines.linePos(node.range[0]).line : undefined;
      };
    }
  } else if (ext === '.mjs' || ext === '.js' || TS_EXTENSIONS.has(ext)) {
    data = await importSuite(file, path, ext);
  } else {
    throw new EvalSuiteError(path, `unsupported suite file "${ext}": use .yaml, .yml, .json, .mjs or .js (or .ts under tsx/vitest)`);
  }
  const parsed = SuiteSpec.safeParse(data);
  if (!parsed.success) throw new EvalSuiteError(path, describeIssues(parsed.error, lineOf));
  return { spec: parsed.data as LoadedSuite['spec'], file, baseDir: dirname(file) };
}

/**
 * A suite declared in code (`defineSuite({...})`) as the `LoadedSuite` `runSuite` takes: validated like
 * a suite file, with relative paths (scripted replies, cassettes) resolved against `baseDir`.
 * `runSuite` calls it itself when given a spec, so `runSuite(defineSuite({...}))` works.
 */
export function suiteFromSpec(spec: unknown, baseDir: string = process.cwd()): LoadedSuite {
  const name = typeof (spec as { name?: unknown } | null)?.name === 'string' ? (spec as { name: string }).name : '(unnamed)';
  const shown = `defineSuite("${name}")`;
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
    throw new EvalSuiteError(shown, `a suite must be an object ({ name, cases, ... }) or what loadSuite returns, got ${spec === null ? 'null' : typeof spec}`);
  const parsed = SuiteSpec.safeParse(spec);
  if (!parsed.success) throw new EvalSuiteError(shown, describeIssues(parsed.error, () => undefined));
  return { spec: parsed.data as LoadedSuite['spec'], file: shown, baseDir: resolve(baseDir) };
}

async function importSuite(file: string, shown: string, ext: string): Promise<unknown> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (TS_EXTENSIONS.has(ext) && (code === 'ERR_UNKNOWN_FILE_EXTENSION' || code === 'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING'))
      throw new EvalSuiteError(
        shown,
        'plain node cannot import a TypeScript suite. Run the CLI under tsx (`npx tsx node_modules/taskforce-agents/dist/pkg/cli/main.js eval ' +
          `${shown}\`), import the suite in a vitest test and call runSuite(), or write it as .mjs`,
        { cause: error },
      );
    if (code === 'ERR_MODULE_NOT_FOUND' && (error as Error).message.includes(file))
      throw new EvalSuiteError(shown, 'no such file', { cause: error });
    throw new EvalSuiteError(shown, `cannot import the suite module: ${(error as Error).message}`, { cause: error });
  }
  if (module.default === undefined) throw new EvalSuiteError(shown, 'the module has no default export; write `export default defineSuite({...})`');
  return module.default;
}

async function readText(file: string, shown: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new EvalSuiteError(shown, code === 'ENOENT' ? 'no such file' : `cannot read the file (${code ?? String(error)})`, { cause: error });
  }
}

function describeIssues(error: z.ZodError, lineOf: (at: readonly PropertyKey[]) => number | undefined): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const at = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(root)';
      const line = lineOf(issue.path);
      return `${at}${line !== undefined ? ` (line ${line})` : ''}: ${issueMessage(issue)}`;
    })
    .join('; ');
}
