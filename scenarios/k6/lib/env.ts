// Parsers of `-e NAME=value` variables: each bad value throws at init with the variable, the rule and an example.

/** Thrown at init (k6 then exits non-zero before sending anything). */
export class EnvError extends Error {
  constructor(name: string, rule: string, got: string, example: string) {
    super(`${name} must be ${rule}, got ${JSON.stringify(got)}; e.g. -e ${name}=${example}`);
    this.name = 'EnvError';
  }
}

/** The raw value, or undefined when unset or blank. */
export function envValue(name: string): string | undefined {
  const raw = __ENV[name];
  if (raw === undefined || raw === null) return undefined;
  const value = String(raw).trim();
  return value === '' ? undefined : value;
}

export function positiveInt(name: string, fallback: number, unit: string, example: string, max = Number.MAX_SAFE_INTEGER): number {
  const raw = envValue(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^[0-9]+$/.test(raw) || !Number.isSafeInteger(value) || value < 1 || value > max) {
    const bound = max === Number.MAX_SAFE_INTEGER ? '' : ` ≤ ${max}`;
    throw new EnvError(name, `a positive integer${bound} (${unit})`, raw, example);
  }
  return value;
}

/** A whole number ≥ 0 (0 meaning "off" where the caller says so). */
export function wholeNumber(name: string, fallback: number, unit: string, example: string): number {
  const raw = envValue(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^[0-9]+$/.test(raw) || !Number.isSafeInteger(value)) throw new EnvError(name, `a whole number ≥ 0 (${unit})`, raw, example);
  return value;
}

export function positiveNumber(name: string, fallback: number, unit: string, example: string): number {
  const raw = envValue(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(raw) || !(value > 0) || !Number.isFinite(value)) {
    throw new EnvError(name, `a positive number (${unit})`, raw, example);
  }
  return value;
}

/** A share in [0, 1), or [0, 1] when `inclusive`. */
export function share(name: string, fallback: number, example: string, inclusive = false): number {
  const raw = envValue(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  const ok = /^[0-9]*\.?[0-9]+$/.test(raw) && value >= 0 && (inclusive ? value <= 1 : value < 1);
  if (!ok) throw new EnvError(name, `a share from 0 to ${inclusive ? '1 inclusive' : 'below 1'} (e.g. 0.05 for 5%)`, raw, example);
  return value;
}

export interface Duration {
  /** As k6 options take it: 30s, 5m, 1h30m. */
  text: string;
  ms: number; // ms
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60000, h: 3600000 };

/** k6's duration grammar with a unit on every part: 500ms, 30s, 5m, 1h30m, 1.5s. */
export function parseDuration(text: string): number | undefined {
  if (!/^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/.test(text)) return undefined;
  let ms = 0;
  const part = /([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)/g;
  for (let match = part.exec(text); match !== null; match = part.exec(text)) ms += Number(match[1]) * (UNIT_MS[match[2]!] ?? 0);
  return ms;
}

export function duration(name: string, fallback: string, example: string): Duration {
  const raw = envValue(name);
  const text = raw ?? fallback;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) throw new EnvError(name, 'a positive duration with a unit (ms, s, m, h)', text, example);
  return { text, ms };
}

export function bool(name: string, fallback: boolean): boolean {
  const raw = envValue(name);
  if (raw === undefined) return fallback;
  const lower = raw.toLowerCase();
  if (lower === 'true' || lower === '1' || lower === 'yes') return true;
  if (lower === 'false' || lower === '0' || lower === 'no') return false;
  throw new EnvError(name, 'true or false', raw, 'true');
}

/** An http(s) base URL, without a trailing slash. */
export function baseUrl(name: string, fallback: string): string {
  const raw = envValue(name) ?? fallback;
  if (!/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/i.test(raw)) {
    throw new EnvError(name, 'an http:// or https:// base URL (requests go to <URL>/user-profiles)', raw, 'http://127.0.0.1:8080');
  }
  return raw.replace(/\/+$/, '');
}

/** A JSON object of header names to string values. */
export function headerObject(name: string): Record<string, string> {
  const raw = envValue(name);
  if (raw === undefined) return {};
  const example = `'{"Authorization":"Bearer …"}'`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (_error) {
    throw new EnvError(name, 'a JSON object of header names to string values', raw, example);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new EnvError(name, 'a JSON object of header names to string values', raw, example);
  }
  const out: Record<string, string> = {};
  for (const key of Object.keys(parsed)) {
    const value = (parsed as Record<string, unknown>)[key];
    if (typeof value !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key)) {
      throw new EnvError(name, 'a JSON object of header names (tokens) to string values', raw, example);
    }
    out[key] = value;
  }
  return out;
}

/** A 4xx status (the conflict status a service answers to a duplicate ID). */
export function clientErrorStatus(name: string, fallback: number): number {
  const raw = envValue(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^4[0-9]{2}$/.test(raw)) throw new EnvError(name, 'a 4xx HTTP status (what the service answers to a duplicate ID)', raw, '409');
  return value;
}

/** A run ID: letters, digits and . _ : - (it seeds the profile IDs, so every instance of a run must share it). */
export function runIdValue(name: string): string | undefined {
  const raw = envValue(name);
  if (raw === undefined) return undefined;
  if (!/^[A-Za-z0-9._:-]{1,64}$/.test(raw)) throw new EnvError(name, '1 to 64 letters, digits, ".", "_", ":" or "-"', raw, 'nightly-42');
  return raw;
}

/** An instant: epoch milliseconds or an ISO 8601 date-time with an offset. */
export function instant(name: string): number | undefined {
  const raw = envValue(name);
  if (raw === undefined) return undefined;
  const ms = /^[0-9]{12,14}$/.test(raw) ? Number(raw) : /^\d{4}-\d\d-\d\dT.*(Z|[+-]\d\d:\d\d)$/.test(raw) ? Date.parse(raw) : NaN;
  if (!Number.isFinite(ms)) throw new EnvError(name, 'epoch milliseconds or an ISO 8601 date-time with offset', raw, '2030-01-01T12:00:00Z');
  return ms;
}

export function text(name: string, fallback: string, rule: string, example: string, pattern: RegExp): string {
  const raw = envValue(name) ?? fallback;
  if (!pattern.test(raw)) throw new EnvError(name, rule, raw, example);
  return raw;
}
