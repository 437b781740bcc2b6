// Test helper: the committed fixture result documents (trimmed copies of real runs; see reports/README.md).

import { readFileSync } from 'node:fs';
import type { ResultDocument } from '../src/result/result-document.ts';

export const FIXTURES = ['load-pass', 'load-fail', 'load-partial', 'race', 'conformance-fail', 'combined'] as const;
export type FixtureName = (typeof FIXTURES)[number];

export function fixture(name: FixtureName): ResultDocument {
  return JSON.parse(readFileSync(new URL(`fixtures/${name}.json`, import.meta.url), 'utf8')) as ResultDocument;
}

/** Script-bearing strings a hostile target can put in bodies and header values. */
export const HOSTILE = ['<script>window.__pwned=1</script>', '"><img src=x onerror="window.__pwned=1">', "'><svg onload=window.__pwned=1>", '`<iframe src=javascript:window.__pwned=1>'] as const;
const PAYLOAD = HOSTILE.join(' ');

/** Fields whose values the writers switch on (enums, dates): kept as they are. */
const KEPT = new Set(['verdict', 'engine', 'level', 'kind', 'outcome', 'sync', 'model', 'mode', 'startedAt', 'endedAt']);

/**
 * The document with the hostile payload appended to every other string, in keys of maps (statuses aside, whose keys are
 * numbers) and as an extra error kind and header: what the worst target plus the worst file name could make of it.
 */
export function hostileEverywhere(document: ResultDocument): ResultDocument {
  const visit = (value: unknown, key: string | undefined, inMap: boolean): unknown => {
    if (typeof value === 'string') return key !== undefined && KEPT.has(key) ? value : `${value}${PAYLOAD}`;
    if (Array.isArray(value)) return value.map((item) => visit(item, undefined, false));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value).map(([k, v]) => [inMap ? `${k}${PAYLOAD}` : k, visit(v, k, k === 'headers' || k === 'errors' || k === 'config')]);
    return Object.fromEntries(entries);
  };
  const hostile = visit(document, undefined, false) as ResultDocument;
  hostile.errors[PAYLOAD] = 3;
  return hostile;
}
