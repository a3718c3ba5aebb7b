import { defineConfig } from 'vitest/config';

/**
 * Test folders whose files leave no state behind in the process (no tfjs backend or kernel set, no
 * registry changed, no environment variable kept). They run first, in 2 threads that each keep one module
 * graph for all their files (`isolate: false`): a fresh worker per file re-imports the sources each time,
 * about 1.5 s of CPU a file (test/check and test/lang: 99 s of CPU isolated, 35 s shared). Every other
 * folder runs after them in 2 forks, a new process per file: test/ml and test/run fail when shared (tfjs
 * backends and kernel registrations carry over from file to file), and the end-to-end, CLI, queue and
 * server tests change process-wide things. Two pools because vitest decides a fork's reuse per pool, not
 * per project. A folder joins this list only after `npx vitest run --project shared` passes with it.
 */
const SHARED = [
  'api',
  'attacks',
  'audit',
  'check',
  'data',
  'defenses',
  'kinds',
  'lang',
  'lsp',
  'metrics',
  'pipeline',
  'plan',
  'report',
  'structure',
  'ui',
  'util',
].map((d) => `test/${d}/**/*.test.ts`);

export default defineConfig({
  test: {
    setupFiles: ['test/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The shared folders run first in 2 threads of one process, then the rest in 2 forks, a fork per file.
    poolOptions: { threads: { maxThreads: 2, minThreads: 1, isolate: false }, forks: { maxForks: 2, minForks: 1 } },
    projects: [
      { extends: true, test: { name: 'shared', include: SHARED, pool: 'threads', sequence: { groupOrder: 0 } } },
      {
        extends: true,
        test: {
          name: 'isolated',
          include: ['test/**/*.test.ts'],
          exclude: SHARED,
          pool: 'forks',
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
