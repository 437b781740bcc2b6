// Progress of a long command on stderr: one redrawn line on a terminal, a plain line every few seconds otherwise (CI, pipes).

export interface ProgressOptions {
  /** What is being counted, e.g. `generate`. */
  label: string;
  total: number;
  /** Redraw in place (a terminal that is not CI) or print plain lines. */
  tty: boolean;
  write: (text: string) => void;
  ttyIntervalMs: number; // ms
  plainIntervalMs: number; // ms
  now?: () => number; // ms
}

export interface Progress {
  update(done: number): void;
  /** The last state, and a newline after a redrawn line. */
  finish(done: number): void;
}

/** True when stderr is an interactive terminal and the CI variable does not say otherwise. */
export function isInteractive(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI;
  const inCi = ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
  return stream.isTTY === true && !inCi;
}

export function createProgress(options: ProgressOptions): Progress {
  const now = options.now ?? (() => performance.now());
  const started = now();
  let last = started;
  let drawn = false;
  const line = (done: number) => {
    const elapsed = (now() - started) / 1000; // s
    const rate = elapsed > 0 ? done / elapsed : 0; // per second
    const percent = options.total > 0 ? Math.floor((done / options.total) * 100) : 100;
    const eta = rate > 0 ? formatSeconds((options.total - done) / rate) : '?';
    return `${options.label} ${done.toLocaleString('en-US')}/${options.total.toLocaleString('en-US')} (${percent}%) · ${Math.round(rate).toLocaleString('en-US')}/s · ETA ${eta}`;
  };
  return {
    update(done) {
      const t = now();
      if (t - last < (options.tty ? options.ttyIntervalMs : options.plainIntervalMs)) return;
      last = t;
      options.write(options.tty ? `\r${line(done)}\u001b[K` : `${line(done)}\n`);
      drawn = true;
    },
    finish(done) {
      // A run too short to have shown progress stays quiet: the command's summary says it all.
      if (!drawn) return;
      options.write(options.tty ? `\r${line(done)}\u001b[K\n` : `${line(done)}\n`);
    },
  };
}

function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
