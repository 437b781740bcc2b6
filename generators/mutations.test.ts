// Proves every mutation is rejected for its labelled reason (and only that), and that the catalogue follows the schema.

import { describe, expect, it } from 'vitest';
import { UUID_PATTERN } from '../src/contract/canonical-id.ts';
import { userProfileSchema, type UserProfile } from '../src/contract/user-profile-schema.ts';
import { InvalidOptionError } from '../src/errors.ts';
import { bodyViolations } from './body-check.ts';
import { MUTATION_KINDS, mutate, mutationCatalogue, type MutationCase } from './mutations.ts';
import { createPayloadPool } from './pool.ts';
import { profile } from './profile.ts';
import { schemaLocations, type SchemaNode } from './schema-walk.ts';

const catalogue = mutationCatalogue();
const labels = (cases: readonly MutationCase[]) => cases.map((c) => c.label);

/** The labelled (pointer, rule) is among the violations, and nothing else in the body is broken. */
function expectRejectedFor(body: Buffer, c: MutationCase): void {
  const violations = bodyViolations(body);
  expect(violations.map((v) => `${v.pointer} ${v.rule}`), c.label).toContain(`${c.pointer} ${c.rule}`);
  expect(violations.every((v) => v.pointer === c.pointer), `${c.label}: ${JSON.stringify(violations)}`).toBe(true);
}

describe('mutate()', () => {
  it('is rejected by the contract validator for the labelled reason, for every case and several valid bodies', () => {
    const pool = createPayloadPool({ seed: 21, templates: 8 });
    const bases: (UserProfile | Buffer)[] = [profile({ seed: 1 }), profile({ seed: 2, eventCount: { min: 7, max: 7, shape: 'uniform' } }), pool.next().body];
    for (const base of bases) {
      for (const c of catalogue) {
        const m = mutate(base, c.label);
        expect({ ...m, body: undefined }).toEqual({ ...c, body: undefined });
        expectRejectedFor(m.body, c);
      }
    }
  });

  it('labels each case with a client-error expectation and keeps bodies on one line (corpus-safe)', () => {
    for (const c of catalogue) {
      expect(c.expect).toBe('4xx');
      expect(c.preferredStatus).toBe(400);
      expect(c.label).toMatch(/^[a-z0-9-]+(:[A-Za-z0-9-]+)?#(\/[^/]*)*$/);
      expect(mutate(profile({ seed: 3 }), c.label).body.includes(0x0a), c.label).toBe(false);
    }
    expect(new Set(labels(catalogue)).size).toBe(catalogue.length);
  });

  it('completes a sparse valid body first, so even a minimal one takes every mutation', () => {
    const minimal: UserProfile = { userProfileId: 'c908bc7c-9917-48fd-b862-d901a0880fef', countryCode: 'US' };
    for (const c of catalogue) expectRejectedFor(mutate(minimal, c.label).body, c);
  });

  it('picks the choice-th case of a kind, deterministically, from an object, its text or its bytes', () => {
    const p = profile({ seed: 4 });
    const family = catalogue.filter((c) => c.kind === 'missing-required');
    expect(mutate(p, 'missing-required', 1).label).toBe(family[1]!.label);
    expect(mutate(p, 'missing-required', family.length + 1).label).toBe(family[1]!.label);
    const a = mutate(p, 'bad-date-time', 2).body;
    expect(mutate(JSON.stringify(p), 'bad-date-time', 2).body.equals(a)).toBe(true);
    expect(mutate(Buffer.from(JSON.stringify(p)), 'bad-date-time', 2).body.equals(a)).toBe(true);
    expect(p).toEqual(profile({ seed: 4 })); // the valid body is left alone
    expect(() => mutate(p, 'no-such-kind')).toThrow(InvalidOptionError);
  });
});

describe('mutationCatalogue(): the issue\'s list, derived from the schema', () => {
  const locations = schemaLocations(userProfileSchema as SchemaNode);
  const has = (label: string) => expect(labels(catalogue)).toContain(label);

  it('removes each required field in turn, at every level', () => {
    const required = locations.filter((l) => l.required).map((l) => `missing-required#${l.pointer}`);
    expect(required).toHaveLength(17);
    expect(labels(catalogue.filter((c) => c.kind === 'missing-required'))).toEqual(required);
  });

  it('gives every typed field a wrong JSON type and null', () => {
    const typed = locations.filter((l) => l.parent !== null && l.schema.type !== undefined);
    expect(labels(catalogue.filter((c) => c.kind === 'wrong-type'))).toEqual(typed.map((l) => `wrong-type#${l.pointer}`));
    expect(labels(catalogue.filter((c) => c.kind === 'null-value'))).toEqual(typed.map((l) => `null-value#${l.pointer}`));
  });

  it('covers malformed UUIDs, unknown country codes, bad date-times, array and string limits, unknown properties', () => {
    for (const l of locations.filter((l) => l.schema.pattern === UUID_PATTERN)) has(`malformed-uuid:no-hyphens#${l.pointer}`);
    for (const v of ['lower-case', 'UK', 'USA', 'XK', 'unassigned']) has(`unknown-enum-value:${v}#/countryCode`);
    for (const v of ['no-offset', 'date-only', 'impossible-date', 'hour-25', 'space-separator', 'offset-without-colon', 'hours-only-offset']) has(`bad-date-time:${v}#/sdkAuditEvents/0/dateTime`);
    has('empty-array#/sdkAuditEvents');
    has('oversized-array#/sdkAuditEvents');
    for (const l of locations.filter((l) => l.schema.maxLength !== undefined)) has(`overlong-string#${l.pointer}`);
    for (const l of locations.filter((l) => l.schema.additionalProperties === false)) has(`unknown-property#${l.pointer}/unexpectedProperty`);
  });

  it('covers bodies that are not objects, not JSON, truncated, deeply nested or not UTF-8', () => {
    for (const v of ['array', 'array-of-body', 'double-encoded', 'number', 'boolean', 'null']) has(`non-object-body:${v}#`);
    has('truncated-json:half#');
    has('truncated-json:empty#');
    has('non-json-bytes:form-urlencoded#');
    has('deep-nesting:array#/countryCode');
    has('deep-nesting:object#/unexpectedProperty');
    has('invalid-utf8:overlong-slash#');
    const used = new Set(catalogue.map((c) => c.kind));
    expect(MUTATION_KINDS.filter((k) => !used.has(k))).toEqual(['pattern-mismatch']); // no non-UUID pattern in the contract
  });

  it('follows a schema change: a new field gains its mutations, a dropped limit loses them', () => {
    const changed = structuredClone(userProfileSchema) as unknown as { required: string[]; properties: Record<string, SchemaNode> };
    changed.required = [...changed.required, 'channel'];
    changed.properties.channel = { type: 'string', minLength: 1, maxLength: 8, pattern: '^[a-z]+$' };
    delete changed.properties.sdkAuditEvents!.maxItems;
    const next = labels(mutationCatalogue(changed as SchemaNode));
    for (const label of ['missing-required#/channel', 'wrong-type#/channel', 'null-value#/channel', 'empty-string#/channel', 'overlong-string#/channel', 'pattern-mismatch:mismatch#/channel']) {
      expect(next).toContain(label);
    }
    expect(next).not.toContain('oversized-array#/sdkAuditEvents');
  });
});
