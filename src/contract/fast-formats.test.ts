import { fullFormats } from 'ajv-formats/dist/formats.js';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../random.ts';
import { UUID_PATTERN } from './canonical-id.ts';
import { contractRegExp, isDateTime, isUuidText } from './fast-formats.ts';

const ajvDateTime = (fullFormats['date-time'] as { validate: (s: string) => boolean }).validate;
const uuidRegExp = new RegExp(UUID_PATTERN, 'u');

/** A random string over `alphabet`, `length` characters. */
function randomText(next: () => number, alphabet: string, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet[Math.floor(next() * alphabet.length)];
  return text;
}

/** Mutate one character of `text` to one of `alphabet` (a near-miss of a valid value). */
function mutate(next: () => number, text: string, alphabet: string): string {
  const at = Math.floor(next() * text.length);
  return text.slice(0, at) + alphabet[Math.floor(next() * alphabet.length)] + text.slice(at + 1);
}

describe('isDateTime decides exactly as ajv-formats date-time (full mode)', () => {
  it.each([
    '2020-01-28T13:16:01.714-05:00',
    '2020-01-28t13:16:01z',
    '2020-02-29T00:00:00Z', // leap year
    '1900-02-29T00:00:00Z', // not a leap year
    '2000-02-29T00:00:00Z', // leap year (÷400)
    '2021-04-31T00:00:00Z', // April has 30 days
    '2016-12-31T23:59:60Z', // leap second, decided by ajv-formats
    '2016-12-31T18:59:60-05:00', // leap second in another zone
    '2020-01-28T13:16:59.9999999999999999999Z', // rounds to 60 s: ajv-formats' rule
    '2020-01-28 13:16:01Z', // space separator
    '2020-01-28T13:16:01-0500', // offset without colon
    '2020-01-28T13:16:01-05', // hour-only offset
    '2020-01-28T13:16:01', // no offset
    '2020-01-28T24:00:00Z',
    '2020-01-28T13:60:00Z',
    '2020-01-28T13:16:01+24:00',
    '2020-01-28T13:16:01+05:60',
    '2020-13-28T13:16:01Z',
    '2020-00-28T13:16:01Z',
    '2020-01-00T13:16:01Z',
    '2020-01-28T13:16:01.Z',
    '2020-01-28T13:16:01.714-05:00 ',
    '2020-01-28T13:16:01.714-05:00\n',
    '２020-01-28T13:16:01Z', // a non-ASCII digit
    '',
  ])('%j', (text) => {
    expect(isDateTime(text)).toBe(ajvDateTime(text));
  });

  it('agrees on 200,000 random and near-miss strings', () => {
    const random = createRandom(7);
    const next = () => random.next();
    const alphabet = '0123456789-:.TtZz+- \u00a0x';
    for (let i = 0; i < 100_000; i++) {
      const valid = `${randomText(next, '0123456789', 4)}-${randomText(next, '01', 1)}${randomText(next, '0123456789', 1)}-` +
        `${randomText(next, '0123', 1)}${randomText(next, '0123456789', 1)}T${randomText(next, '012', 1)}${randomText(next, '0123456789', 1)}:` +
        `${randomText(next, '0123456', 1)}${randomText(next, '0123456789', 1)}:${randomText(next, '0123456', 1)}${randomText(next, '0123456789', 1)}` +
        `${next() < 0.5 ? `.${randomText(next, '0123456789', 1 + Math.floor(next() * 12))}` : ''}` +
        `${next() < 0.3 ? 'Z' : `${next() < 0.5 ? '+' : '-'}${randomText(next, '012', 1)}${randomText(next, '0123456789', 1)}:${randomText(next, '0123456', 1)}${randomText(next, '0123456789', 1)}`}`;
      for (const text of [valid, mutate(next, valid, alphabet)]) {
        if (isDateTime(text) !== ajvDateTime(text)) expect.fail(`differs on ${JSON.stringify(text)}`);
      }
    }
  });
});

describe('isUuidText decides exactly as UUID_PATTERN', () => {
  it.each([
    'c908bc7c-9917-48fd-b862-d901a0880fef',
    'C908BC7C-9917-48FD-B862-D901A0880FEF',
    'c908bc7c-9917-48fd-b862-d901a0880fe',
    'c908bc7c-9917-48fd-b862-d901a0880fefa',
    'c908bc7c99174-8fd-b862-d901a0880fef',
    'g908bc7c-9917-48fd-b862-d901a0880fef',
    'c908bc7c-9917-48fd-b862-d901a0880fe\u0100',
    'urn:uuid:c908bc7c-9917-48fd-b862-d901a0880fef',
    '',
  ])('%j', (text) => {
    expect(isUuidText(text)).toBe(uuidRegExp.test(text));
  });

  it('agrees on 100,000 near-miss strings', () => {
    const random = createRandom(11);
    const next = () => random.next();
    const hex = '0123456789abcdefABCDEF';
    for (let i = 0; i < 50_000; i++) {
      const valid = [8, 4, 4, 4, 12].map((n) => randomText(next, hex, n)).join('-');
      for (const text of [valid, mutate(next, valid, `${hex}-gG:\u00e9\ud83d`)]) {
        if (isUuidText(text) !== uuidRegExp.test(text)) expect.fail(`differs on ${JSON.stringify(text)}`);
      }
    }
  });

  it('is what ajv gets for UUID_PATTERN; other patterns stay RegExps', () => {
    expect(contractRegExp(UUID_PATTERN, 'u').test).toBe(isUuidText);
    expect(contractRegExp('^a$', 'u')).toBeInstanceOf(RegExp);
  });
});
