// How the contract judges raw body bytes, in the order a server must: UTF-8, then JSON, then the schema.

import { isUtf8 } from 'node:buffer';
import { userProfileViolations, type Violation } from '../src/contract/validators.ts';
import { SYNTAX_RULES } from './mutations.ts';

/** Every reason `body` breaks the contract ([] when it is a valid registration); the oracle for mutation labels. */
export function bodyViolations(body: Buffer | string): Violation[] {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  if (!isUtf8(bytes)) return [{ pointer: '', rule: SYNTAX_RULES.utf8, detail: 'the body is not valid UTF-8' }];
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    return [{ pointer: '', rule: SYNTAX_RULES.json, detail: `the body is not JSON: ${(error as Error).message}` }];
  }
  return userProfileViolations(data);
}
