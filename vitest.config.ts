// vitest configuration: tests live beside the code they prove (foo.test.ts).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

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
    include: ['bin/**/*.test.ts', 'src/**/*.test.ts', 'generators/**/*.test.ts', 'reports/**/*.test.ts', 'scenarios/**/*.test.ts', 'bench/**/*.test.ts'],
    // Real HTTP over loopback: give slow CI machines room, but fail instead of hanging.
    testTimeout: 30_000, // ms
    hookTimeout: 30_000, // ms
    pool: 'forks',
    // vitest's default in run mode is one worker less than the CPUs: one on a 2-core machine, every file in turn. Most
    // of these tests wait on sockets and timers, so two files at a time halve the wall time here.
    maxWorkers: 2,
  },
});
