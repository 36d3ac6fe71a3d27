import { defaultServerConditions } from 'vite';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const conditions = ['@yantra/source', ...defaultServerConditions];

/**
 * Shared vitest settings: tests run against package sources through the `@yantra/source`
 * export condition, so no build is needed. Slow tests (real processes, browsers, models) are
 * named `*.slow.test.ts`; they run by default and in CI, and `YANTRA_FAST=1` leaves them out locally.
 */
export function packageTestConfig(extra: ViteUserConfig['test'] = {}) {
  const fast = process.env['YANTRA_FAST'] === '1';
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['@yantra/source'] } },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      exclude: ['**/node_modules/**', '**/dist/**', ...(fast ? ['**/*.slow.test.ts'] : [])],
      testTimeout: 60_000,
      hookTimeout: 120_000,
      pool: 'forks',
      // The JSON report feeds scripts/test-summary.mjs, which prints the suite's closing line.
      reporters: ['default', 'json'],
      outputFile: { json: 'test-output/vitest.json' },
      ...extra,
    },
  });
}
