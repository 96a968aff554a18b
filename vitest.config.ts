import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'schemas/**/*.test.ts',
      'src/**/*.test.ts',
      'action/src/**/*.test.ts',
      'test/**/*.test.ts',
      'site/build/**/*.test.ts',
      'site/view/**/*.test.ts',
      'site/src/**/*.test.ts',
      'examples/**/*.test.ts',
      'scripts/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
