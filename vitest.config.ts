import { defineConfig } from 'vitest/config';

const TESTS = ['src/**/*.test.ts', 'strategies/**/*.test.ts', 'test/**/*.test.ts', 'evals/**/*.test.ts'];

// Files that leave their worker slower for every file after them, so they run alone: the limits
// check creates 1,000 runtimes, each with an AsyncLocalStorage (runtime/work-scope.ts) that is never
// disabled, and on Node 20 every live one adds to the cost of each promise made afterwards.
const RUN_ALONE = ['test/limits/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // One worker per core (vitest's default leaves one core to its main process, which has little
    // to do once files share their modules): on 2 cores, 2 workers took about a third less time.
    maxWorkers: '100%',
    // Env stubs and spies are undone after every test, so none reaches the next file in the worker.
    unstubEnvs: true,
    restoreMocks: true,
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: TESTS,
          exclude: RUN_ALONE,
          // Test files share their worker's module cache instead of importing the SDKs, zod and src/
          // again each: importing was most of the suite's time. A test that changes the process
          // (process.env, the working directory) puts it back in an after hook.
          // `npx vitest run --isolate` runs every file alone, as a check.
          isolate: false,
        },
      },
      { extends: true, test: { name: 'alone', include: RUN_ALONE, isolate: true } },
    ],
  },
});
