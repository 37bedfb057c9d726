import { describe, expect, it } from 'vitest';
import { importCycles, importsOf, layerOf, LAYERS, sourceFiles, upwardImports } from './import-graph.js';

const files = sourceFiles();

describe('the layers of docs/architecture.md', () => {
  it('place every source file in a layer', () => {
    expect(files.filter((file) => layerOf(file) === undefined)).toEqual([]);
  });

  it('import only downward: no file imports a folder above its own (type-only imports included)', () => {
    const up = upwardImports(files).map((edge) => `${edge.from}:${edge.line} imports ${edge.to} (${layerOf(edge.from)} → ${layerOf(edge.to)})`);
    expect(up).toEqual([]);
  });

  it('have no import cycle between files', () => {
    expect(importCycles(files.filter((file) => !file.endsWith('.test.ts')))).toEqual([]);
  });

  it('are read from the real imports: a probe that imports upward is caught', () => {
    // The checker itself must see type-only imports and re-exports, or the two tests above prove nothing.
    const loop = importsOf('src/agents/loop.ts').map((edge) => edge.to);
    expect(loop).toContain('src/agents/types.ts');
    expect(loop.some((to) => to.startsWith('src/tools/'))).toBe(true);
    const index = importsOf('src/index.ts').map((edge) => layerOf(edge.to));
    expect(new Set(index).size).toBeGreaterThan(LAYERS.length / 2);
  });
});
