// Stand-in for the `k6` module (tests only): check() and sleep() recorded, sleep moving the fake clock.

import { emit, standIn } from './state.ts';

export function check<T>(value: T, sets: Record<string, (value: T) => boolean>, tags: Record<string, string> = {}): boolean {
  let all = true;
  for (const name of Object.keys(sets)) {
    const passed = Boolean(sets[name]!(value));
    standIn().checks.push({ name, passed, tags });
    emit('checks', 'rate', passed ? 1 : 0, { check: name, ...tags });
    all &&= passed;
  }
  return all;
}

export function sleep(seconds: number): void {
  const state = standIn();
  state.sleeps.push(seconds);
  if (seconds > 0) state.advanceClock(seconds * 1000);
}

export function group<T>(_name: string, fn: () => T): T {
  return fn();
}

export function fail(message?: string): never {
  throw new Error(message ?? 'fail()');
}

export default { check, sleep, group, fail };
