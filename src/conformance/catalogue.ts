// The conformance catalogue: named check families with stable IDs, each with its level, reference and meaning.
//
// A family is instantiated once or many times (e.g. one SCHEMA-400 instance per labelled mutation); an instance ID is
// the family ID, or the family ID followed by `.` and a stable suffix. IDs are part of the public interface: gates
// and dashboards match on them, so never rename one; add new ones instead.

import type { MutationCase } from '../../generators/mutations.ts';
import { SYNTAX_RULES } from '../../generators/mutations.ts';
import type { CheckResult } from '../result/result-document.ts';

export type CheckLevel = CheckResult['level'];

export interface CheckFamily {
  id: string;
  level: CheckLevel;
  /** What the expectation rests on. */
  reference: string;
  /** One line: what must hold. */
  title: string;
}

const family = (id: string, level: CheckLevel, reference: string, title: string): CheckFamily => ({ id, level, reference, title });

export const CHECK_FAMILIES = {
  create: family('CREATE-201', 'MUST', 'spec; RFC 9110 §15.3.2', 'a valid body with a new ID is answered 201 Created'),
  dup4xx: family('DUP-4XX', 'MUST', 'spec ("must answer an error when the ID already exists")', 'a valid body whose ID is already registered is refused with a 4xx: never a 2xx (a second profile), never a 5xx'),
  dup409: family('DUP-409', 'SHOULD', 'RFC 9110 §15.5.10; DESIGN.md contract table', 'a duplicate ID is answered 409 Conflict (or the status set by --conflict-status)'),
  dupCanonical: family('DUP-CANONICAL-ID', 'MUST', 'src/contract/README.md (IDs compared case-insensitively)', 'the upper-case spelling of a registered ID is the same profile: answered as its duplicate was (a 4xx), never a 2xx'),
  malformed: family('MALFORMED-400', 'MUST', 'RFC 8259 §2, §8.1; DESIGN.md contract table', 'a body that is not JSON or not UTF-8 is refused with a 4xx (400 or 422), never a 2xx or a 5xx'),
  schema: family('SCHEMA-400', 'MUST', 'src/contract/user-profile-schema.ts; DESIGN.md contract table', 'a body that breaks the JSON Schema is refused with a 4xx (400 or 422), never a 2xx or a 5xx'),
  contentType: family('CT-415', 'SHOULD', 'RFC 9110 §15.5.16', 'a body sent without a JSON Content-Type is answered 415 Unsupported Media Type'),
  size: family('SIZE-413', 'SHOULD', 'RFC 9110 §15.5.14', 'a body over the 1 MiB limit is answered 413 Content Too Large'),
  method: family('METHOD-405-ALLOW', 'SHOULD', 'RFC 9110 §15.5.6, §10.2.1', 'another method on /user-profiles is answered 405 with an Allow header listing POST'),
  problemJson: family('ERROR-PROBLEM-JSON', 'SHOULD', 'RFC 9457 §3; DESIGN.md contract table', 'every 4xx answer has a JSON error body, Content-Type application/problem+json'),
  problemStatus: family('PROBLEM-STATUS-MATCH', 'SHOULD', 'RFC 9457 §3.1.3', 'the "status" member of a problem body equals the HTTP status of the answer'),
  noServerError: family('NO-5XX-FUZZ', 'MUST', 'DESIGN.md contract table ("any input at all: never 5xx")', 'hostile bodies and headers (the seeded fuzz round) never get a 5xx'),
  noHang: family('NO-HANG', 'MUST', 'DESIGN.md contract table ("never a hang")', 'every request of the run is answered within --timeout'),
} as const satisfies Record<string, CheckFamily>;

export type FamilyKey = keyof typeof CHECK_FAMILIES;

/** One check instance: a family, its instance ID, and a title naming what this instance sends. */
export interface CheckInstance {
  id: string;
  family: CheckFamily;
  title: string;
}

export function instance(key: FamilyKey, suffix?: string, what?: string): CheckInstance {
  const f = CHECK_FAMILIES[key];
  return { id: suffix === undefined ? f.id : `${f.id}.${suffix}`, family: f, title: what === undefined ? f.title : `${f.title}: ${what}` };
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
      result.set(c.label, instance('malformed', `${c.kind}${c.variant === null ? '' : `:${c.variant}`}`, c.description));
    }
  }
  for (const [key, group] of groups) {
    if (group.length === 1) {
      result.set(group[0]!.label, instance('schema', key, group[0]!.description));
      continue;
    }
    const short = group.map((c) => c.variant ?? c.kind);
    const ambiguous = short.length !== new Set(short).size;
    group.forEach((c, i) => {
      const suffix = ambiguous ? (c.variant === null ? c.kind : `${c.kind}-${c.variant}`) : short[i]!;
      result.set(c.label, instance('schema', `${key}:${suffix}`, c.description));
    });
  }
  const ids = [...result.values()].map((r) => r.id);
  if (ids.length !== new Set(ids).size) throw new Error('mutationInstances: two mutations map to the same check ID');
  return result;
}

/** `--list`: one check instance per line, starting with its ID, then level, reference and meaning. */
export function formatCatalogue(instances: readonly CheckInstance[]): string {
  const width = Math.min(56, Math.max(...instances.map((i) => i.id.length)));
  return instances.map((i) => `${i.id.padEnd(width)}  ${i.family.level.padEnd(6)}  ${i.title}  [${i.family.reference}]`).join('\n') + '\n';
}
