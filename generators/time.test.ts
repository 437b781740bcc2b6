// Proves real UTC offsets (DST and half-hour zones included) and the RFC 3339 form of generated date-times.

import { describe, expect, it } from 'vitest';
import { ISO_3166_1_ALPHA_2 } from '../src/contract/countries.ts';
import { COUNTRY_TIME_ZONES } from './country-time-zones.ts';
import { formatRfc3339, utcOffsetMinutes, zonedDateTime } from './time.ts';

describe('utcOffsetMinutes', () => {
  it('follows daylight saving time and non-hour offsets', () => {
    expect(utcOffsetMinutes('America/New_York', Date.parse('2020-01-28T18:16:01Z'))).toBe(-300);
    expect(utcOffsetMinutes('America/New_York', Date.parse('2020-07-01T12:00:00Z'))).toBe(-240);
    expect(utcOffsetMinutes('Asia/Kathmandu', Date.parse('2022-03-01T00:00:00Z'))).toBe(345);
    expect(utcOffsetMinutes('Australia/Lord_Howe', Date.parse('2022-01-01T00:00:00Z'))).toBe(660);
    expect(utcOffsetMinutes('Australia/Lord_Howe', Date.parse('2022-07-01T00:00:00Z'))).toBe(630);
    expect(utcOffsetMinutes('Etc/UTC', Date.now())).toBe(0);
  });
});

describe('formatRfc3339', () => {
  it('writes local time with the offset, as the spec does', () => {
    expect(formatRfc3339(Date.parse('2020-01-28T18:16:01.714Z'), -300)).toBe('2020-01-28T13:16:01.714-05:00');
    expect(formatRfc3339(Date.parse('2020-01-28T18:16:01.004Z'), 345)).toBe('2020-01-29T00:01:01.004+05:45');
    expect(formatRfc3339(Date.parse('2020-01-28T18:16:01.714Z'), 0)).toBe('2020-01-28T18:16:01.714Z');
    const written = zonedDateTime('Europe/Berlin', Date.parse('2021-06-01T10:00:00Z'));
    expect(written).toBe('2021-06-01T12:00:00.000+02:00');
    expect(Date.parse(written)).toBe(Date.parse('2021-06-01T10:00:00Z'));
  });
});

describe('COUNTRY_TIME_ZONES', () => {
  it('gives every ISO country at least one zone the runtime knows', () => {
    for (const code of ISO_3166_1_ALPHA_2) {
      const zones = COUNTRY_TIME_ZONES[code];
      expect(zones?.length, code).toBeGreaterThan(0);
      for (const zone of zones!) expect(() => new Intl.DateTimeFormat('en-US', { timeZone: zone }), zone).not.toThrow();
    }
    expect(Object.keys(COUNTRY_TIME_ZONES).sort()).toEqual([...ISO_3166_1_ALPHA_2].sort());
  });
});
