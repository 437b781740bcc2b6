// vitest configuration: tests live beside the code they prove (foo.test.ts).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const TEST_FILES = ['bin/**/*.test.ts', 'src/**/*.test.ts', 'generators/**/*.test.ts', 'reports/**/*.test.ts', 'scenarios/**/*.test.ts', 'bench/**/*.test.ts'];

export default defineConfig({
  resolve: {
    // The k6 scenario scripts import `k6` and `k6/*`; under vitest they get the in-repo stand-ins (scenarios/k6/stand-ins).
    alias: [
      { find: /^k6$/, replacement: fileURLToPath(new URL('./scenarios/k6/stand-ins/k6.ts', import.meta.url)) },
      { find: /^k6\/(http|execution|data|metrics)$/, replacement: fileURLToPath(new URL('./scenarios/k6/stand-ins/$1.ts', import.meta.url)) },
    ],
  },
  test: {
    // Compile dist/ when stale (the CLI processes tests start); one throwaway PostgreSQL cluster per run, started by the
    // first test file that needs it, stopped at the end.
    globalSetup: ['./vitest.global-setup.ts', './src/testing/postgres-global-setup.ts'],
    // Real HTTP over loopback: give slow CI machines room, but fail instead of hanging.
    testTimeout: 30_000, // ms
    hookTimeout: 30_000, // ms
    pool: 'forks',
    // vitest's default in run mode is one worker less than the CPUs: one on a 2-core machine, every file in turn. Most
    // of these tests wait on sockets and timers, so two files at a time halve the wall time here.
    maxWorkers: 2,
    // `extends: true` concatenates arrays, so each project names its own files (none at the root).
    projects: [
      { extends: true, test: { name: 'main', include: TEST_FILES, exclude: ['**/node_modules/**', '**/*.quiet.test.ts'], sequence: { groupOrder: 0 } } },
      // Tests whose figures are latencies that another test file's load on the other core would shift (a p50 within
      // ±3 %, a 2–4 ms regression told from run-to-run noise): alone on the machine, after the others.
      { extends: true, test: { name: 'quiet', include: ['**/*.quiet.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
