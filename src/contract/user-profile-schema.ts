// The JSON Schema (2020-12) of the POST /user-profiles request body: the single source for validation,
// generators, mutators and the OpenAPI document. Decisions and limits are explained in src/contract/README.md.

import { UUID_PATTERN } from './canonical-id.ts';
import { ISO_3166_1_ALPHA_2 } from './countries.ts';

/** Limits picked for the contract; see README.md beside this file for why each value. */
export const CONTRACT_LIMITS = {
  /** Most audit events one registration may carry. */
  maxAuditEvents: 100,
  /** Longest free-text label (flow, event, device, OS, type). */
  maxLabelLength: 256,
  /** Longest version string (software and SDK versions). */
  maxVersionLength: 64,
  /** Longest `dateTime` string; RFC 3339 with nanoseconds and an offset is 35 characters. */
  maxDateTimeLength: 64,
} as const;

/** The nine `audit.*` entries the spec's example shows, in its order. */
export const AUDIT_ENTRY_NAMES = [
  'privacyPolicy',
  'userBiometricConsent',
  'event',
  'eventType',
  'result',
  'eventGeneratedSource',
  'owner',
  'requestDetails',
  'responseDetails',
] as const;
export type AuditEntryName = (typeof AUDIT_ENTRY_NAMES)[number];

/** The RFC 3339 §5.6 date-time grammar (T and Z in either case, offset Z or ±hh:mm); calendar checks are the format's. */
export const RFC_3339_DATE_TIME = '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$';

const uuid = (description: string) => ({ type: 'string', pattern: UUID_PATTERN, description }) as const;
const label = (description: string) =>
  ({ type: 'string', minLength: 1, maxLength: CONTRACT_LIMITS.maxLabelLength, description }) as const;
const version = (description: string) =>
  ({ type: 'string', minLength: 1, maxLength: CONTRACT_LIMITS.maxVersionLength, description }) as const;

const auditEntry = {
  type: 'object',
  description: 'One audit fact. The spec does not fix the type of `value` (its export shows only a placeholder), so any JSON value is accepted.',
  required: ['value'],
  properties: { value: {} },
  additionalProperties: false,
} as const;

const auditEntries = Object.fromEntries(AUDIT_ENTRY_NAMES.map((name) => [name, auditEntry])) as Record<
  AuditEntryName,
  typeof auditEntry
>;

export const AUDIT_EVENT_REQUIRED = ['userProfileId', 'dateTime', 'type', 'logEvent'] as const;

export const auditEventSchema = {
  type: 'object',
  description: 'One SDK audit event. Who (userProfileId), when (dateTime) and what (type, logEvent) are required.',
  required: AUDIT_EVENT_REQUIRED,
  properties: {
    dateTime: {
      type: 'string',
      format: 'date-time',
      // ajv-formats' date-time also takes a space for T and offsets without a colon; RFC 3339 §5.6 does not.
      pattern: RFC_3339_DATE_TIME,
      maxLength: CONTRACT_LIMITS.maxDateTimeLength,
      description: 'RFC 3339 date-time with an explicit offset, e.g. 2020-01-28T13:16:01.714-05:00',
    },
    softwareVersion: version('Version of the app or software that emitted the event, e.g. 1.0.0'),
    userProfileId: uuid('The profile the event belongs to'),
    sessionId: uuid('SDK session that emitted the event'),
    transactionGroupId: uuid('Transaction group the event belongs to'),
    logRequestFlow: label('Request flow, e.g. CoreSDK-TP'),
    logEvent: label('Event name, e.g. ID Enrollment'),
    logEventType: label('Event type, e.g. User Profile Creation'),
    osVersion: label('Operating system and version, e.g. Android 5.0'),
    deviceMake: label('Device make and model, e.g. Samsung S10'),
    type: label('Kind of event, e.g. audit'),
    audit: {
      type: 'object',
      description: 'The nine audit entries; each is optional, no others are allowed.',
      properties: auditEntries,
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

export const USER_PROFILE_REQUIRED = ['userProfileId', 'countryCode'] as const;

export const userProfileSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:stampede:schema:user-profile:1',
  title: 'UserProfileRegistration',
  description: 'Request body of POST /user-profiles. Unknown properties are rejected at every level.',
  type: 'object',
  required: USER_PROFILE_REQUIRED,
  properties: {
    countryCode: {
      type: 'string',
      enum: ISO_3166_1_ALPHA_2,
      description: 'ISO 3166-1 alpha-2 country code, upper case, e.g. US',
    },
    userProfileId: uuid('The caller-chosen ID to register; compared case-insensitively'),
    sdkAuditEvents: {
      type: 'array',
      minItems: 1,
      maxItems: CONTRACT_LIMITS.maxAuditEvents,
      items: auditEventSchema,
      description: 'Audit events the SDK collected while creating the profile; omit the field rather than send []',
    },
    tpAuditMetadata: {
      type: 'object',
      description: 'Third-party audit metadata of the session',
      required: ['sessionId', 'transactionGroupId'],
      properties: {
        sessionId: uuid('Session the registration was made in'),
        transactionGroupId: uuid('Transaction group of the registration'),
      },
      additionalProperties: false,
    },
    arid: uuid('Audit request ID'),
    sdkVersion: version('Version of the SDK that made the request, e.g. 2.3.0'),
  },
  additionalProperties: false,
} as const;

/** The TypeScript shape of a valid body (what the schema accepts). */
export interface AuditEvent {
  dateTime: string;
  softwareVersion?: string;
  userProfileId: string;
  sessionId?: string;
  transactionGroupId?: string;
  logRequestFlow?: string;
  logEvent: string;
  logEventType?: string;
  osVersion?: string;
  deviceMake?: string;
  type: string;
  audit?: Partial<Record<AuditEntryName, { value: unknown }>>;
}

export interface UserProfile {
  countryCode: string;
  userProfileId: string;
  sdkAuditEvents?: AuditEvent[];
  tpAuditMetadata?: { sessionId: string; transactionGroupId: string };
  arid?: string;
  sdkVersion?: string;
}
