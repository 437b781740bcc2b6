import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../errors.ts';
import { resolveServiceOptions } from './service-options.ts';
import { parseBytes, parseDuration, parseFraction, parseInteger, parsePort } from './units.ts';

describe('option units', () => {
  it('durations need a unit and convert to ms', () => {
    expect(parseDuration('--t', '250ms')).toBe(250);
    expect(parseDuration('--t', '1.5s')).toBe(1500);
    expect(parseDuration('--t', '2m')).toBe(120_000);
    expect(parseDuration('--t', '500us')).toBe(0.5);
    expect(parseDuration('--t', 42)).toBe(42); // numbers from code are ms
    expect(() => parseDuration('--timeout', '10')).toThrow(/--timeout: "10" is not a duration; write a number with a unit/);
    expect(() => parseDuration('--timeout', '-1s')).toThrow(InvalidOptionError);
    expect(() => parseDuration('--timeout', '5s', { max: 1000 })).toThrow('--timeout: must be at most 1s (got 5s)');
  });

  it('sizes accept bytes or units', () => {
    expect(parseBytes('--max-body', '1mib')).toBe(1_048_576);
    expect(parseBytes('--max-body', '512KB')).toBe(512_000);
    expect(parseBytes('--max-body', '100')).toBe(100);
    expect(() => parseBytes('--max-body', 'big')).toThrow(/--max-body: "big" is not a size/);
    expect(() => parseBytes('--max-body', '0', { min: 1 })).toThrow('--max-body: must be at least 1 bytes (got 0 bytes)');
  });

  it('fractions are 0..1 or a percentage', () => {
    expect(parseFraction('--dup-ratio', '0.05')).toBe(0.05);
    expect(parseFraction('--dup-ratio', '5%')).toBe(0.05);
    expect(() => parseFraction('--dup-ratio', '1.5')).toThrow(/--dup-ratio: "1.5" is not a fraction; write a number from 0 to 1/);
    expect(() => parseFraction('--dup-ratio', '-0.1')).toThrow(InvalidOptionError);
  });

  it('integers and ports', () => {
    expect(parseInteger('--n', '12')).toBe(12);
    expect(() => parseInteger('--n', '1.5')).toThrow('--n: "1.5" is not a whole number');
    expect(parsePort('--port', '0')).toBe(0);
    expect(() => parsePort('--port', '70000')).toThrow('--port: must be at most 65535 (got 70000)');
  });
});

describe('resolveServiceOptions', () => {
  it('fills defaults (port 0 in-process) and converts units', () => {
    const options = resolveServiceOptions({ maxBody: '2kb', headerTimeout: '1s' });
    expect(options).toMatchObject({ host: '127.0.0.1', port: 0, maxBodyBytes: 2000, headersTimeoutMs: 1000, faults: {}, seed: 1, keepPayloads: false });
  });

  it('names the option and the rule on bad input', () => {
    expect(() => resolveServiceOptions({ port: 'eighty' })).toThrow('--port: "eighty" is not a whole number');
    expect(() => resolveServiceOptions({ headerTimeout: '10s', requestTimeout: '1s' })).toThrow(/--request-timeout: must be at least --header-timeout/);
    expect(() => resolveServiceOptions({ seed: '-3' })).toThrow(/--seed: must be at least 0/);
    expect(() => resolveServiceOptions({ host: ' ' })).toThrow(/--host/);
  });
});
