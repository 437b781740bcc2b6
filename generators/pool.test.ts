// Proves the pooled path: every payload valid, unique IDs written everywhere they belong, template content kept, determinism.

import { describe, expect, it } from 'vitest';
import type { UserProfile } from '../src/contract/user-profile-schema.ts';
import { isValidUserProfile, userProfileViolations } from '../src/contract/validators.ts';
import { InvalidOptionError } from '../src/errors.ts';
import { PROFILE_ID_OFFSET, createPayloadPool, profileIdOf } from './pool.ts';
import { profile } from './profile.ts';

const parse = (body: Buffer) => JSON.parse(body.toString('utf8')) as UserProfile;
/** The body with its per-payload IDs blanked: what must equal the template. */
const content = (p: UserProfile) => {
  const copy = structuredClone(p);
  copy.userProfileId = 'ID';
  copy.arid = copy.arid!.slice(0, 18);
  copy.tpAuditMetadata = { sessionId: 'S', transactionGroupId: 'G' };
  for (const e of copy.sdkAuditEvents!) Object.assign(e, { userProfileId: 'ID', sessionId: 'S', transactionGroupId: 'G' });
  return copy;
};

describe('createPayloadPool', () => {
  const pool = createPayloadPool({ seed: 11, templates: 64 });

  it('issues payloads that all validate against the contract (20,000 of them)', () => {
    for (let i = 0; i < 20_000; i++) {
      const { body } = pool.next();
      const data = parse(body);
      if (!isValidUserProfile(data)) expect(userProfileViolations(data)).toEqual([]);
    }
  });

  it('gives every payload a never-issued profile ID, written in the body and every event, plus fresh session IDs', () => {
    const ids = new Set<string>();
    const sessions = new Set<string>();
    let misplaced = 0;
    for (let i = 0; i < 200_000; i++) {
      const { id, body } = pool.next();
      ids.add(id);
      if (profileIdOf(body) !== id) misplaced++;
      if (i % 100 === 0) {
        const p = parse(body);
        expect(p.userProfileId).toBe(id);
        expect(p.sdkAuditEvents!.every((e) => e.userProfileId === id && e.sessionId === p.tpAuditMetadata!.sessionId && e.transactionGroupId === p.tpAuditMetadata!.transactionGroupId)).toBe(true);
        sessions.add(p.tpAuditMetadata!.sessionId);
      }
    }
    expect(misplaced).toBe(0);
    expect(ids.size).toBe(200_000);
    expect(sessions.size).toBe(2_000);
  });

  it('keeps the realistic content of its template and changes only the per-payload IDs', () => {
    for (let i = 0; i < 500; i++) {
      const payload = pool.next();
      const fromTemplate = parse(pool.templateBody(payload.template));
      const issued = parse(payload.body);
      expect(content(issued)).toEqual(content(fromTemplate));
      expect(issued.arid).not.toBe(fromTemplate.arid);
      expect(issued.tpAuditMetadata!.sessionId).not.toBe(fromTemplate.tpAuditMetadata!.sessionId);
    }
  });

  it('builds template 0 from profile({ seed }), so templates are the faker path\'s profiles', () => {
    expect(parse(pool.templateBody(0))).toEqual(profile({ seed: 11 }));
  });

  it('writes a given ID spelling into every occurrence with withId()', () => {
    const { id, body } = pool.withId('C908BC7C-9917-48FD-B862-D901A0880FEF');
    const p = parse(body);
    expect(id).toBe('C908BC7C-9917-48FD-B862-D901A0880FEF');
    expect(p.userProfileId).toBe(id);
    expect(p.sdkAuditEvents!.every((e) => e.userProfileId === id)).toBe(true);
    expect(isValidUserProfile(p)).toBe(true);
    expect(() => pool.withId('short')).toThrow(InvalidOptionError);
    expect(() => pool.withId('c908bc7c99174-8fd-b862-d901a0880fef')).toThrow(InvalidOptionError);
  });

  it('returns the same bytes from nextBody() as from next(), and places the ID at PROFILE_ID_OFFSET', () => {
    const a = createPayloadPool({ seed: 5, templates: 8 });
    const b = createPayloadPool({ seed: 5, templates: 8 });
    for (let i = 0; i < 100; i++) {
      const body = a.nextBody();
      expect(body.equals(b.next().body)).toBe(true);
      expect(body.toString('latin1', 0, PROFILE_ID_OFFSET)).toMatch(/^\{"countryCode":"[A-Z]{2}","userProfileId":"$/);
    }
  });
});

describe('pool determinism and memory modes', () => {
  const run = (seed: number, options: { recycle?: boolean; slabBytes?: number } = {}) => {
    const pool = createPayloadPool({ seed, templates: 16, ...options });
    // Copy each body at once: in recycle mode a body lives only until its slab is reused.
    return Buffer.concat(Array.from({ length: 3_000 }, () => Buffer.from(pool.nextBody())));
  };

  it('gives a byte-identical stream for the same seed and a different one for another seed', () => {
    expect(run(3).equals(run(3))).toBe(true);
    expect(run(3).equals(run(4))).toBe(false);
  });

  it('issues the same bytes whether bodies are patched in place (recycle) or fresh, whatever the slab size', () => {
    expect(run(3, { recycle: true }).equals(run(3))).toBe(true);
    expect(run(3, { slabBytes: 4096 }).equals(run(3))).toBe(true);
    const recycled = createPayloadPool({ seed: 3, templates: 16, recycle: true });
    for (let i = 0; i < 2_000; i++) expect(isValidUserProfile(parse(recycled.withId('C908BC7C-9917-48FD-B862-D901A0880FEF').body))).toBe(true);
  });

  it('rejects a bad template count', () => {
    expect(() => createPayloadPool({ templates: 0 })).toThrow(/templates/);
  });
});
