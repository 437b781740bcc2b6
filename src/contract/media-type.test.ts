import { describe, expect, it } from 'vitest';
import { isJsonContentType } from './media-type.ts';

describe('isJsonContentType', () => {
  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON;charset="UTF-8"',
    'application/problem+json',
    'application/json; profile=x',
  ])('accepts %s', (header) => expect(isJsonContentType(header)).toBe(true));

  it.each([undefined, '', 'text/plain', 'application/xml', 'text/json', 'application/json; charset=latin1', 'application/jsonp', 'multipart/form-data'])(
    'refuses %s',
    (header) => expect(isJsonContentType(header)).toBe(false),
  );
});
