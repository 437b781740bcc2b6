// The faker path: realistic registration bodies (`profile`), single audit events (`auditEvent`) and seeded streams of them.

import type { Faker } from '@faker-js/faker';
// The package's main entry loads every locale (~36 MB of heap); the English entry alone costs ~6 MB.
import { faker as englishFaker } from '@faker-js/faker/locale/en';
import type { AuditEvent, UserProfile } from '../src/contract/user-profile-schema.ts';
import { GENERATOR_DEFAULTS } from '../src/defaults.ts';
import { InvalidOptionError } from '../src/errors.ts';
import { ENROLLMENT_FLOW } from './reference-data.ts';
import { drawSession, resolveShape, type ProfileShape, type ResolvedShape, type Session } from './session.ts';

export type { EventCountDistribution, ProfileShape } from './session.ts';

export interface ProfileOptions extends ProfileShape {
  /** The profile is a pure function of the seed and the other options. */
  seed?: number;
  /** Register this ID (lower-case UUID expected) instead of a drawn one. */
  userProfileId?: string;
  /** Use this ISO 3166-1 alpha-2 code instead of a drawn one. */
  countryCode?: string;
}

export interface AuditEventOptions extends Omit<ProfileOptions, 'eventCount'> {
  /** `logEvent` of the flow step to return (default: the spec's `ID Enrollment`). */
  logEvent?: string;
}

/** Makes a fresh faker instance (English data); it is seeded before every use. */
export function createFaker(): Faker {
  // A fresh instance (own seed state) with the English entry's definitions (en, then base), built by its own class.
  const FakerClass = englishFaker.constructor as new (options: { locale: Faker['rawDefinitions'] }) => Faker;
  return new FakerClass({ locale: englishFaker.rawDefinitions });
}

// One instance for profile()/auditEvent(), re-seeded per call: building a Faker is far dearer than seeding one.
let shared: Faker | undefined;
const sharedFaker = () => (shared ??= createFaker());

/** Turns any seed number into faker's 32-bit seed (faker would otherwise truncate floats and negatives oddly). */
export function fakerSeed(seed: number): number {
  if (!Number.isSafeInteger(seed)) throw new InvalidOptionError('seed', `must be a whole number (got ${seed})`);
  return seed >>> 0;
}

// resolveShape() builds weight tables (~0.2 ms): the default shape is built once.
let defaultShape: ResolvedShape | undefined;
function shapeOf(options: ProfileShape): ResolvedShape {
  if (options.countries === undefined && options.eventCount === undefined && options.window === undefined) {
    return (defaultShape ??= resolveShape());
  }
  return resolveShape(options);
}

/** A realistic body: one SDK session's events in time order, consistent IDs, country, offset and device. */
export function profile(options: ProfileOptions = {}): UserProfile {
  const faker = sharedFaker();
  faker.seed(fakerSeed(options.seed ?? GENERATOR_DEFAULTS.seed));
  return toProfile(drawSession(faker, shapeOf(options), { userProfileId: options.userProfileId, countryCode: options.countryCode }));
}

/** One audit event of a full enrollment session of the profile (by default the `ID Enrollment` event). */
export function auditEvent(options: AuditEventOptions = {}): AuditEvent {
  const logEvent = options.logEvent ?? 'ID Enrollment';
  if (!ENROLLMENT_FLOW.some((s) => s.logEvent === logEvent)) {
    throw new InvalidOptionError('logEvent', `must be one of ${ENROLLMENT_FLOW.map((s) => s.logEvent).join(', ')} (got ${JSON.stringify(logEvent)})`);
  }
  const faker = sharedFaker();
  faker.seed(fakerSeed(options.seed ?? GENERATOR_DEFAULTS.seed));
  const session = drawSession(faker, shapeOf(options), {
    userProfileId: options.userProfileId,
    countryCode: options.countryCode,
    eventCount: ENROLLMENT_FLOW.length,
  });
  return session.events.find((e) => e.logEvent === logEvent)!;
}

/** Profiles one after another from one seeded faker: profile #0 equals profile({ seed }), the rest follow from it. */
export interface ProfileStream {
  next(): UserProfile;
  /** The next profile with its session facts (the pool needs to know which strings are IDs). */
  nextSession(): Session;
}

export function createProfileStream(options: ProfileShape & { seed?: number } = {}): ProfileStream {
  const faker = createFaker();
  faker.seed(fakerSeed(options.seed ?? GENERATOR_DEFAULTS.seed));
  const shape = shapeOf(options);
  return {
    next: () => toProfile(drawSession(faker, shape)),
    nextSession: () => drawSession(faker, shape),
  };
}

/** The body of a session, properties in the spec's order (countryCode first, so the ID sits at a fixed byte offset). */
export function toProfile(session: Session): UserProfile {
  return {
    countryCode: session.countryCode,
    userProfileId: session.userProfileId,
    sdkAuditEvents: session.events,
    // The third-party metadata describes the same SDK session and transaction group as the events.
    tpAuditMetadata: { sessionId: session.sessionId, transactionGroupId: session.transactionGroupId },
    arid: session.arid,
    sdkVersion: session.sdkVersion,
  };
}
