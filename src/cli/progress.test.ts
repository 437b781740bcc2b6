// Proves the progress display: redrawn in place on a terminal, periodic plain lines otherwise, quiet for short runs.

import { describe, expect, it } from 'vitest';
import { createProgress, isInteractive } from './progress.ts';

function fake(tty: boolean) {
  let now = 0;
  const written: string[] = [];
  const progress = createProgress({ label: 'generate', total: 1_000, tty, write: (t) => written.push(t), ttyIntervalMs: 100, plainIntervalMs: 2_000, now: () => now });
  return { progress, written, advance: (ms: number) => (now += ms) };
}

describe('createProgress', () => {
  it('redraws one line with count, rate and ETA on a terminal', () => {
    const { progress, written, advance } = fake(true);
    advance(50);
    progress.update(50); // too soon after the start: nothing
    advance(450);
    progress.update(250);
    progress.finish(250);
    expect(written[0]).toBe('\rgenerate 250/1,000 (25%) · 500/s · ETA 1.5s\u001b[K');
    expect(written.at(-1)!.endsWith('\n')).toBe(true);
    expect(written).toHaveLength(2);
  });

  it('prints plain lines every interval when not a terminal, and nothing for a short run', () => {
    const { progress, written, advance } = fake(false);
    for (let i = 1; i <= 10; i++) {
      advance(500);
      progress.update(i * 100);
    }
    expect(written).toEqual(['generate 400/1,000 (40%) · 200/s · ETA 3.0s\n', 'generate 800/1,000 (80%) · 200/s · ETA 1.0s\n']);
    const quiet = fake(false);
    quiet.advance(10);
    quiet.progress.update(1_000);
    quiet.progress.finish(1_000);
    expect(quiet.written).toEqual([]);
  });
});

describe('isInteractive', () => {
  it('is true only on a terminal outside CI', () => {
    expect(isInteractive({ isTTY: true }, {})).toBe(true);
    expect(isInteractive({ isTTY: true }, { CI: 'true' })).toBe(false);
    expect(isInteractive({ isTTY: true }, { CI: 'false' })).toBe(true);
    expect(isInteractive({ isTTY: false }, {})).toBe(false);
    expect(isInteractive({}, {})).toBe(false);
  });
});
