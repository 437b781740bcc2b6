// Proves `stampede generate` option validation: resolved values, and errors that name the option, the rule and the fix.

import { describe, expect, it } from 'vitest';
import { GENERATOR_DEFAULTS } from '../defaults.ts';
import { InvalidOptionError } from '../errors.ts';
import { parseEvents, resolveGenerateOptions } from './generate-options.ts';

describe('resolveGenerateOptions', () => {
  it('resolves typed values and fills defaults', () => {
    expect(resolveGenerateOptions({ count: '100000', out: 'c.ndjson' })).toEqual({
      count: 100_000, seed: GENERATOR_DEFAULTS.seed, out: 'c.ndjson', invalid: false, dupRatio: 0, dupPattern: 'mixed',
      variantRatio: GENERATOR_DEFAULTS.variantRatio, gzip: false, eventCount: GENERATOR_DEFAULTS.eventCount, countries: 'weighted',
    });
    expect(resolveGenerateOptions({ count: 5, out: 'x', dupRatio: '5%', dupPattern: 'hot', events: '2-4:uniform', countries: 'uniform', seed: '9' }))
      .toMatchObject({ dupRatio: 0.05, dupPattern: 'hot', eventCount: { min: 2, max: 4, shape: 'uniform' }, countries: 'uniform', seed: 9 });
  });

  it.each([
    [{ out: 'x' }, '--count', /is required/],
    [{ count: '0', out: 'x' }, '--count', /at least 1/],
    [{ count: '1e3', out: 'x' }, '--count', /not a whole number; write how many/],
    [{ count: '2000000000', out: 'x' }, '--count', /at most 1000000000/],
    [{ count: '1' }, '--out', /is required/],
    [{ count: '1', out: '-' }, '--out', /not standard output/],
    [{ count: '1', out: 'x', seed: '-1' }, '--seed', /at least 0/],
    [{ count: '1', out: 'x', dupRatio: '2' }, '--dup-ratio', /not a fraction/],
    [{ count: '1', out: 'x', dupRatio: '1' }, '--dup-ratio', /below 1/],
    [{ count: '1', out: 'x', dupRatio: '0.1', invalid: true }, '--dup-ratio', /--invalid/],
    [{ count: '1', out: 'x', dupPattern: 'often' }, '--dup-pattern', /mixed, immediate, delayed, hot/],
    [{ count: '1', out: 'x', variantRatio: 'x' }, '--variant-ratio', /not a fraction/],
    [{ count: '1', out: 'x', countries: 'europe' }, '--countries', /weighted .* or uniform/],
    [{ count: '1', out: 'x', events: '0-3' }, '--events', /1 ≤ MIN ≤ MAX ≤ 100/],
  ])('rejects %j on %s', (input, option, message) => {
    let error: unknown;
    try {
      resolveGenerateOptions(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).option).toBe(option);
    expect((error as InvalidOptionError).message).toMatch(message);
    expect((error as InvalidOptionError).exitCode).toBe(2);
  });
});

describe('parseEvents', () => {
  it('reads MIN, MIN-MAX and a shape', () => {
    expect(parseEvents('2')).toEqual({ min: 2, max: 2, shape: 'geometric' });
    expect(parseEvents('1-8:uniform')).toEqual({ min: 1, max: 8, shape: 'uniform' });
    expect(() => parseEvents('5-2')).toThrow(InvalidOptionError);
    expect(() => parseEvents('1-101')).toThrow(/--events/);
  });
});
