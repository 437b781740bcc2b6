// The curl command builder: shell quoting, secret placeholders, body files for large or binary bodies.

import { describe, expect, it } from 'vitest';
import { curlCommand, fileStemFor, headerVariable, shellQuote } from './curl.ts';

const options = { base: 'http://127.0.0.1:8080', secretHeaders: new Set(['authorization']), resultDirectory: '/tmp/r', timeoutMs: 10_000 };

describe('curlCommand', () => {
  it('quotes for a POSIX shell and reads secret header values from $STAMPEDE_HEADER_<NAME>', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(headerVariable('X-Api-Key')).toBe('STAMPEDE_HEADER_X_API_KEY');
    const { command, bodyFile } = curlCommand(
      { method: 'POST', path: '/user-profiles', headers: [['Content-Type', 'application/json'], ['Authorization', 'Bearer secret']], body: Buffer.from(`{"a":"it's"}`) },
      'X',
      options,
    );
    expect(bodyFile).toBeUndefined();
    expect(command).not.toContain('secret');
    expect(command).toContain(`-H 'Authorization: '"$STAMPEDE_HEADER_AUTHORIZATION"`);
    expect(command).toContain(`--data-binary '{"a":"it'\\''s"}'`);
    expect(command).toMatch(/^curl -sS -i --max-time 10 -X 'POST' 'http:\/\/127\.0\.0\.1:8080\/user-profiles'/);
  });

  it('writes binary, large or @-leading bodies to a file; suppresses curl\'s own Content-Type when none is sent; empty values stay empty', () => {
    for (const body of [Buffer.from([0x7b, 0xff, 0x7d]), Buffer.from('x'.repeat(10_000)), Buffer.from('@/etc/passwd'), Buffer.from('a\nb')]) {
      const { command, bodyFile } = curlCommand({ method: 'POST', path: '/user-profiles', headers: [['Content-Type', '']], body }, 'B', options);
      expect(bodyFile?.path).toBe('bodies/B.bin');
      expect(bodyFile?.bytes.equals(body)).toBe(true);
      expect(command).toContain(`--data-binary '@/tmp/r/bodies/B.bin'`);
      expect(command).toContain(`-H 'Content-Type;'`);
    }
    const bare = curlCommand({ method: 'POST', path: '/user-profiles', headers: [], body: Buffer.from('{}') }, 'C', options).command;
    expect(bare).toContain(`-H 'Content-Type:'`);
    const get = curlCommand({ method: 'GET', path: '/user-profiles', headers: [] }, 'D', options).command;
    expect(get).not.toContain('--data-binary');
  });

  it('makes file stems safe and unique', () => {
    const taken = new Set<string>();
    expect(fileStemFor('SCHEMA-400./countryCode.enum:UK', taken)).toBe('SCHEMA-400._countryCode.enum_UK');
    expect(fileStemFor('SCHEMA-400./countryCode.enum/UK', taken)).toBe('SCHEMA-400._countryCode.enum_UK-2');
  });
});
