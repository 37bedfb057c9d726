import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, isErrorCode } from './codes.js';

// src/errors sits below every other folder, so this test cannot import their error classes; it reads
// the source instead. The compiler already rejects a code outside ERROR_CODES (`code` is `ErrorCode`);
// this keeps the list honest in the other direction too (no code listed that nothing throws).

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && path !== 'src/errors/codes.ts' ? [path] : [];
  });
}

const files = [...sources('src'), ...sources('strategies')].map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));

/** Codes passed to a TaskforceError constructor: `super('CODE', …)` in a subclass, or `new XError('CODE', …)`. */
const CODE_ARGUMENT = /(?:\bsuper|\bnew\s+\w*Error)\(\s*'([A-Z][A-Z0-9_]*)'/g;
const used = new Map<string, string[]>();
for (const { path, text } of files)
  for (const match of text.matchAll(CODE_ARGUMENT)) used.set(match[1]!, [...(used.get(match[1]!) ?? []), path]);

describe('ERROR_CODES', () => {
  it('finds the codes in the source (the scan works)', () => {
    expect(used.get('BUDGET_EXCEEDED')).toEqual(['src/errors/budget-errors.ts']);
    expect(used.get('CONVERGENCE_EMPTY_ROUND')).toBeDefined();
    expect(used.get('UNKNOWN_STRATEGY')).toEqual(['strategies/errors.ts']);
    expect(used.size).toBeGreaterThan(30);
  });

  it('lists every code a Taskforce error is constructed with', () => {
    const missing = [...used].filter(([code]) => !isErrorCode(code)).map(([code, paths]) => `${code} (${paths.join(', ')})`);
    expect(missing).toEqual([]);
  });

  it('lists no code that nothing throws', () => {
    expect(ERROR_CODES.filter((code) => !used.has(code))).toEqual([]);
  });

  it('gives each subclass of TaskforceError a code', () => {
    const subclasses = files.filter((f) => /\bextends TaskforceError\b/.test(f.text));
    const withoutCode = subclasses.filter((f) => ![...f.text.matchAll(CODE_ARGUMENT)].length && !/\bsuper\(code\b/.test(f.text)).map((f) => f.path);
    expect(subclasses.length).toBeGreaterThan(15);
    expect(withoutCode).toEqual([]);
  });

  it('has each code once, in SCREAMING_SNAKE_CASE', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    for (const code of ERROR_CODES) expect(code).toMatch(/^[A-Z][A-Z0-9_]*$/);
    expect(isErrorCode('TASK_ERROR')).toBe(false);
    expect(isErrorCode(42)).toBe(false);
  });
});
