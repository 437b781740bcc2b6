// The seeded fuzz round: hostile bodies and headers. Every random choice is drawn up front from the seed; a case is
// then applied to a base body (a valid pooled payload with a fresh ID), so it can be re-applied to a spare one for
// the curl command that reproduces it.

import { mutationCatalogue, mutate } from '../../generators/mutations.ts';
import { createRandom, type Random } from '../random.ts';
import type { WireRequest } from './http-exchange.ts';

export interface FuzzCase {
  /** What the case sends, in a few words. */
  description: string;
  build(base: Buffer): WireRequest;
}

const PATH = '/user-profiles';
const JSON_TYPE: [string, string] = ['Content-Type', 'application/json'];

/** Content-Type values a parser of media types may trip over (some valid JSON types, some not). */
const CONTENT_TYPES = [
  'application/json; charset=utf-8', 'application/json;charset="UTF-8"', 'APPLICATION/JSON', 'application/json; charset=utf-16',
  'application/json; charset=latin1', 'application/json;;;', 'application/json; =', 'application/vnd.api+json', 'application/problem+json',
  'application/+json', 'application/', 'application/json, text/plain', '*/*', 'text/json', 'text/html', 'multipart/form-data; boundary=x',
  'application/json; charset=utf-8; charset=ascii', ' application/json ', 'application/json\t', `application/json; p=${'x'.repeat(4000)}`, '',
];

/** Extra headers a hardened server ignores or refuses cleanly. */
const EXTRA_HEADERS: Array<[string, string]> = [
  ['Content-Encoding', 'gzip'], ['Content-Encoding', 'br'], ['Content-Encoding', 'identity, deflate'], ['Accept', 'application/xml'],
  ['Accept', 'application/problem+json;q=0, */*;q=0'], ['Accept-Charset', 'utf-16'], ['X-HTTP-Method-Override', 'DELETE'],
  ['Range', 'bytes=0-1'], ['If-None-Match', '*'], ['If-Match', '"nope"'], ['Origin', 'http://evil.example'], ['X-Forwarded-For', '1.1.1.1, <script>'],
  ['Cookie', `a=${'b'.repeat(512)}`], ['X-Long', 'v'.repeat(6000)], ['Prefer', 'return=representation'], ['Content-Language', 'xx'],
  ['X-Request-Id', '../../etc/passwd'], ['Content-MD5', 'AAAAAAAAAAAAAAAAAAAAAA=='], ['Accept-Encoding', 'gzip;q=2'], ['TE', 'trailers'],
];

const STRINGS = [
  '', ' ', '\u0000', '\ud800', '\udfff', '\ufeff', '\u202e', '😀'.repeat(300), 'é'.repeat(257), '"', '\\', '\n\r', '%00', '${jndi:ldap://x}',
  '<script>alert(1)</script>', "' OR 1=1 --", '{{7*7}}', '__proto__', 'constructor', 'A'.repeat(70_000),
];
const NUMBERS = ['0', '-0', '1e400', '-1e400', '1e-400', '9007199254740993', '123456789012345678901234567890', '0.1e1', '1E+2', '-1'];
const KEYS = ['__proto__', 'constructor', 'prototype', 'userProfileId', 'countryCode', 'sdkAuditEvents', '', ' ', 'userProfileID', '$where', '\u0000'];

const int = (random: Random, n: number) => Math.floor(random.next() * n);
const pick = <T>(random: Random, items: readonly T[]): T => items[int(random, items.length)]!;

/** Random JSON text: deep or wide, with odd strings, numbers and keys (a valid or broken document). */
function randomJson(random: Random, depth: number): string {
  const roll = int(random, depth > 6 ? 4 : 7);
  switch (roll) {
    case 0:
      return JSON.stringify(pick(random, STRINGS));
    case 1:
      return pick(random, NUMBERS);
    case 2:
      return pick(random, ['true', 'false', 'null']);
    case 3:
      return `"${pick(random, ['\\u0000', '\\ud800', '\\uDFFF\\uD800', '\\x41', '\\', '\\u12', '\t'])}"`;
    case 4:
    case 5: {
      const n = int(random, 5);
      const entries = Array.from({ length: n }, () => `${JSON.stringify(pick(random, KEYS))}:${randomJson(random, depth + 1)}`);
      return `{${entries.join(',')}}`;
    }
    default:
      return `[${Array.from({ length: int(random, 5) }, () => randomJson(random, depth + 1)).join(',')}]`;
  }
}

/** `n` seeded hostile requests. */
export function fuzzCases(seed: number, n: number): FuzzCase[] {
  const random = createRandom(`${seed}:conform-fuzz`);
  const labels = mutationCatalogue().map((c) => c.label);
  const cases: FuzzCase[] = [];
  for (let i = 0; i < n; i++) {
    const strategy = int(random, 8);
    switch (strategy) {
      case 0: {
        const length = int(random, 2048);
        const bytes = Buffer.from(Array.from({ length }, () => int(random, 256)));
        cases.push({ description: `${length} random bytes as JSON`, build: () => ({ method: 'POST', path: PATH, headers: [JSON_TYPE], body: bytes }) });
        break;
      }
      case 1: {
        // A labelled mutation, then a few bytes flipped at random places.
        const label = pick(random, labels);
        const flips = Array.from({ length: 1 + int(random, 4) }, () => [random.next(), int(random, 256)] as const);
        cases.push({
          description: `${label} with ${flips.length} byte(s) flipped`,
          build: (base) => {
            const body = Buffer.from(mutate(base, label).body);
            for (const [where, value] of flips) if (body.length > 0) body[Math.floor(where * body.length)] = value;
            return { method: 'POST', path: PATH, headers: [JSON_TYPE], body };
          },
        });
        break;
      }
      case 2: {
        const cut = random.next();
        const junk = Buffer.from(pick(random, ['', '}', ']]]]', '\u0000', '\\', '"', ',"x":', '\r\n\r\nGET / HTTP/1.1\r\n\r\n', '\xff\xfe']), 'latin1');
        cases.push({
          description: 'a valid body cut at a random point, junk appended',
          build: (base) => ({ method: 'POST', path: PATH, headers: [JSON_TYPE], body: Buffer.concat([base.subarray(0, Math.floor(cut * base.length)), junk]) }),
        });
        break;
      }
      case 3: {
        const text = randomJson(random, 0);
        cases.push({ description: 'random JSON with odd strings, numbers and keys', build: () => ({ method: 'POST', path: PATH, headers: [JSON_TYPE], body: Buffer.from(text) }) });
        break;
      }
      case 4: {
        // A valid body where one property is replaced by random JSON (types the schema does not expect).
        const key = pick(random, ['countryCode', 'userProfileId', 'sdkAuditEvents', 'tpAuditMetadata', 'arid', 'sdkVersion', '__proto__', 'extra']);
        const value = randomJson(random, 2);
        cases.push({
          description: `a valid body with ${key} replaced by random JSON`,
          build: (base) => {
            const text = base.toString('utf8');
            return { method: 'POST', path: PATH, headers: [JSON_TYPE], body: Buffer.from(`${text.slice(0, -1)},${JSON.stringify(key)}:${value}}`) };
          },
        });
        break;
      }
      case 5: {
        const contentType = pick(random, CONTENT_TYPES);
        cases.push({ description: `a valid body with Content-Type ${JSON.stringify(contentType.slice(0, 60))}`, build: (base) => ({ method: 'POST', path: PATH, headers: [['Content-Type', contentType]], body: base }) });
        break;
      }
      case 6: {
        const extras = Array.from({ length: 1 + int(random, 3) }, () => pick(random, EXTRA_HEADERS));
        const unique = [...new Map(extras.map(([name, value]) => [name.toLowerCase(), [name, value] as [string, string]])).values()];
        const chunked = random.next() < 0.3;
        cases.push({
          description: `a valid body with ${unique.map(([name]) => name).join(', ')}${chunked ? ', chunked' : ''}`,
          build: (base) => ({ method: 'POST', path: PATH, headers: [JSON_TYPE, ...unique], body: base, chunked }),
        });
        break;
      }
      default: {
        // Deep nesting, a huge number of keys, or a BOM in front: parser limits.
        const variant = int(random, 3);
        const depth = 100 + int(random, 5000);
        const body =
          variant === 0 ? Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`)
          : variant === 1 ? Buffer.from(`{${Array.from({ length: 2000 + int(random, 8000) }, (_, k) => `"k${k}":${k}`).join(',')}}`)
          : undefined;
        cases.push({
          description: variant === 0 ? `${depth} nested arrays` : variant === 1 ? 'an object with thousands of keys' : 'a valid body behind a UTF-8 BOM',
          build: (base) => ({ method: 'POST', path: PATH, headers: [JSON_TYPE], body: body ?? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), base]) }),
        });
      }
    }
  }
  return cases;
}
