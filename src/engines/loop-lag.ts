// The sending thread's own lag in the closed model: how late its event loop runs (a 1 ms timer's drift), read by the
// engine at each send, so a generator that falls behind (GC, JIT, a saturated core) is seen apart from the target.

/** Timer period: fine enough to see a 1 ms stall, cheap enough (1,000 callbacks/s) to run beside 60k requests/s. */
const PERIOD_MS = 1; // ms

export class LoopLag {
  /** The latest measured delay of this thread's event loop. */
  current = 0; // ms
  private timer: NodeJS.Timeout | undefined;
  private last = 0;

  /** `clock`: the engine's own (ms), so a send's time, already read, serves read() too. */
  constructor(private readonly clock: () => number = () => performance.now()) {}

  start(): this {
    this.last = this.clock();
    this.timer = setInterval(() => {
      const now = this.clock();
      // Due PERIOD_MS after the previous run: anything beyond is time the loop spent elsewhere.
      this.current = Math.max(0, now - this.last - PERIOD_MS);
      this.last = now;
    }, PERIOD_MS);
    this.timer.unref();
    return this;
  }

  /**
   * The loop's delay as a send sees it: the last one the timer measured, or, when the timer is already overdue by more
   * (the loop was just blocked and the sends run before the timer gets its turn), how overdue it is now. Without the
   * second, a stall is missed whenever libuv runs the answers' callbacks before the timer after it. `now`: the clock's
   * time of the send.
   */
  read(now: number): number {
    const overdue = now - this.last - PERIOD_MS;
    return overdue > this.current ? overdue : this.current;
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
