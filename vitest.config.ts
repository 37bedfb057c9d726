import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'strategies/**/*.test.ts', 'test/**/*.test.ts', 'evals/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Test files share their worker's module cache instead of importing the SDKs, zod and src/ again
    // for each of them: importing was most of the suite's time. A test that changes the process
    // (process.env, console, the working directory) puts it back in an after hook; env stubs and
    // spies are undone after every test below. `npx vitest run --isolate` runs each file alone.
    isolate: false,
    unstubEnvs: true,
    restoreMocks: true,
  },
});
