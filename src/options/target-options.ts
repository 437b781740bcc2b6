// Options every run command shares: the target (or the embedded service and its faults) and extra request headers.

import { InvalidOptionError } from '../errors.ts';
import { parseFaults } from '../service/faults.ts';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/; // RFC 9110 field-name

/** `--target URL` (undefined: the embedded reference service) and `--fault …` (the embedded service only). */
export function resolveTarget(input: { target?: string; fault?: readonly string[] }): { target: URL | undefined; faults: readonly string[] } {
  const target = input.target === undefined ? undefined : parseTarget(input.target);
  const faults = input.fault ?? [];
  if (faults.length > 0 && target !== undefined) {
    throw new InvalidOptionError('--fault', 'injects faults into the embedded reference service, so it cannot be combined with --target; drop one of the two');
  }
  parseFaults(faults);
  return { target, faults };
}

export function parseTarget(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidOptionError('--target', `${JSON.stringify(text)} is not a URL; write the base URL of the service, e.g. --target http://127.0.0.1:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidOptionError('--target', `must be an http:// or https:// URL (got ${url.protocol})`);
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    throw new InvalidOptionError('--target', `must be the base URL without a path (stampede adds /user-profiles); e.g. --target ${url.origin}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new InvalidOptionError('--target', 'must not carry credentials; send them as a header instead, e.g. -H "Authorization: Basic …"');
  }
  return url;
}

export function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(':');
  const name = colon === -1 ? '' : text.slice(0, colon).trim();
  const value = colon === -1 ? '' : text.slice(colon + 1).trim();
  if (!TOKEN.test(name)) {
    throw new InvalidOptionError('-H', `${JSON.stringify(text)} is not a header; write 'Name: value', e.g. -H 'Authorization: Bearer …'`);
  }
  if (/[\r\n\0]/.test(value)) throw new InvalidOptionError('-H', `the value of ${name} contains a line break or NUL, which HTTP does not allow`);
  const lower = name.toLowerCase();
  if (lower === 'content-length' || lower === 'host' || lower === 'transfer-encoding' || lower === 'connection') {
    throw new InvalidOptionError('-H', `${name} is set by stampede itself and cannot be overridden`);
  }
  return [name, value];
}

