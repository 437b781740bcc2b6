// The only place where JSON Schemas are compiled (ajv + ajv-formats); everything else imports these validators.

import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { comparisonDocumentSchema } from '../compare/comparison-schema.ts';
import { gateConfigSchema } from '../options/gate-config-schema.ts';
import { resultDocumentSchema } from '../result/result-schema.ts';
import { contractRegExp, DATE_TIME_FORMAT } from './fast-formats.ts';
import { userProfileSchema, type UserProfile } from './user-profile-schema.ts';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext resolution.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** One reason a body breaks the contract, located by a JSON Pointer (RFC 6901) into the body. */
export interface Violation {
  /** JSON Pointer of the offending value; for a missing or unknown property, the pointer that property has or would have. */
  pointer: string;
  /** The schema keyword that failed: required, type, enum, pattern, format, minItems, additionalProperties, … */
  rule: string;
  /** Human-readable explanation. */
  detail: string;
}

/** Most violations reported for one body: a hostile body can break thousands of rules, a reader needs a few. */
export const MAX_REPORTED_VIOLATIONS = 20;

/**
 * Enums up to this many values compile to an inline `a === "x" || …` chain; above it ajv's default (200) loops with a
 * deep-equal call per value. The 249 countries as a chain: ~1.2 µs less per body for `US` (the bench's country).
 */
const INLINE_ENUM_LIMIT = 512;

function createAjv(allErrors: boolean): Ajv2020 {
  // strict: reject unknown keywords in our own schemas; formats in "full" mode (RFC 3339 date-time with offset).
  // contractRegExp and DATE_TIME_FORMAT decide exactly as the RegExp and ajv-formats would, faster (fast-formats.ts).
  const ajv = new Ajv2020({ allErrors, strict: true, messages: true, loopEnum: INLINE_ENUM_LIMIT, code: { regExp: contractRegExp } });
  addFormats(ajv, { mode: 'full', formats: ['date-time'] });
  ajv.addFormat('date-time', DATE_TIME_FORMAT);
  return ajv;
}

// Two compilations of the one schema: the fast path stops at the first error (what the hot path of the service
// needs to decide 201 vs 400); the diagnostic path collects all errors, only for bodies already known to be invalid.
const fastUserProfile = createAjv(false).compile<UserProfile>(userProfileSchema);
const diagnosticUserProfile = createAjv(true).compile(userProfileSchema);

// Result documents (tests, `stampede report` input) and gate config files (once per gate) are validated rarely: each
// is compiled on first use, all errors at once, not when this module loads. Compiling them costs ~140 ms and ~65 ms,
// which every process and every embedded-service worker that imports the body validator would otherwise pay.
let resultDocument: ValidateFunction | undefined;
let gateConfig: ValidateFunction | undefined;
let comparisonDocument: ValidateFunction | undefined;

/** True when `data` (an already parsed JSON value) is a valid registration body. */
export function isValidUserProfile(data: unknown): data is UserProfile {
  return fastUserProfile(data);
}

/** All the ways `data` breaks the contract, at most MAX_REPORTED_VIOLATIONS of them; [] when valid. */
export function userProfileViolations(data: unknown): Violation[] {
  if (diagnosticUserProfile(data)) return [];
  return toViolations(diagnosticUserProfile);
}

/** How a result document breaks its schema (at most MAX_REPORTED_VIOLATIONS), [] when it conforms. */
export function resultDocumentViolations(data: unknown): Violation[] {
  resultDocument ??= createAjv(true).compile(resultDocumentSchema);
  if (resultDocument(data)) return [];
  return toViolations(resultDocument);
}

/** How a comparison document (`stampede compare --format json`) breaks its schema, [] when it conforms. */
export function comparisonDocumentViolations(data: unknown): Violation[] {
  comparisonDocument ??= createAjv(true).compile(comparisonDocumentSchema);
  if (comparisonDocument(data)) return [];
  return toViolations(comparisonDocument);
}

/** How a gate config file breaks its schema (at most MAX_REPORTED_VIOLATIONS), [] when it conforms. */
export function gateConfigViolations(data: unknown): Violation[] {
  gateConfig ??= createAjv(true).compile(gateConfigSchema);
  if (gateConfig(data)) return [];
  return toViolations(gateConfig);
}

function toViolations(validate: ValidateFunction): Violation[] {
  const errors = validate.errors ?? [];
  const out: Violation[] = [];
  for (const error of errors.slice(0, MAX_REPORTED_VIOLATIONS)) out.push(toViolation(error));
  return out;
}

function toViolation(error: ErrorObject): Violation {
  const base = error.instancePath;
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required' && typeof params.missingProperty === 'string') {
    return { pointer: `${base}/${escapePointer(params.missingProperty)}`, rule: 'required', detail: 'is required' };
  }
  if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    return {
      pointer: `${base}/${escapePointer(params.additionalProperty)}`,
      rule: 'additionalProperties',
      detail: 'is not a known property',
    };
  }
  return { pointer: base, rule: error.keyword, detail: error.message ?? error.keyword };
}

/** RFC 6901 escaping of one reference token. */
export function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}
