// The wrong values behind each mutation: derived from the valid value and the schema keyword it must break.

import { UUID_PATTERN } from '../src/contract/canonical-id.ts';
import type { SchemaNode } from './schema-walk.ts';

/** One way to break a keyword: a stable variant name and the replacement value. */
export interface WrongValue {
  variant: string;
  value: unknown;
}

/** A value of another JSON type than `type` (the classic confusions: number for string, array for object). */
export function wrongTypeValue(type: string): unknown {
  switch (type) {
    case 'string': return 12345;
    case 'number':
    case 'integer': return '12345';
    case 'boolean': return 'true';
    case 'object': return [];
    case 'array': return {};
    default: return 'not-a-null';
  }
}

/** Malformed spellings of the UUID `valid`; none matches UUID_PATTERN. */
export function malformedUuids(valid: string): WrongValue[] {
  return [
    { variant: 'no-hyphens', value: valid.replace(/-/g, '') },
    { variant: 'braced', value: `{${valid}}` },
    { variant: 'urn-prefix', value: `urn:uuid:${valid}` },
    { variant: 'non-hex', value: `g${valid.slice(1)}` },
    { variant: 'too-short', value: valid.slice(0, -1) },
    { variant: 'trailing-space', value: `${valid} ` },
  ];
}

/** A string `pattern` rejects, for patterns other than the UUID one (which malformedUuids covers better). */
export function patternMismatch(pattern: string): WrongValue[] {
  const re = new RegExp(pattern, 'u');
  const candidate = ['', ' ', '\u0000', '!', '-'.repeat(65)].find((c) => !re.test(c));
  return candidate === undefined ? [] : [{ variant: 'mismatch', value: candidate }];
}

export const isUuidPattern = (node: SchemaNode) => node.pattern === UUID_PATTERN;

/** Values a client plausibly sends that are not ISO 3166-1 alpha-2 codes (for any string enum, simply non-members). */
const NEAR_MISSES = ['UK', 'EU', 'XK', 'USA'] as const;

/** Strings outside `members`, derived from the valid value `valid` and a few well-known near misses. */
export function notInEnum(members: readonly unknown[], valid: string): WrongValue[] {
  const has = (v: string) => members.includes(v);
  const out: WrongValue[] = [];
  const add = (variant: string, value: string) => {
    if (!has(value) && !out.some((o) => o.value === value)) out.push({ variant, value });
  };
  add('lower-case', valid.toLowerCase());
  add('padded', ` ${valid}`);
  for (const value of NEAR_MISSES) add(value, value);
  const unassigned = firstUnassigned(members, valid.length);
  if (unassigned !== undefined) add('unassigned', unassigned);
  return out;
}

/** The first upper-case string of `length` letters that is not a member (e.g. `AA` for country codes). */
function firstUnassigned(members: readonly unknown[], length: number): string | undefined {
  if (length < 1 || length > 3) return undefined;
  const limit = 26 ** length;
  for (let n = 0; n < limit; n++) {
    let s = '';
    for (let k = length - 1, m = n; k >= 0; k--, m = Math.floor(m / 26)) s = String.fromCharCode(65 + (m % 26)) + s;
    if (!members.includes(s)) return s;
  }
  return undefined;
}

/** Date-times RFC 3339 (and ajv's `date-time` format) reject, derived from the valid `2020-01-28T13:16:01.714-05:00`. */
export function badDateTimes(valid: string): WrongValue[] {
  const epochMs = Date.parse(valid);
  const [date = '', rest = ''] = valid.split('T');
  const time = rest.replace(/(Z|[+-]\d\d:\d\d)$/i, '');
  return [
    { variant: 'no-offset', value: `${date}T${time}` },
    { variant: 'date-only', value: date },
    { variant: 'impossible-date', value: `${date.slice(0, 4)}-02-30T${rest}` },
    { variant: 'hour-25', value: `${date}T25${rest.slice(2)}` },
    { variant: 'epoch-millis', value: String(epochMs) },
    { variant: 'rfc-2822', value: new Date(epochMs).toUTCString() },
  ];
}

/**
 * Date-times that ajv-formats' lenient `date-time` takes but RFC 3339 §5.6 does not (the contract's pattern refuses
 * them): a space for T, an offset without its colon, an offset of hours only.
 */
export function laxDateTimes(valid: string): WrongValue[] {
  const [date = '', rest = ''] = valid.split(/[Tt]/);
  const time = rest.replace(/([Zz]|[+-]\d\d:\d\d)$/, '');
  const offset = /([+-]\d\d):(\d\d)$/.exec(rest);
  const [hours, minutes] = offset ? [offset[1]!, offset[2]!] : ['+00', '00'];
  return [
    { variant: 'space-separator', value: `${date} ${rest}` },
    { variant: 'offset-without-colon', value: `${date}T${time}${hours}${minutes}` },
    { variant: 'hours-only-offset', value: `${date}T${time}${hours}` },
  ];
}

/** A string one character over `maxLength`, still valid otherwise (a date-time gets more fraction digits). */
export function overlongString(valid: string, node: SchemaNode, maxLength: number): string {
  const length = maxLength + 1;
  if (node.format === 'date-time') {
    const offset = /(Z|[+-]\d\d:\d\d)$/i.exec(valid)?.[0] ?? 'Z';
    let head = valid.slice(0, valid.length - offset.length);
    if (!head.includes('.')) head += '.';
    return head + '0'.repeat(Math.max(0, length - head.length - offset.length)) + offset;
  }
  const unit = valid === '' ? 'x' : `${valid} `;
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/** Ways a body stops being JSON at all, derived from the valid serialisation `text` (never a newline inside). */
export function nonJsonTexts(text: string, doc: { userProfileId?: unknown; countryCode?: unknown }): WrongValue[] {
  const id = String(doc.userProfileId);
  const country = String(doc.countryCode);
  return [
    { variant: 'form-urlencoded', value: `userProfileId=${id}&countryCode=${country}` },
    { variant: 'xml', value: `<?xml version="1.0"?><userProfile><userProfileId>${id}</userProfileId><countryCode>${country}</countryCode></userProfile>` },
    { variant: 'single-quotes', value: text.replace(/"/g, "'") },
    { variant: 'trailing-comma', value: `${text.slice(0, -1)},}` },
    { variant: 'comment', value: `/* stampede */${text}` },
    { variant: 'nan-literal', value: `${text.slice(0, -1)},"retries":NaN}` },
    { variant: 'concatenated', value: text + text },
    { variant: 'nul-bytes', value: '\u0000'.repeat(16) },
  ];
}

/** Prefixes of the valid serialisation `bytes` (every proper prefix of a JSON object is invalid JSON). */
export function truncations(bytes: Buffer): WrongValue[] {
  const half = utf8Boundary(bytes, Math.floor(bytes.length / 2));
  const inId = bytes.indexOf('"userProfileId":"') + '"userProfileId":"'.length + 8;
  return [
    { variant: 'empty', value: Buffer.alloc(0) },
    { variant: 'half', value: bytes.subarray(0, half) },
    { variant: 'last-byte', value: bytes.subarray(0, bytes.length - 1) },
    { variant: 'mid-string', value: bytes.subarray(0, utf8Boundary(bytes, inId)) },
  ];
}

/** The largest offset ≤ `at` that does not split a UTF-8 sequence (so a truncation is not also bad UTF-8). */
function utf8Boundary(bytes: Buffer, at: number): number {
  let i = Math.max(0, Math.min(at, bytes.length));
  while (i > 0 && i < bytes.length && (bytes[i]! & 0xc0) === 0x80) i--;
  return i;
}

/** Byte sequences that are not UTF-8 (RFC 3629), each one the way real clients produce it. */
export const INVALID_UTF8: readonly { variant: string; bytes: readonly number[] }[] = [
  { variant: 'lone-continuation', bytes: [0x80] },
  { variant: 'overlong-slash', bytes: [0xc0, 0xaf] },
  { variant: 'truncated-sequence', bytes: [0xe2, 0x82] },
  { variant: 'utf16-surrogate', bytes: [0xed, 0xa0, 0x80] },
  { variant: 'invalid-byte', bytes: [0xff] },
  // "Müller" in ISO-8859-1: a client that forgot to encode as UTF-8.
  { variant: 'latin1-text', bytes: [0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72] },
];

/** `[[[…]]]` or `{"a":{"a":…}}`, `depth` levels, built as text (JSON.stringify recurses and would overflow). */
export function deeplyNested(kind: 'array' | 'object', depth: number): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : `${'{"a":'.repeat(depth)}null${'}'.repeat(depth)}`;
}
