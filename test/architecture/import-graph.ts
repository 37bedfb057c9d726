import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The layers, lowest first. A file may import from its own folder and from folders listed before it,
 * never from one listed after it (type-only imports included). `docs/architecture.md` explains each.
 */
export const LAYERS = [
  'src/errors',
  'src/util',
  'src/store',
  'src/events',
  'src/observe',
  'src/model',
  'src/convergence',
  'src/tools',
  'src/mcp-client',
  'src/agents',
  'src/plan',
  'src/synthesis',
  'src/runtime',
  'strategies',
  'src/scheduler',
  'src/workflow',
  'src/durable',
  'src/orchestrate',
  'src/distributed',
  'src/api',
  'src/eval',
  'src/mcp',
  'src/cli',
  'src/testing',
  'src/index.ts',
] as const;

export type Layer = (typeof LAYERS)[number];

/** One import of a project file by another (both relative to the root). */
export interface ImportEdge {
  readonly from: string;
  readonly to: string;
  readonly line: number;
}

/** Every `.ts` file under the layered folders, colocated tests included, relative to the root. */
export function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) files.push(path);
    }
  };
  walk('src');
  walk('strategies');
  return files.sort();
}

/** The layer a file belongs to, or undefined for a file outside every layer. */
export function layerOf(file: string): Layer | undefined {
  return LAYERS.find((layer) => file === layer || file.startsWith(`${layer}/`));
}

/**
 * The relative imports of `file` (static, type-only, re-exports and dynamic `import()`), resolved to
 * project files. TypeScript's own pre-processor reads them, so comments and strings cannot fool it.
 */
export function importsOf(file: string): ImportEdge[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles
    .filter((ref) => ref.fileName.startsWith('.'))
    .map((ref) => {
      const target = relative(ROOT, resolve(ROOT, dirname(file), ref.fileName)).replace(/\.js$/, '.ts');
      return { from: file, to: target, line: ts.getLineAndCharacterOfPosition(ts.createSourceFile(file, text, ts.ScriptTarget.Latest), ref.pos).line + 1 };
    });
}

/** Imports that go up a layer: `from`'s layer is below `to`'s. */
export function upwardImports(files: readonly string[]): ImportEdge[] {
  const rank = (file: string) => LAYERS.indexOf(layerOf(file) as Layer);
  return files.flatMap((file) => importsOf(file).filter((edge) => layerOf(edge.to) !== undefined && rank(edge.to) > rank(file)));
}

/** Every import cycle among `files`, each as the list of files around it (Tarjan's strongly connected components). */
export function importCycles(files: readonly string[]): string[][] {
  const graph = new Map(files.map((file) => [file, [...new Set(importsOf(file).map((edge) => edge.to))].filter((to) => files.includes(to))]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (file: string) => {
    index.set(file, next);
    low.set(file, next);
    next += 1;
    stack.push(file);
    onStack.add(file);
    for (const to of graph.get(file) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(file, Math.min(low.get(file)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(file, Math.min(low.get(file)!, index.get(to)!));
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1 || graph.get(file)!.includes(file)) cycles.push(component.sort());
    }
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return cycles;
}
