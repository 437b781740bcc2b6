// The compact per-request records of a merge, and the parsing of k6's sample times and error codes.
import { describe, expect, it } from 'vitest';
import { errorKindOfK6Code, parseK6Time } from './k6-output-format.ts';
import { RequestTable } from './request-table.ts';

describe('RequestTable', () => {
  it('keeps a request in well under 100 bytes at 100,000 requests (typed arrays, growth slack included)', () => {
    const table = new RequestTable();
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const hex = i.toString(16).padStart(12, '0');
      table.add({ id: `00000000-0000-4000-8000-${hex}`, duplicate: i % 20 === 0, sentAt: 1e12 + i, answeredAt: 1e12 + i + 5, latency: 5, status: 201, errorCode: 0, file: i % 3 });
    }
    expect(table.size).toBe(n);
    expect(table.memoryBytes() / n).toBeLessThanOrEqual(66); // 43 bytes per record, at most 1.5× slack
    expect(table.idOf(255)).toBe('00000000-0000-4000-8000-0000000000ff');
    expect(table.isDuplicate(40)).toBe(true);
  });

  it('keeps the spelling sent (upper-case variants) and IDs that are not UUIDs', () => {
    const table = new RequestTable();
    const upper = table.add({ id: 'C908BC7C-1E2D-4F5A-8B9C-0D1E2F3A4B5C', duplicate: true, sentAt: 1, answeredAt: 2, latency: 1, status: 409, errorCode: 0, file: 0 });
    const odd = table.add({ id: 'Not-A-UUID', duplicate: false, sentAt: 1, answeredAt: 2, latency: 1, status: 400, errorCode: 0, file: 0 });
    expect(table.idOf(upper)).toBe('c908bc7c-1e2d-4f5a-8b9c-0d1e2f3a4b5c');
    expect(table.sentIdOf(upper)).toBe('C908BC7C-1E2D-4F5A-8B9C-0D1E2F3A4B5C');
    expect(table.idOf(odd)).toBe('not-a-uuid');
    expect(table.sentIdOf(odd)).toBe('Not-A-UUID');
    expect([...table.recordsOf(['c908bc7c-1e2d-4f5a-8b9c-0d1e2f3a4b5c', 'not-a-uuid']).values()]).toEqual([[upper], [odd]]);
  });
});

describe('k6 --out json format', () => {
  it('parses data.time with nanoseconds and any UTC offset, keeping sub-ms digits', () => {
    const base = Date.parse('2017-05-09T12:34:45.625Z');
    expect(parseK6Time('2017-05-09T14:34:45.625742514+02:00') - base).toBeCloseTo(0.742514, 3); // float64 at 1.5e12 ms: ~0.25 µs resolution
    expect(parseK6Time('2017-05-09T12:34:45.625Z')).toBe(base);
    expect(parseK6Time('2017-05-09T07:34:45-05:00')).toBe(Date.parse('2017-05-09T12:34:45Z'));
    expect(parseK6Time('yesterday')).toBeNaN();
  });

  it('names the error kind of a request without an answer from its error_code tag', () => {
    expect(errorKindOfK6Code('1050')).toBe('timeout');
    expect(errorKindOfK6Code('1212')).toBe('ECONNREFUSED');
    expect(errorKindOfK6Code('1220')).toBe('ECONNRESET');
    expect(errorKindOfK6Code('1311')).toBe('TLS error');
    expect(errorKindOfK6Code('1000')).toBe('k6 error 1000');
    expect(errorKindOfK6Code(undefined)).toBe('no answer');
  });
});
