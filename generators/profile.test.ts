// Proves the faker path: contract-valid over 10,000 seeds, internally consistent, realistic, configurable, deterministic.

import { describe, expect, it } from 'vitest';
import { ISO_3166_1_ALPHA_2 } from '../src/contract/countries.ts';
import { AUDIT_ENTRY_NAMES, type UserProfile } from '../src/contract/user-profile-schema.ts';
import { isValidUserProfile, userProfileViolations } from '../src/contract/validators.ts';
import { InvalidOptionError } from '../src/errors.ts';
import { timeZonesOf } from './country-picker.ts';
import { auditEvent, createProfileStream, profile } from './profile.ts';
import { DEVICES, ENROLLMENT_FLOW, OS_RELEASES, REQUEST_FLOWS } from './reference-data.ts';
import { formatRfc3339, utcOffsetMinutes } from './time.ts';

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)$/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

const sample = (n: number, from = 0) => Array.from({ length: n }, (_, i) => profile({ seed: from + i }));
const profiles = sample(2_000, 50_000);

describe('profile(): contract validity', () => {
  it('validates against the contract schema for every one of 10,000 seeds', () => {
    const failures: { seed: number; violations: unknown }[] = [];
    for (let seed = 0; seed < 10_000; seed++) {
      const body = profile({ seed });
      if (!isValidUserProfile(body)) failures.push({ seed, violations: userProfileViolations(body) });
    }
    expect(failures.slice(0, 3)).toEqual([]);
  });

  it('stays valid under every configurable shape: uniform countries, 1–100 events, another window', () => {
    for (let seed = 0; seed < 200; seed++) {
      const body = profile({ seed, countries: 'uniform', eventCount: { min: 1, max: 100, shape: 'uniform' }, window: { from: '2018-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' } });
      expect(userProfileViolations(body)).toEqual([]);
    }
  });
});

describe('profile(): internal consistency', () => {
  it('gives every audit event the profile ID, and one session, transaction group and tpAuditMetadata to all events', () => {
    for (const p of profiles) {
      const events = p.sdkAuditEvents!;
      expect(events.every((e) => e.userProfileId === p.userProfileId)).toBe(true);
      expect(new Set(events.map((e) => e.sessionId))).toEqual(new Set([p.tpAuditMetadata!.sessionId]));
      expect(new Set(events.map((e) => e.transactionGroupId))).toEqual(new Set([p.tpAuditMetadata!.transactionGroupId]));
      expect(new Set(events.map((e) => `${e.deviceMake}|${e.osVersion}|${e.softwareVersion}|${e.logRequestFlow}`)).size).toBe(1);
    }
  });

  it('draws countryCode from the ISO 3166-1 alpha-2 set', () => {
    const iso = new Set<string>(ISO_3166_1_ALPHA_2);
    expect(profiles.every((p) => iso.has(p.countryCode))).toBe(true);
  });

  it('writes RFC 3339 date-times with the real UTC offset of a time zone of the country, in time order', () => {
    for (const p of profiles) {
      const events = p.sdkAuditEvents!;
      const instants = events.map((e) => Date.parse(e.dateTime));
      for (let i = 1; i < instants.length; i++) expect(instants[i]!).toBeGreaterThan(instants[i - 1]!);
      for (const e of events) {
        expect(e.dateTime).toMatch(RFC3339);
        // Some zone of the country has exactly this offset at this instant (so the local time is real too).
        const ms = Date.parse(e.dateTime);
        const written = timeZonesOf(p.countryCode).map((zone) => formatRfc3339(ms, utcOffsetMinutes(zone, ms)));
        expect(written).toContain(e.dateTime);
      }
    }
  });

  it('pairs each device with its own OS family and a version it ran by the event date', () => {
    const byMake = new Map(DEVICES.map((d) => [d.make, d]));
    const byLabel = new Map(OS_RELEASES.map((r) => [r.label, r]));
    for (const p of profiles) {
      const e = p.sdkAuditEvents![0]!;
      const device = byMake.get(e.deviceMake!);
      const os = byLabel.get(e.osVersion!);
      expect(device, e.deviceMake).toBeDefined();
      expect(os, e.osVersion).toBeDefined();
      expect(os!.family).toBe(device!.family);
      expect(os!.major).toBeGreaterThanOrEqual(device!.minMajor);
      expect(os!.major).toBeLessThanOrEqual(device!.maxMajor);
      expect(Date.parse(os!.released)).toBeLessThanOrEqual(Date.parse(e.dateTime));
      expect(Date.parse(device!.released)).toBeLessThanOrEqual(Date.parse(e.dateTime));
    }
  });

  it('uses semver for softwareVersion and sdkVersion', () => {
    for (const p of profiles) {
      expect(p.sdkVersion).toMatch(SEMVER);
      for (const e of p.sdkAuditEvents!) expect(e.softwareVersion).toMatch(SEMVER);
    }
  });

  it('takes flow values from the enrollment flow of the spec, ending with ID Enrollment / User Profile Creation', () => {
    const steps = new Set(ENROLLMENT_FLOW.map((s) => `${s.logEvent}|${s.logEventType}|${s.type}`));
    const flows = new Set(REQUEST_FLOWS.map((f) => f.value));
    const seen = new Set<string>();
    for (const p of profiles) {
      const events = p.sdkAuditEvents!;
      for (const e of events) {
        expect(steps.has(`${e.logEvent}|${e.logEventType}|${e.type}`)).toBe(true);
        expect(flows.has(e.logRequestFlow!)).toBe(true);
        seen.add(e.logRequestFlow!);
      }
      const last = events[events.length - 1]!;
      expect([last.logEvent, last.logEventType, last.type]).toEqual(['ID Enrollment', 'User Profile Creation', 'audit']);
    }
    expect(seen).toEqual(flows);
  });

  it('fills the nine audit entries with plausible, consistent values', () => {
    for (const p of profiles) {
      for (const e of p.sdkAuditEvents!) {
        const audit = e.audit!;
        expect(Object.keys(audit)).toEqual([...AUDIT_ENTRY_NAMES]);
        const at = Date.parse(e.dateTime);
        const privacy = audit.privacyPolicy!.value as { accepted: boolean; acceptedAt: string };
        expect(privacy.accepted).toBe(true);
        expect(Date.parse(privacy.acceptedAt)).toBeLessThanOrEqual(at);
        const consent = audit.userBiometricConsent!.value as { granted: boolean; grantedAt?: string };
        if (consent.granted) expect(Date.parse(consent.grantedAt!)).toBeLessThanOrEqual(at);
        else expect(e.logEvent).toBe('Privacy Policy Acceptance');
        expect(audit.event!.value).toBe(e.logEvent);
        expect(audit.eventType!.value).toBe(e.logEventType);
        expect(['SUCCESS', 'FAILURE']).toContain(audit.result!.value);
        expect(audit.eventGeneratedSource!.value).toBe('SDK');
        const response = audit.responseDetails!.value as { status: number };
        expect(response.status >= 400).toBe(audit.result!.value === 'FAILURE');
      }
      // The registration itself succeeded, and biometric consent was granted by then.
      const last = p.sdkAuditEvents!.at(-1)!;
      expect(last.audit!.result!.value).toBe('SUCCESS');
      expect((last.audit!.userBiometricConsent!.value as { granted: boolean }).granted).toBe(true);
    }
  });
});

describe('profile(): configuration', () => {
  const counts = (opts: Parameters<typeof profile>[0], n = 1_000) => {
    const histogram = new Map<number, number>();
    for (let seed = 0; seed < n; seed++) {
      const k = profile({ ...opts, seed }).sdkAuditEvents!.length;
      histogram.set(k, (histogram.get(k) ?? 0) + 1);
    }
    return histogram;
  };

  it('draws 1–N events from the configured distribution', () => {
    expect([...counts({ eventCount: { min: 3, max: 3, shape: 'uniform' } }, 100).keys()]).toEqual([3]);
    const uniform = counts({ eventCount: { min: 1, max: 4, shape: 'uniform' } });
    expect([...uniform.keys()].sort()).toEqual([1, 2, 3, 4]);
    for (const n of uniform.values()) expect(n).toBeGreaterThan(180);
    const geometric = counts({ eventCount: { min: 1, max: 6, shape: 'geometric' } });
    expect(geometric.get(1)!).toBeGreaterThan(geometric.get(2)!);
    expect(geometric.get(2)!).toBeGreaterThan(geometric.get(4)!);
    const weighted = counts({ eventCount: { min: 1, max: 3, shape: [0, 0, 1] } }, 50);
    expect([...weighted.keys()]).toEqual([3]);
  });

  it('adds failed-then-retried captures when there are more events than flow steps', () => {
    const p = profile({ seed: 3, eventCount: { min: 9, max: 9, shape: 'uniform' } });
    const results = p.sdkAuditEvents!.map((e) => `${e.logEvent}:${String(e.audit!.result!.value)}`);
    expect(results.filter((r) => r.endsWith('FAILURE'))).toHaveLength(9 - ENROLLMENT_FLOW.length);
    for (const [i, r] of results.entries()) {
      if (r.endsWith('FAILURE')) expect(results[i + 1]!.split(':')[0]).toBe(r.split(':')[0]);
    }
  });

  it('weights countries by population, or draws them uniformly', () => {
    const share = (countries: 'weighted' | 'uniform') => {
      const codes = Array.from({ length: 3_000 }, (_, seed) => profile({ seed, countries }).countryCode);
      return { bigTwo: codes.filter((c) => c === 'IN' || c === 'CN').length / codes.length, distinct: new Set(codes).size };
    };
    const weighted = share('weighted');
    const uniform = share('uniform');
    expect(weighted.bigTwo).toBeGreaterThan(0.25);
    expect(uniform.bigTwo).toBeLessThan(0.03);
    expect(uniform.distinct).toBeGreaterThan(200);
    expect(profile({ seed: 1, countries: { FR: 1 } }).countryCode).toBe('FR');
  });

  it('honours a fixed ID and country', () => {
    const p = profile({ seed: 1, userProfileId: 'c908bc7c-9917-48fd-b862-d901a0880fef', countryCode: 'NP' });
    expect(p.userProfileId).toBe('c908bc7c-9917-48fd-b862-d901a0880fef');
    expect(p.sdkAuditEvents!.every((e) => e.userProfileId === p.userProfileId)).toBe(true);
    expect(p.sdkAuditEvents![0]!.dateTime.endsWith('+05:45')).toBe(true); // Nepal's offset
  });

  it('rejects impossible options with an InvalidOptionError naming the option', () => {
    expect(() => profile({ eventCount: { min: 0, max: 2, shape: 'uniform' } })).toThrow(InvalidOptionError);
    expect(() => profile({ eventCount: { min: 1, max: 101, shape: 'uniform' } })).toThrow(/eventCount/);
    expect(() => profile({ eventCount: { min: 1, max: 3, shape: [1, 1] } })).toThrow(/eventCount/);
    expect(() => profile({ window: { from: '2010-01-01T00:00:00Z', to: '2011-01-01T00:00:00Z' } })).toThrow(/window/);
    expect(() => profile({ countries: { XX: 1 } })).toThrow(/countries/);
    expect(() => profile({ seed: 1.5 })).toThrow(/seed/);
  });
});

describe('auditEvent()', () => {
  it('returns the requested step of a full session of the given profile', () => {
    const e = auditEvent({ seed: 4, userProfileId: 'df52649e-4096-456a-bca0-751ee470009f', countryCode: 'US', logEvent: 'Face Capture' });
    expect(e.logEvent).toBe('Face Capture');
    expect(e.userProfileId).toBe('df52649e-4096-456a-bca0-751ee470009f');
    const wrapped: UserProfile = { countryCode: 'US', userProfileId: e.userProfileId, sdkAuditEvents: [e] };
    expect(userProfileViolations(wrapped)).toEqual([]);
    expect(auditEvent({ seed: 4 }).logEvent).toBe('ID Enrollment');
    expect(() => auditEvent({ logEvent: 'Nope' })).toThrow(InvalidOptionError);
  });
});

describe('determinism', () => {
  const stream = (seed: number, n: number) => {
    const s = createProfileStream({ seed });
    return Array.from({ length: n }, () => JSON.stringify(s.next())).join('\n');
  };

  it('gives a byte-identical stream for the same seed and a different one for another seed', () => {
    expect(stream(42, 200)).toBe(stream(42, 200));
    expect(stream(42, 200)).not.toBe(stream(43, 200));
    expect(JSON.stringify(profile({ seed: 9 }))).toBe(JSON.stringify(profile({ seed: 9 })));
  });

  it('makes profile({ seed }) the first profile of the stream of that seed, whatever ran before', () => {
    profile({ seed: 1 });
    const first = JSON.stringify(createProfileStream({ seed: 77 }).next());
    expect(JSON.stringify(profile({ seed: 77 }))).toBe(first);
  });

  it('starts sessions inside the fixed default window, never relative to the clock', () => {
    const starts = profiles.map((p) => Date.parse(p.sdkAuditEvents![0]!.dateTime));
    expect(Math.min(...starts)).toBeGreaterThanOrEqual(Date.parse('2020-01-01T00:00:00Z'));
    expect(Math.max(...starts)).toBeLessThanOrEqual(Date.parse('2025-01-01T00:00:00Z'));
  });
});
