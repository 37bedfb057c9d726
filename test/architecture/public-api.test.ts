import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from './import-graph.js';

/** The package's entry points, as `package.json` `exports` names them, and their source files. */
const ENTRY_POINTS = { 'taskforce-agents': 'src/index.ts', 'taskforce-agents/testing': 'src/testing/index.ts', 'taskforce-agents/observe': 'src/observe/index.ts' } as const;
const REPORT = join(ROOT, 'api', 'taskforce.api.md');

/** Every name an entry point exports, as `value name` or `type name`, sorted. */
function exportedNames(program: ts.Program, file: string): string[] {
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(join(ROOT, file))!)!;
  return checker
    .getExportsOfModule(module)
    .map((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return `${target.flags & ts.SymbolFlags.Value ? 'value' : 'type '} ${symbol.name}`;
    })
    .sort((a, b) => a.slice(6).localeCompare(b.slice(6)));
}

function report(): string {
  const program = ts.createProgram(
    Object.values(ENTRY_POINTS).map((file) => join(ROOT, file)),
    { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, skipLibCheck: true, noEmit: true },
  );
  const sections = Object.entries(ENTRY_POINTS).map(([name, file]) => {
    const names = exportedNames(program, file);
    return [`## ${name}`, '', `${names.length} names (${names.filter((n) => n.startsWith('value')).length} values)`, '', '```', ...names, '```', ''].join('\n');
  });
  return [
    '# Public API report',
    '',
    'Every name the package exports. `test/architecture/public-api.test.ts` fails when the source exports',
    'something else; after a deliberate change, regenerate this file with',
    '`UPDATE_API_REPORT=1 npx vitest run test/architecture/public-api.test.ts` and review the diff.',
    '',
    ...sections,
  ].join('\n');
}

describe('the public API', () => {
  it('is exactly the checked-in report (api/taskforce.api.md)', () => {
    const actual = report();
    if (process.env.UPDATE_API_REPORT) writeFileSync(REPORT, actual);
    expect(actual).toBe(readFileSync(REPORT, 'utf8'));
  }, 60_000);

  it('is named one by one: no `export *` in an entry point', () => {
    for (const file of Object.values(ENTRY_POINTS)) expect(readFileSync(join(ROOT, file), 'utf8')).not.toMatch(/^export \* from/m);
  });
});
