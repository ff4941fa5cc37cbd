import { defineConfig } from 'vitest/config';

// Two projects: the public API against the release WASM build and against the debug build (with
// AssemblyScript assertions). Kernel-level tests (test/kernels/*-kernel.test.ts) load all builds themselves.
const shared = ['test/**/*.test.ts'];
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: 'test-artifacts/vitest.json' },
    projects: [
      { extends: true, test: { name: 'release', include: shared, setupFiles: ['test/setup.ts'] } },
      {
        extends: true,
        test: {
          name: 'debug',
          include: shared,
          exclude: ['test/**/*-kernel.test.ts', 'test/estimators/nist.test.ts', 'test/system/bench-smoke.test.ts', 'test/cli/**', 'test/browser/**', 'test/system/package.test.ts'],
          setupFiles: ['test/setup.ts'],
          env: { ROBUSTREG_WASM: 'debug' },
        },
      },
    ],
  },
});
