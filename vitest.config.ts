import { defineConfig } from 'vitest/config';

const exclude = ['**/node_modules/**', '.tools/**', '.stack/**'];

// One project per test tier (docs/architecture.md, Conventions): the filename says a test's tier.
export default defineConfig({
  test: {
    projects: [
      { extends: true, test: { name: 'unit', include: ['**/*.unit.test.ts'], exclude } },
      {
        extends: true,
        test: {
          name: 'int',
          include: ['**/*.int.test.ts'],
          exclude,
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // Real servers on a 2-core machine: one file at a time keeps timings sane.
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['**/*.e2e.test.ts'],
          exclude,
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          // Issue 15: the whole system as processes on a three-node cluster of its own, with faults.
          name: 'faults',
          include: ['test/faults/*.faults.test.ts'],
          exclude,
          testTimeout: 3_600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
