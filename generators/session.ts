// One SDK enrollment session drawn with faker: device, OS, versions, time zone and its time-ordered audit events.

import type { Faker } from '@faker-js/faker';
import { CONTRACT_LIMITS, type AuditEvent } from '../src/contract/user-profile-schema.ts';
import { GENERATOR_DEFAULTS } from '../src/defaults.ts';
import { InvalidOptionError } from '../src/errors.ts';
import { createCountryPicker, timeZonesOf, type CountryPicker, type CountryWeighting } from './country-picker.ts';
import {
  APP_EPOCH, CAPTURE_FAILURES, DEVICES, ENROLLMENT_FLOW, OS_RELEASES, PRIVACY_POLICY_VERSIONS, REQUEST_FLOWS, SDK_EPOCH,
  type Device, type FlowStep, type OsRelease,
} from './reference-data.ts';
import { formatRfc3339, toEpochMs, utcOffsetMinutes, zonedDateTime } from './time.ts';
import { uuidV1 } from './uuid.ts';

/** How many audit events a profile carries: `min`–`max`, uniform, halving per extra event, or explicit weights. */
export interface EventCountDistribution {
  min: number;
  max: number;
  /** `uniform`; `geometric` (each extra event half as likely); or relative weights of min, min+1, …, max. */
  shape: 'uniform' | 'geometric' | readonly number[];
}

/** The realistic-content knobs shared by profile(), the profile stream and the pool's templates. */
export interface ProfileShape {
  countries?: CountryWeighting;
  eventCount?: EventCountDistribution;
  /** Sessions start between these instants (RFC 3339 strings or Dates); the tables cover 2018 onwards. */
  window?: { from: string | Date; to: string | Date };
}

export interface ResolvedShape {
  countries: CountryPicker;
  eventCounts: { value: number; weight: number }[];
  fromMs: number; // ms since the epoch
  toMs: number; // ms since the epoch
}

const OWNER_KINDS = ['Bank', 'Pay', 'Wallet', 'Finance', 'Mobile', 'Health', 'Insurance', 'Travel'] as const;
const EARLIEST_WINDOW_MS = Date.parse('2018-01-01T00:00:00Z'); // every device family has a model on sale by then
const DAY_MS = 86_400_000;
// Release dates parsed once (ms since the epoch): sessions compare them for every draw.
const DEVICE_CHOICES = DEVICES.map((value) => ({ value, weight: value.weight, released: Date.parse(value.released) }));
const OS_CHOICES = OS_RELEASES.map((value) => ({ value, released: Date.parse(value.released) }));

/** Validates the shape once (InvalidOptionError naming the field) and precomputes the tables. */
export function resolveShape(shape: ProfileShape = {}): ResolvedShape {
  const counts = shape.eventCount ?? GENERATOR_DEFAULTS.eventCount;
  const { min, max } = counts;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max > CONTRACT_LIMITS.maxAuditEvents || min > max) {
    throw new InvalidOptionError('eventCount', `min and max must be whole numbers with 1 ≤ min ≤ max ≤ ${CONTRACT_LIMITS.maxAuditEvents} (got ${min}–${max})`);
  }
  const n = max - min + 1;
  const weights = counts.shape === 'uniform' ? Array.from({ length: n }, () => 1)
    : counts.shape === 'geometric' ? Array.from({ length: n }, (_, k) => 0.5 ** k)
    : [...counts.shape];
  if (weights.length !== n || weights.some((w) => !(w >= 0)) || !weights.some((w) => w > 0)) {
    throw new InvalidOptionError('eventCount', `shape needs ${n} weights ≥ 0 (one per count from ${min} to ${max}), not all 0`);
  }
  const window = shape.window ?? GENERATOR_DEFAULTS.window;
  const fromMs = toEpochMs(window.from);
  const toMs = toEpochMs(window.to);
  if (!(fromMs >= EARLIEST_WINDOW_MS) || !(toMs >= fromMs)) {
    throw new InvalidOptionError('window', 'from and to must be dates with 2018-01-01 ≤ from ≤ to (the device and OS tables start in 2017)');
  }
  return {
    countries: createCountryPicker(shape.countries ?? GENERATOR_DEFAULTS.countries),
    eventCounts: weights.map((weight, k) => ({ value: min + k, weight })).filter((e) => e.weight > 0), // faker wants weights > 0
    fromMs,
    toMs,
  };
}

/** The profile-level facts of one session: what the events share, and the request IDs. */
export interface Session {
  userProfileId: string;
  countryCode: string;
  timeZone: string;
  sessionId: string;
  transactionGroupId: string;
  sdkVersion: string;
  arid: string;
  events: AuditEvent[];
}

interface PlannedEvent {
  step: FlowStep;
  failed: boolean;
  at: number; // ms since the epoch
}

/** Draws one complete session; `eventCount` overrides the distribution (auditEvent() wants the whole flow). */
export function drawSession(faker: Faker, shape: ResolvedShape, fixed: { userProfileId?: string; countryCode?: string; eventCount?: number } = {}): Session {
  const userProfileId = fixed.userProfileId ?? faker.string.uuid();
  const countryCode = fixed.countryCode ?? shape.countries.pick(faker);
  const timeZone = faker.helpers.arrayElement(timeZonesOf(countryCode));
  const count = fixed.eventCount ?? faker.helpers.weightedArrayElement(shape.eventCounts);
  const start = faker.number.int({ min: shape.fromMs, max: shape.toMs });

  const device = faker.helpers.weightedArrayElement(DEVICE_CHOICES.filter((d) => d.released <= start));
  const os = drawOs(faker, device, start);
  const sdkVersion = `2.${versionMinor(faker, start, SDK_EPOCH, 91)}.${faker.number.int({ min: 0, max: 3 })}`;
  const softwareVersion = `1.${versionMinor(faker, start, APP_EPOCH, 61)}.${faker.number.int({ min: 0, max: 4 })}`;
  const logRequestFlow = faker.helpers.weightedArrayElement(REQUEST_FLOWS);
  const sessionId = faker.string.uuid();
  const transactionGroupId = faker.string.uuid();
  // The app that embeds the SDK, e.g. "Lindgren Bank" (faker's company.name() costs a third of a whole profile).
  const owner = `${faker.person.lastName()} ${faker.helpers.arrayElement(OWNER_KINDS)}`;
  const ipAddress = faker.internet.ipv4();
  const userAgent = `${owner.replace(/[^A-Za-z0-9]+/g, '')}/${softwareVersion} (${os.label}; ${device.make}) CoreSDK/${sdkVersion}`;

  const plan = planEvents(faker, count, start);
  // Consent given in this session is stamped by its own event; otherwise it was given in an earlier session.
  const privacyAt = plan.find((e) => e.step.logEvent === 'Privacy Policy Acceptance')?.at
    ?? start - faker.number.int({ min: DAY_MS, max: 400 * DAY_MS });
  const biometricAt = plan.find((e) => e.step.logEvent === 'Biometric Consent')?.at
    ?? Math.min(privacyAt + faker.number.int({ min: 1_500, max: 15_000 }), start - 1_000);
  const policy = [...PRIVACY_POLICY_VERSIONS].reverse().find((p) => Date.parse(p.effective) <= privacyAt) ?? PRIVACY_POLICY_VERSIONS[0]!;
  // A session lasts minutes: one offset serves all its events unless a DST change falls inside it.
  const first = plan[0]!.at;
  const last = plan[plan.length - 1]!.at;
  const offset = utcOffsetMinutes(timeZone, first);
  const sameOffset = offset === utcOffsetMinutes(timeZone, last);
  const eventTime = (at: number) => formatRfc3339(at, sameOffset ? offset : utcOffsetMinutes(timeZone, at));
  const acceptedAt = zonedDateTime(timeZone, privacyAt);
  const grantedAt = zonedDateTime(timeZone, biometricAt);

  const events = plan.map(({ step, failed, at }): AuditEvent => {
    const failure = failed ? faker.helpers.arrayElement(CAPTURE_FAILURES) : undefined;
    const durationMs = faker.number.int({ min: 80, max: 2_500 });
    return {
      dateTime: eventTime(at),
      softwareVersion,
      userProfileId,
      sessionId,
      transactionGroupId,
      logRequestFlow,
      logEvent: step.logEvent,
      logEventType: step.logEventType,
      osVersion: os.label,
      deviceMake: device.make,
      type: step.type,
      audit: {
        privacyPolicy: { value: { accepted: true, version: policy.version, acceptedAt } },
        userBiometricConsent: { value: at >= biometricAt ? { granted: true, grantedAt } : { granted: false } },
        event: { value: step.logEvent },
        eventType: { value: step.logEventType },
        result: { value: failed ? 'FAILURE' : 'SUCCESS' },
        eventGeneratedSource: { value: 'SDK' },
        owner: { value: owner },
        requestDetails: { value: { method: 'POST', endpoint: step.endpoint, ipAddress, userAgent } },
        responseDetails: { value: failure ? { status: failure.status, error: failure.error, durationMs } : { status: step.status, durationMs } },
      },
    };
  });
  // The request ID is time-based (v1, like the spec's) at the moment the registration was sent: the last event.
  const arid = uuidV1(last, faker.number.int({ min: 0, max: 9_999 }), faker.number.int({ min: 0, max: 0x3fff }), randomNode(faker));
  return { userProfileId, countryCode, timeZone, sessionId, transactionGroupId, sdkVersion, arid, events };
}

/**
 * The steps of `count` events, ending with the enrollment: the last `count` steps of the flow, or the whole flow
 * plus failed-then-retried captures when `count` exceeds it. Times increase strictly from `start`.
 */
function planEvents(faker: Faker, count: number, start: number): PlannedEvent[] {
  const flow = ENROLLMENT_FLOW;
  const failures = new Map<FlowStep, number>();
  const retryable = flow.filter((s) => s.retryable);
  for (let extra = count - flow.length; extra > 0; extra--) {
    const step = faker.helpers.arrayElement(retryable);
    failures.set(step, (failures.get(step) ?? 0) + 1);
  }
  const steps: { step: FlowStep; failed: boolean }[] = [];
  for (const step of flow.slice(Math.max(0, flow.length - count))) {
    for (let f = failures.get(step) ?? 0; f > 0; f--) steps.push({ step, failed: true });
    steps.push({ step, failed: false });
  }
  let at = start;
  return steps.map((s, i) => {
    if (i > 0) at += faker.number.int({ min: s.step.gapMs[0], max: s.step.gapMs[1] });
    return { ...s, at };
  });
}

/** An OS version the device ran at `at`: released by then, within its supported majors; newer ones likelier. */
function drawOs(faker: Faker, device: Device, at: number): OsRelease {
  const eligible = OS_CHOICES.filter(({ value: r, released }) => r.family === device.family && r.major >= device.minMajor && r.major <= device.maxMajor && released <= at);
  return faker.helpers.weightedArrayElement(eligible.map(({ value }, i) => ({ value, weight: (i + 1) ** 2 })));
}

/** Minor version in force at `at` for releases every `periodDays` since `epoch`, 0–2 releases behind (slow updaters). */
function versionMinor(faker: Faker, at: number, epoch: string, periodDays: number): number {
  const released = Math.floor((at - Date.parse(epoch)) / (periodDays * DAY_MS));
  return Math.max(0, released - faker.number.int({ min: 0, max: 2 }));
}

/** A random 48-bit node ID with the multicast bit set (RFC 9562 §6.10: random, not a real MAC). */
function randomNode(faker: Faker): string {
  const first = (faker.number.int({ min: 0, max: 255 }) | 0x01).toString(16).padStart(2, '0');
  return first + faker.number.int({ min: 0, max: 0xff_ffff_ffff }).toString(16).padStart(10, '0');
}
