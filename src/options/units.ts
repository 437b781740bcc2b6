// Parsers for option values with units (durations, sizes, fractions, integers); errors name the option and the rule.

import { InvalidOptionError } from '../errors.ts';

const DURATION_UNITS: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A duration such as `250ms`, `30s`, `1.5m`, `2h` (or `500us`) → milliseconds. A number (from code, not the
 * command line) is taken as milliseconds; a bare numeric string is refused: `--timeout 10` could mean s or ms.
 */
export function parseDuration(option: string, value: string | number, rule: { min?: number; max?: number } = {}): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new InvalidOptionError(option, `${value} is not a duration in ms`);
    checkRange(option, value, rule.min, rule.max, formatMs);
    return value;
  }
  const text = value.trim();
  const match = /^(\d+(?:\.\d+)?)\s*(us|µs|ms|s|m|h)$/.exec(text);
  if (!match) {
    throw new InvalidOptionError(option, `${JSON.stringify(text)} is not a duration; write a number with a unit: us, ms, s, m or h (e.g. 250ms, 30s, 2m)`);
  }
  const ms = Number(match[1]) * DURATION_UNITS[match[2]!]!;
  checkRange(option, ms, rule.min, rule.max, formatMs);
  return ms;
}

const SIZE_UNITS: Record<string, number> = {
  b: 1, kb: 1000, mb: 1000 ** 2, gb: 1000 ** 3, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3,
};

/** A size such as `512kb`, `1mib`, `1048576` (bytes when no unit) → bytes. */
export function parseBytes(option: string, value: string | number, rule: { min?: number; max?: number } = {}): number {
  const text = String(value).trim().toLowerCase();
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|kib|mib|gib)?$/.exec(text);
  if (!match) {
    throw new InvalidOptionError(option, `${JSON.stringify(String(value))} is not a size; write bytes or a number with a unit: b, kb, mb, kib, mib (e.g. 1mib)`);
  }
  const bytes = Math.floor(Number(match[1]) * SIZE_UNITS[match[2] ?? 'b']!);
  checkRange(option, bytes, rule.min, rule.max, (n) => `${n} bytes`);
  return bytes;
}

/** A fraction in [0, 1], e.g. `0.05`; `5%` is accepted too. */
export function parseFraction(option: string, value: string | number): number {
  const text = String(value).trim();
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text);
  const n = percent ? Number(percent[1]) / 100 : /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(n) || n < 0 || n > 1) {
    throw new InvalidOptionError(option, `${JSON.stringify(text)} is not a fraction; write a number from 0 to 1 (e.g. 0.05) or a percentage (5%)`);
  }
  return n;
}

/** A whole number within [min, max]. */
export function parseInteger(option: string, value: string | number, rule: { min?: number; max?: number } = {}): number {
  const text = String(value).trim();
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new InvalidOptionError(option, `${JSON.stringify(text)} is not a whole number`);
  }
  const n = Number(text);
  checkRange(option, n, rule.min, rule.max, String);
  return n;
}

/** A TCP port; 0 asks the system for a free one. */
export function parsePort(option: string, value: string | number): number {
  return parseInteger(option, value, { min: 0, max: 65_535 });
}

/** An HTTP status code from 100 to 599. */
export function parseStatus(option: string, value: string | number, rule: { min?: number; max?: number } = {}): number {
  return parseInteger(option, value, { min: rule.min ?? 100, max: rule.max ?? 599 });
}

function checkRange(option: string, n: number, min: number | undefined, max: number | undefined, show: (n: number) => string): void {
  if (min !== undefined && n < min) throw new InvalidOptionError(option, `must be at least ${show(min)} (got ${show(n)})`);
  if (max !== undefined && n > max) throw new InvalidOptionError(option, `must be at most ${show(max)} (got ${show(n)})`);
}

function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
