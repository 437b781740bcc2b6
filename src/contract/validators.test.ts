import { describe, expect, it } from 'vitest';
import { ISO_3166_1_ALPHA_2 } from './countries.ts';
import { specExample } from './example.ts';
import { CONTRACT_LIMITS, type UserProfile } from './user-profile-schema.ts';
import { isValidUserProfile, MAX_REPORTED_VIOLATIONS, userProfileViolations } from './validators.ts';

const ID = 'c908bc7c-9917-48fd-b862-d901a0880fef';

function withChange(change: (body: Record<string, any>) => void): Record<string, any> {
  const body = specExample() as unknown as Record<string, any>;
  change(body);
  return body;
}

describe('user profile schema', () => {
  it('accepts the spec example and the minimal body', () => {
    expect(userProfileViolations(specExample())).toEqual([]);
    expect(isValidUserProfile({ userProfileId: ID, countryCode: 'US' })).toBe(true);
  });

  it('accepts an upper-case UUID (IDs are case-insensitive)', () => {
    expect(isValidUserProfile({ userProfileId: ID.toUpperCase(), countryCode: 'US' })).toBe(true);
  });

  it('has exactly the 249 ISO 3166-1 alpha-2 codes, each accepted', () => {
    expect(new Set(ISO_3166_1_ALPHA_2).size).toBe(249);
    for (const code of ISO_3166_1_ALPHA_2) expect(isValidUserProfile({ userProfileId: ID, countryCode: code })).toBe(true);
  });

  it.each([
    ['missing userProfileId', { countryCode: 'US' }, '/userProfileId', 'required'],
    ['missing countryCode', { userProfileId: ID }, '/countryCode', 'required'],
    ['unknown country', { userProfileId: ID, countryCode: 'XX' }, '/countryCode', 'enum'],
    ['lower-case country', { userProfileId: ID, countryCode: 'us' }, '/countryCode', 'enum'],
    ['URN-prefixed UUID', { userProfileId: `urn:uuid:${ID}`, countryCode: 'US' }, '/userProfileId', 'pattern'],
    ['numeric ID', { userProfileId: 42, countryCode: 'US' }, '/userProfileId', 'type'],
    ['unknown property', { userProfileId: ID, countryCode: 'US', admin: true }, '/admin', 'additionalProperties'],
  ])('rejects %s at %s (%s)', (_name, body, pointer, rule) => {
    expect(isValidUserProfile(body)).toBe(false);
    expect(userProfileViolations(body)).toContainEqual(expect.objectContaining({ pointer, rule }));
  });

  it('rejects a date-time without an offset, and accepts one with Z or ±hh:mm', () => {
    const at = (dateTime: string) => withChange((b) => (b.sdkAuditEvents[0].dateTime = dateTime));
    expect(userProfileViolations(at('2020-01-28T13:16:01.714'))).toContainEqual(
      expect.objectContaining({ pointer: '/sdkAuditEvents/0/dateTime', rule: 'format' }),
    );
    expect(isValidUserProfile(at('2020-01-28T18:16:01Z'))).toBe(true);
    expect(isValidUserProfile(at('2020-01-28T13:16:01.714+05:30'))).toBe(true);
  });

  it('accepts any JSON value in audit.*.value but requires the value and no other keys', () => {
    for (const value of [null, 1, 'x', [1, [2]], { deep: { er: true } }, false]) {
      expect(isValidUserProfile(withChange((b) => (b.sdkAuditEvents[0].audit.result = { value })))).toBe(true);
    }
    expect(userProfileViolations(withChange((b) => (b.sdkAuditEvents[0].audit.result = {})))).toContainEqual(
      expect.objectContaining({ pointer: '/sdkAuditEvents/0/audit/result/value', rule: 'required' }),
    );
    expect(userProfileViolations(withChange((b) => (b.sdkAuditEvents[0].audit.other = { value: 1 })))).toContainEqual(
      expect.objectContaining({ pointer: '/sdkAuditEvents/0/audit/other', rule: 'additionalProperties' }),
    );
  });

  it('enforces the documented limits: events 1..max, label and version lengths, non-empty strings', () => {
    const event = (specExample().sdkAuditEvents ?? [])[0]!;
    expect(isValidUserProfile(withChange((b) => (b.sdkAuditEvents = Array(CONTRACT_LIMITS.maxAuditEvents).fill(event))))).toBe(true);
    expect(userProfileViolations(withChange((b) => (b.sdkAuditEvents = Array(CONTRACT_LIMITS.maxAuditEvents + 1).fill(event))))).toContainEqual(
      expect.objectContaining({ pointer: '/sdkAuditEvents', rule: 'maxItems' }),
    );
    expect(userProfileViolations(withChange((b) => (b.sdkAuditEvents = [])))).toContainEqual(
      expect.objectContaining({ pointer: '/sdkAuditEvents', rule: 'minItems' }),
    );
    expect(userProfileViolations(withChange((b) => (b.sdkAuditEvents[1].deviceMake = 'x'.repeat(CONTRACT_LIMITS.maxLabelLength + 1))))).toContainEqual(
      expect.objectContaining({ pointer: '/sdkAuditEvents/1/deviceMake', rule: 'maxLength' }),
    );
    expect(userProfileViolations(withChange((b) => (b.sdkVersion = '')))).toContainEqual(expect.objectContaining({ pointer: '/sdkVersion', rule: 'minLength' }));
  });

  it('names each missing required field of an event by its pointer', () => {
    const violations = userProfileViolations(withChange((b) => (b.sdkAuditEvents[1] = { osVersion: 'iOS 17.2' })));
    expect(violations.map((v) => v.pointer).sort()).toEqual(
      ['/sdkAuditEvents/1/dateTime', '/sdkAuditEvents/1/logEvent', '/sdkAuditEvents/1/type', '/sdkAuditEvents/1/userProfileId'],
    );
  });

  it('escapes pointer tokens (RFC 6901) and caps the number of reported violations', () => {
    expect(userProfileViolations({ userProfileId: ID, countryCode: 'US', 'a/b~c': 1 })).toContainEqual(
      expect.objectContaining({ pointer: '/a~1b~0c', rule: 'additionalProperties' }),
    );
    const hostile = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i]));
    expect(userProfileViolations(hostile)).toHaveLength(MAX_REPORTED_VIOLATIONS);
  });

  it('rejects non-object bodies', () => {
    for (const body of [null, [], 'x', 1, true, [specExample()]]) expect(isValidUserProfile(body)).toBe(false);
  });

  it('types: the example satisfies the UserProfile interface', () => {
    const profile: UserProfile = specExample();
    expect(profile.userProfileId).toBe(ID);
  });
});

describe('dateTime is RFC 3339 exactly', () => {
  const at = (dateTime: string) => {
    const body = specExample() as unknown as { sdkAuditEvents: { dateTime: string }[] };
    body.sdkAuditEvents[0]!.dateTime = dateTime;
    return userProfileViolations(body).map((v) => `${v.pointer} ${v.rule}`);
  };
  it.each(['2020-01-28T13:16:01-05:00', '2020-01-28t13:16:01.714z', '2016-12-31T23:59:60Z', '2020-02-29T00:00:00.123456789+14:00'])('accepts %s', (value) => {
    expect(at(value)).toEqual([]);
  });
  it.each([
    ['2020-01-28 13:16:01-05:00', 'pattern'],
    ['2020-01-28T13:16:01-0500', 'pattern'],
    ['2020-01-28T13:16:01-05', 'pattern'],
    ['2020-02-30T13:16:01Z', 'format'],
    ['2020-01-28T25:16:01Z', 'format'],
  ])('refuses %s (%s)', (value, rule) => {
    expect(at(value)).toContain(`/sdkAuditEvents/0/dateTime ${rule}`);
  });
});
