// The conformance catalogue: named check families with stable IDs, each naming its source; its level follows from it.
//
// A family is instantiated once or many times (e.g. one SCHEMA-400 instance per labelled mutation); an instance ID is
// the family ID, or the family ID followed by `.` and a stable suffix. IDs are part of the public interface: gates
// and dashboards match on them, so never rename one; add new ones instead. An instance may rest on another source than
// its family (SCHEMA-400./userProfileId.required is the spec's, SCHEMA-400./countryCode.enum:UK the contract's).

import type { MutationCase } from '../../generators/mutations.ts';
import { SYNTAX_RULES } from '../../generators/mutations.ts';
import type { CheckLevel, CheckSource } from '../result/result-document.ts';

export type { CheckLevel, CheckSource };

/**
 * What an expectation rests on, and the level that follows from it: MUST only where the spec or HTTP itself requires
 * it, SHOULD where it rests on stampede's reading of the spec's example or on an RFC's advice the spec does not take up.
 */
export const CHECK_SOURCES: Record<CheckSource, { level: CheckLevel; meaning: string }> = {
  spec: { level: 'MUST', meaning: 'the spec requires it (a profile is registered under the given ID, 201 Created; an existing ID is an error)' },
  http: { level: 'MUST', meaning: 'HTTP itself requires it (RFC 9110: a request gets an answer; a 5xx is the server failing, never due to client input)' },
  contract: { level: 'SHOULD', meaning: "stampede's contract, its reading of the spec's example body (src/contract/); the spec names no field rule" },
  recommended: { level: 'SHOULD', meaning: 'an RFC recommends it and the spec does not require it (status codes, problem details, UTF-8 on receipt, UUID case)' },
};

/** A source and the precise reference within it. */
export interface CheckBasis {
  source: CheckSource;
  /** 'spec ("An error will be returned …")', 'RFC 9110 §15.5.6', 'src/contract/user-profile-schema.ts'. */
  reference: string;
}

export interface CheckFamily extends CheckBasis {
  id: string;
  /** Follows from the source (CHECK_SOURCES). */
  level: CheckLevel;
  /** One line: what must hold. */
  title: string;
}

const family = (id: string, source: CheckSource, reference: string, title: string): CheckFamily => ({ id, source, level: CHECK_SOURCES[source].level, reference, title });

const SPEC_CREATED = 'spec ("registers a user profile using the given user profile ID", status: Created); RFC 9110 §15.3.2';
const SPEC_ERROR = 'spec ("An error will be returned if the user profile already exists"); RFC 9110 §15.5';
const SPEC_UNREGISTRABLE = 'spec (a profile is registered under the userProfileId given in a JSON body: without a string UUID there, nothing can be registered); RFC 8259 §2; RFC 9110 §15.5.1';
const CONTRACT = "src/contract/user-profile-schema.ts (the contract's reading of the spec's example; the spec names no field rule)";
const UUID_CASE = 'RFC 9562 §4 (UUIDs are case-insensitive on input)';
const SERVER_ERROR = 'RFC 9110 §15.6 (a 5xx says the server failed; no client input warrants one)';

export const CHECK_FAMILIES = {
  create: family('CREATE-201', 'spec', SPEC_CREATED, 'a valid body with a new ID is answered 201 Created'),
  dup4xx: family('DUP-4XX', 'spec', SPEC_ERROR, 'a valid body whose ID is already registered is refused with a 4xx: never a 2xx (a second profile), never a 5xx'),
  dup409: family('DUP-409', 'recommended', 'RFC 9110 §15.5.10; --conflict-status', 'a duplicate ID is answered 409 Conflict (or the status set by --conflict-status)'),
  dupCanonical: family('DUP-CANONICAL-ID', 'recommended', UUID_CASE, 'the upper-case spelling of a registered ID is the same profile: answered as its duplicate was (a 4xx), never a 2xx'),
  malformed: family('MALFORMED-400', 'spec', SPEC_UNREGISTRABLE, 'a body that is not JSON or not UTF-8 is refused with a 4xx (400 or 422), never a 2xx or a 5xx'),
  schema: family('SCHEMA-400', 'contract', CONTRACT, 'a body that breaks the JSON Schema is refused with a 4xx (400 or 422), never a 2xx or a 5xx'),
  contentType: family('CT-415', 'recommended', 'RFC 9110 §15.5.16', 'a body sent without a JSON Content-Type is answered 415 Unsupported Media Type'),
  size: family('SIZE-413', 'recommended', 'RFC 9110 §15.5.14', 'a body over the 1 MiB limit is answered 413 Content Too Large'),
  method: family('METHOD-405-ALLOW', 'recommended', 'RFC 9110 §15.5.6, §10.2.1', 'another method on /user-profiles is answered 405 with an Allow header listing POST'),
  problemJson: family('ERROR-PROBLEM-JSON', 'recommended', 'RFC 9457 §3', 'every 4xx answer has a JSON error body, Content-Type application/problem+json'),
  problemStatus: family('PROBLEM-STATUS-MATCH', 'recommended', 'RFC 9457 §3.1.3', 'the "status" member of a problem body equals the HTTP status of the answer'),
  noServerError: family('NO-5XX-FUZZ', 'http', SERVER_ERROR, 'hostile bodies and headers (the seeded fuzz round) never get a 5xx'),
  noServerErrorAny: family('NO-5XX', 'http', SERVER_ERROR, 'no request of the run gets a 5xx, whatever its body (the fuzz round has its own check)'),
  noHang: family('NO-HANG', 'http', 'RFC 9110 §3.4 (a server answers each request); --timeout', 'every request of the run is answered within --timeout'),
} as const satisfies Record<string, CheckFamily>;

export type FamilyKey = keyof typeof CHECK_FAMILIES;

/** Sources of instances that rest on another source than their family. */
export const INSTANCE_BASES = {
  /** Edge-but-valid profiles: valid under the contract, which is what makes them valid. */
  edgeProfile: { source: 'contract', reference: `${CONTRACT}: edge-but-valid under it` },
  upperCaseId: { source: 'recommended', reference: UUID_CASE },
  /** RFC 8259 §8.1 binds the sender; decoders that substitute U+FFFD are common. */
  invalidUtf8: { source: 'recommended', reference: 'RFC 8259 §8.1 (binds the sender: "MUST be encoded using UTF-8"; lenient decoders are common)' },
  unregistrable: { source: 'spec', reference: SPEC_UNREGISTRABLE },
} as const satisfies Record<string, CheckBasis>;

/** One check instance: a family, its instance ID, a title naming what this instance sends, and its own basis. */
export interface CheckInstance extends CheckBasis {
  id: string;
  family: CheckFamily;
  title: string;
  /** The default level: follows from `source`. */
  level: CheckLevel;
}

export function instance(key: FamilyKey, suffix?: string, what?: string, basis?: CheckBasis): CheckInstance {
  const f = CHECK_FAMILIES[key];
  const { source, reference } = basis ?? f;
  return {
    id: suffix === undefined ? f.id : `${f.id}.${suffix}`,
    family: f,
    title: what === undefined ? f.title : `${f.title}: ${what}`,
    source,
    reference,
    level: CHECK_SOURCES[source].level,
  };
}

/** Whether a check instance belongs to a family given by its ID (`SCHEMA-400` matches `SCHEMA-400./countryCode.enum:UK`). */
export function inFamily(checkId: string, familyId: string): boolean {
  return checkId === familyId || checkId.startsWith(`${familyId}.`);
}

/** The checks about body content (JSON syntax, UTF-8, schema): what a server that skips validation fails. */
export function isBodyContentCheck(checkId: string): boolean {
  return inFamily(checkId, CHECK_FAMILIES.schema.id) || inFamily(checkId, CHECK_FAMILIES.malformed.id);
}

/**
 * A body that cannot be registered at all (the spec's, MUST): not an object, or its userProfileId missing, not a
 * string, not a UUID. Any other schema rule (the IDs inside audit events too) is the contract's reading (SHOULD).
 */
function unregistrable(c: MutationCase): boolean {
  return c.pointer === '' || c.pointer === '/userProfileId';
}

/**
 * The check instance of each labelled mutation, keyed by label. Syntax cases (not JSON, not UTF-8) are
 * `MALFORMED-400.<kind>:<variant>`; schema cases are `SCHEMA-400.<pointer>.<rule>` (`root` for the body as a whole),
 * with a `:<variant>` suffix (or `:<kind>`, or `:<kind>-<variant>`) only when several cases share pointer and rule.
 */
export function mutationInstances(cases: readonly MutationCase[]): Map<string, CheckInstance> {
  const syntax = new Set<string>(Object.values(SYNTAX_RULES));
  const groups = new Map<string, MutationCase[]>();
  for (const c of cases) {
    if (syntax.has(c.rule)) continue;
    const key = `${c.pointer === '' ? 'root' : c.pointer}.${c.rule}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const result = new Map<string, CheckInstance>();
  for (const c of cases) {
    if (syntax.has(c.rule)) {
      // Not JSON at all: nothing to register (the spec's). Bad UTF-8 inside otherwise parseable JSON: RFC 8259's advice.
      const basis = c.rule === SYNTAX_RULES.utf8 ? INSTANCE_BASES.invalidUtf8 : undefined;
      result.set(c.label, instance('malformed', `${c.kind}${c.variant === null ? '' : `:${c.variant}`}`, c.description, basis));
    }
  }
  const schemaBasis = (c: MutationCase) => (unregistrable(c) ? INSTANCE_BASES.unregistrable : undefined);
  for (const [key, group] of groups) {
    if (group.length === 1) {
      result.set(group[0]!.label, instance('schema', key, group[0]!.description, schemaBasis(group[0]!)));
      continue;
    }
    const short = group.map((c) => c.variant ?? c.kind);
    const ambiguous = short.length !== new Set(short).size;
    group.forEach((c, i) => {
      const suffix = ambiguous ? (c.variant === null ? c.kind : `${c.kind}-${c.variant}`) : short[i]!;
      result.set(c.label, instance('schema', `${key}:${suffix}`, c.description, schemaBasis(c)));
    });
  }
  const ids = [...result.values()].map((r) => r.id);
  if (ids.length !== new Set(ids).size) throw new Error('mutationInstances: two mutations map to the same check ID');
  return result;
}
