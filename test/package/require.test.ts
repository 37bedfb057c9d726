import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli/cli-process.js';

// The package resolved by its own name, as an app would resolve it (Node lets a package refer to itself
// through its "exports"), under require() — which the package, ESM only, answers with a clear error.
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; exports: Record<string, Record<string, string>> };
const requireHere = createRequire(join(ROOT, 'test', 'package', 'app.cjs'));

describe("require() of the package", () => {
  it.each(['', '/testing', '/observe'])('%s throws an error saying the package is ESM only and how to import it', (subpath) => {
    let thrown: unknown;
    try {
      requireHere(`${pkg.name}${subpath}`);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).toMatchObject({ code: 'ERR_REQUIRE_ESM' });
    expect((thrown as Error).message).toContain(`${pkg.name} is an ES module package and cannot be loaded with require()`);
    expect((thrown as Error).message).toContain(`await import('${pkg.name}')`);
  });

  it('keeps the import condition first, so import() never reaches the CommonJS stub', () => {
    for (const entry of ['.', './testing', './observe']) {
      const conditions = Object.keys(pkg.exports[entry]!);
      expect(conditions.indexOf('import')).toBeLessThan(conditions.indexOf('require'));
    }
  });
});
