// vitest configuration: tests live beside the code they prove (foo.test.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'generators/**/*.test.ts', 'reports/**/*.test.ts', 'scenarios/**/*.test.ts', 'bench/**/*.test.ts'],
    // Real HTTP over loopback: give slow CI machines room, but fail instead of hanging.
    testTimeout: 30_000, // ms
    hookTimeout: 30_000, // ms
    pool: 'forks',
  },
});
