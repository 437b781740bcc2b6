// Real UTC offsets of IANA time zones at a given instant, and RFC 3339 date-times written with them.

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's UTC offset at `epochMs`, in minutes east of UTC (DST included), from the runtime's tz database. */
export function utcOffsetMinutes(timeZone: string, epochMs: number): number {
  let formatter = offsetFormatters.get(timeZone);
  if (formatter === undefined) {
    // The fewest fields that still carry the offset: format() of this is ~3× cheaper than formatToParts().
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset', hour: 'numeric' });
    offsetFormatters.set(timeZone, formatter);
  }
  // '8 PM GMT-04:00'; 'GMT' alone for UTC itself; seconds appear only in pre-1900 local mean times.
  const text = formatter.format(epochMs);
  const match = /GMT(?:([+-])(\d{2}):(\d{2}))?/.exec(text.slice(text.lastIndexOf('GMT')));
  if (match === null || match[1] === undefined) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n));

/** RFC 3339 with milliseconds and an explicit offset, as the spec writes it: `2020-01-28T13:16:01.714-05:00`. */
export function formatRfc3339(epochMs: number, offsetMinutes: number): string {
  const local = new Date(epochMs + offsetMinutes * 60_000);
  const date = `${local.getUTCFullYear()}-${pad2(local.getUTCMonth() + 1)}-${pad2(local.getUTCDate())}`;
  const time = `${pad2(local.getUTCHours())}:${pad2(local.getUTCMinutes())}:${pad2(local.getUTCSeconds())}.${pad3(local.getUTCMilliseconds())}`;
  if (offsetMinutes === 0) return `${date}T${time}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${date}T${time}${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/** `epochMs` as local time in `timeZone`, RFC 3339. */
export function zonedDateTime(timeZone: string, epochMs: number): string {
  return formatRfc3339(epochMs, utcOffsetMinutes(timeZone, epochMs));
}

/** Milliseconds since the epoch of an RFC 3339 / ISO 8601 date, or NaN. */
export function toEpochMs(value: string | Date): number {
  return value instanceof Date ? value.getTime() : Date.parse(value);
}
