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
    globalSetup: ['./vitest.global-setup.ts'],
    include: ['bin/**/*.test.ts', 'src/**/*.test.ts', 'generators/**/*.test.ts', 'reports/**/*.test.ts', 'scenarios/**/*.test.ts', 'bench/**/*.test.ts'],
    // Real HTTP over loopback: give slow CI machines room, but fail instead of hanging.
    testTimeout: 30_000, // ms
    hookTimeout: 30_000, // ms
    pool: 'forks',
  },
});
