import { defineConfig } from 'vitest/config';

/**
 * Four projects, one run (`npm test`):
 * - unit: pure logic, no I/O;
 * - integration: DynamoDB Local + fauxqs, started once for the run (test/global-setup.ts);
 * - cdk: assertion tests and cdk-nag on the synthesized stack;
 * - browser: headless Chromium against the local runtime.
 */
/** Handler logs would drown the test output; failures carry their own messages. */
const env = { POWERTOOLS_LOG_LEVEL: 'SILENT' };

export default defineConfig({
  test: {
    // Most integration and browser time is waiting (queues, the test clock, a page): three files
    // at once on two cores finish sooner than two.
    maxWorkers: 3,
    projects: [
      {
        test: {
          name: 'unit',
          env,
          include: ['{shared,functions,infra,web/src}/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'infra/aws/**', 'node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          env,
          include: ['{shared,functions,infra}/**/*.int.test.ts', 'test/*.int.test.ts'],
          exclude: ['infra/aws/**', 'node_modules/**'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'cdk',
          include: ['infra/aws/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'browser',
          env,
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
