// Labelled invalid payloads: a catalogue derived from the contract schema, and mutate(), one violation per call.

import { specExample } from '../src/contract/example.ts';
import { userProfileSchema, type UserProfile } from '../src/contract/user-profile-schema.ts';
import { GENERATOR_DEFAULTS } from '../src/defaults.ts';
import { InvalidOptionError } from '../src/errors.ts';
import {
  INVALID_UTF8, badDateTimes, deeplyNested, isUuidPattern, laxDateTimes, malformedUuids, nonJsonTexts, notInEnum, overlongString,
  patternMismatch, truncations, wrongTypeValue, type WrongValue,
} from './mutation-values.ts';
import { getAt, schemaLocations, setAt, type SchemaLocation, type SchemaNode } from './schema-walk.ts';

export const MUTATION_KINDS = [
  'missing-required', 'wrong-type', 'null-value', 'malformed-uuid', 'pattern-mismatch', 'unknown-enum-value',
  'bad-date-time', 'empty-string', 'overlong-string', 'empty-array', 'oversized-array', 'unknown-property',
  'deep-nesting', 'non-object-body', 'truncated-json', 'non-json-bytes', 'invalid-utf8',
] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

/** Rules below the schema: the body is not JSON, or not even UTF-8 (what a server checks before the schema). */
export const SYNTAX_RULES = { json: 'json-syntax', utf8: 'utf-8' } as const;

/** One labelled way to break the contract. */
export interface MutationCase {
  /** Stable, unique: `<kind>[:<variant>]#<pointer>`, e.g. `missing-required#/countryCode`. */
  label: string;
  kind: MutationKind;
  variant: string | null;
  /** JSON Pointer of the broken value ('' = the body as a whole); a missing property has the pointer it would have. */
  pointer: string;
  /** The schema keyword violated (ajv's name: required, type, enum, pattern, format, …) or a SYNTAX_RULES value. */
  rule: string;
  /** The answer class a correct server gives: a client error, never a 5xx. */
  expect: '4xx';
  /** The status the contract prefers (DESIGN.md: 400, or 422 for schema violations). */
  preferredStatus: 400;
  description: string;
}

/** A mutation applied: the case and the exact request body (bytes: some are not UTF-8). */
export interface Mutation extends MutationCase {
  body: Buffer;
}

interface CaseSpec extends MutationCase {
  /** Builds the body from a complete, valid document (a private copy it may change). */
  apply(doc: Record<string, unknown>): Buffer;
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

/** Every case the schema implies, in schema order; pure function of the schema (and the nesting depth). */
export function mutationCatalogue(schema: SchemaNode = userProfileSchema, nestingDepth: number = GENERATOR_DEFAULTS.nestingDepth): readonly MutationCase[] {
  return buildCases(schema, nestingDepth).map(({ apply: _apply, ...pub }) => pub);
}

function buildCases(schema: SchemaNode, nestingDepth: number): CaseSpec[] {
  const cases: CaseSpec[] = [];
  const add = (kind: MutationKind, variant: string | null, pointer: string, rule: string, description: string, apply: CaseSpec['apply']) => {
    const label = `${kind}${variant === null ? '' : `:${variant}`}#${pointer}`;
    cases.push({ label, kind, variant, pointer, rule, expect: '4xx', preferredStatus: 400, description, apply });
  };
  /** Cases that replace the value at `loc` by each of `values` (derived from the valid value there). */
  const replace = (kind: MutationKind, loc: SchemaLocation, rule: string, what: string, values: (valid: string) => WrongValue[]) => {
    const example = getAt(completeExample(), loc.pointer);
    for (const { variant } of values(String(example))) {
      add(kind, variant, loc.pointer, rule, `${loc.pointer} ${what} (${variant})`, (doc) => {
        // Derived from this body's value; a variant it cannot produce falls back to the example's.
        const wrong = values(String(getAt(doc, loc.pointer))).find((v) => v.variant === variant)
          ?? values(String(example)).find((v) => v.variant === variant)!;
        setAt(doc, loc.pointer, wrong.value);
        return json(doc);
      });
    }
  };
  const set = (kind: MutationKind, variant: string | null, loc: SchemaLocation, rule: string, description: string, value: (doc: Record<string, unknown>) => unknown) =>
    add(kind, variant, loc.pointer, rule, description, (doc) => {
      setAt(doc, loc.pointer, value(doc));
      return json(doc);
    });

  const locations = schemaLocations(schema);
  for (const loc of locations) {
    const node = loc.schema;
    const p = loc.pointer;
    if (loc.parent === null) {
      if (node.type === 'object') rootTypeCases(add);
    } else {
      if (loc.required) {
        add('missing-required', null, p, 'required', `${p} removed (required)`, (doc) => {
          setAt(doc, p, undefined, true);
          return json(doc);
        });
      }
      if (node.type !== undefined) {
        const wrong = wrongTypeValue(node.type);
        set('wrong-type', null, loc, 'type', `${p} is ${JSON.stringify(wrong)}, not of type ${node.type}`, () => wrong);
        set('null-value', null, loc, 'type', `${p} is null`, () => null);
      }
    }
    if (node.type === 'string') {
      if (node.pattern !== undefined && isUuidPattern(node)) replace('malformed-uuid', loc, 'pattern', 'is not a UUID', malformedUuids);
      else if (node.pattern !== undefined && node.format === 'date-time') replace('bad-date-time', loc, 'pattern', 'is not an RFC 3339 §5.6 date-time', laxDateTimes);
      else if (node.pattern !== undefined) replace('pattern-mismatch', loc, 'pattern', `does not match ${node.pattern}`, () => patternMismatch(node.pattern!));
      if (node.enum !== undefined) replace('unknown-enum-value', loc, 'enum', 'is not an allowed value', (v) => notInEnum(node.enum!, v));
      if (node.format === 'date-time') replace('bad-date-time', loc, 'format', 'is not an RFC 3339 date-time', badDateTimes);
      if ((node.minLength ?? 0) >= 1) set('empty-string', null, loc, 'minLength', `${p} is ""`, () => '');
      if (node.maxLength !== undefined) {
        const max = node.maxLength;
        set('overlong-string', null, loc, 'maxLength', `${p} has ${max + 1} characters (limit ${max})`, (doc) => overlongString(String(getAt(doc, p)), node, max));
      }
    }
    if (node.type === 'array') {
      if ((node.minItems ?? 0) >= 1) set('empty-array', null, loc, 'minItems', `${p} is []`, () => []);
      if (node.maxItems !== undefined) {
        const max = node.maxItems;
        set('oversized-array', null, loc, 'maxItems', `${p} has ${max + 1} items (limit ${max})`, (doc) => {
          const first = (getAt(doc, p) as unknown[])[0];
          return Array.from({ length: max + 1 }, () => structuredClone(first));
        });
      }
    }
    if (node.type === 'object' && node.additionalProperties === false) {
      const name = unknownName(node);
      const at = `${p}/${name}`;
      add('unknown-property', null, at, 'additionalProperties', `${at} is not a known property`, (doc) => {
        setAt(doc, at, true);
        return json(doc);
      });
    }
  }
  deepNestingCases(locations, nestingDepth, add);
  syntaxCases(locations, add);
  return cases;
}

type Add = (kind: MutationKind, variant: string | null, pointer: string, rule: string, description: string, apply: CaseSpec['apply']) => void;

/** The body is JSON but not an object. */
function rootTypeCases(add: Add): void {
  const bodies: [string, (doc: Record<string, unknown>) => unknown][] = [
    ['array', () => []],
    ['array-of-body', (doc) => [doc]],
    ['double-encoded', (doc) => JSON.stringify(doc)],
    ['number', () => 42],
    ['boolean', () => true],
    ['null', () => null],
  ];
  for (const [variant, value] of bodies) add('non-object-body', variant, '', 'type', `the body is a JSON ${variant}, not an object`, (doc) => json(value(doc)));
}

/** Thousands of levels of nesting where a string is due, and as an unknown property: a parser must not overflow. */
function deepNestingCases(locations: readonly SchemaLocation[], depth: number, add: Add): void {
  const marker = 'stampede-deeply-nested-value';
  const splice = (doc: Record<string, unknown>, pointer: string, kind: 'array' | 'object') => {
    setAt(doc, pointer, marker);
    return Buffer.from(JSON.stringify(doc).replace(`"${marker}"`, deeplyNested(kind, depth)));
  };
  const typed = locations.find((l) => l.parent === '' && l.required && l.schema.type === 'string');
  if (typed !== undefined) {
    add('deep-nesting', 'array', typed.pointer, 'type', `${typed.pointer} is ${depth} nested arrays`, (doc) => splice(doc, typed.pointer, 'array'));
  }
  const root = locations[0];
  if (root !== undefined && root.schema.additionalProperties === false) {
    const at = `/${unknownName(root.schema)}`;
    add('deep-nesting', 'object', at, 'additionalProperties', `${at} is ${depth} nested objects`, (doc) => splice(doc, at, 'object'));
  }
}

/** Bodies that fail before the schema: truncated or non-JSON text, and bytes that are not UTF-8. */
function syntaxCases(locations: readonly SchemaLocation[], add: Add): void {
  for (const { variant } of truncations(Buffer.from('{}'))) {
    add('truncated-json', variant, '', SYNTAX_RULES.json, `the body is cut short (${variant})`, (doc) => {
      return Buffer.from(truncations(json(doc)).find((t) => t.variant === variant)!.value as Buffer);
    });
  }
  for (const { variant } of nonJsonTexts('{}', {})) {
    add('non-json-bytes', variant, '', SYNTAX_RULES.json, `the body is not JSON (${variant})`, (doc) => {
      return Buffer.from(String(nonJsonTexts(JSON.stringify(doc), doc).find((t) => t.variant === variant)!.value));
    });
  }
  // Bad bytes go inside a free-text string, where a lenient decoder would silently substitute U+FFFD and accept.
  const text = locations.find((l) => l.schema.type === 'string' && l.schema.enum === undefined && l.schema.pattern === undefined && l.schema.format === undefined);
  if (text === undefined) return;
  for (const { variant, bytes } of INVALID_UTF8) {
    add('invalid-utf8', variant, '', SYNTAX_RULES.utf8, `the body is not UTF-8: ${variant} bytes inside ${text.pointer}`, (doc) => {
      const marker = 'stampede-invalid-utf8';
      setAt(doc, text.pointer, `${String(getAt(doc, text.pointer))} ${marker}`);
      const body = json(doc);
      const at = body.indexOf(marker);
      return Buffer.concat([body.subarray(0, at), Buffer.from(bytes), body.subarray(at + marker.length)]);
    });
  }
}

/** A property name the object's schema does not declare. */
function unknownName(node: SchemaNode): string {
  let name = 'unexpectedProperty';
  while (node.properties?.[name] !== undefined) name += '_';
  return name;
}

/** The spec's example with every optional part present: what fills the gaps of a sparse valid body. */
function completeExample(id?: string): Record<string, unknown> {
  const example = specExample(id) as unknown as Record<string, unknown>;
  for (const event of (example.sdkAuditEvents as Record<string, unknown>[])) event.userProfileId = example.userProfileId;
  return example;
}

/** A private, complete copy of `valid`: parts it lacks (optional events, metadata, audit entries) come from the example. */
function completeCopy(valid: UserProfile | string | Buffer): Record<string, unknown> {
  const doc = (typeof valid === 'string' || Buffer.isBuffer(valid) ? JSON.parse(valid.toString()) : structuredClone(valid)) as Record<string, unknown>;
  if (!isComplete(doc)) fillFrom(doc, completeExample(typeof doc.userProfileId === 'string' ? doc.userProfileId : undefined));
  return doc;
}

/** Whether every part the catalogue addresses is present (true for all generated bodies: the fill is skipped). */
function isComplete(doc: Record<string, unknown>): boolean {
  return SCHEMA_POINTERS.every((p) => getAt(doc, p) !== undefined);
}

function fillFrom(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    const own = target[key];
    if (own === undefined) target[key] = structuredClone(value);
    else if (Array.isArray(own) && Array.isArray(value)) {
      if (own.length === 0) own.push(structuredClone(value[0]));
      if (isObject(own[0]) && isObject(value[0])) fillFrom(own[0], value[0]);
    } else if (isObject(own) && isObject(value)) fillFrom(own, value);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

// Every location of the contract below the root: a body is complete when each of them is present.
const SCHEMA_POINTERS = schemaLocations(userProfileSchema).filter((l) => l.parent !== null).map((l) => l.pointer);

let defaultCases: { list: CaseSpec[]; byLabel: Map<string, CaseSpec>; byKind: Map<string, CaseSpec[]> } | undefined;
function defaults() {
  if (defaultCases === undefined) {
    const list = buildCases(userProfileSchema, GENERATOR_DEFAULTS.nestingDepth);
    const byKind = new Map<string, CaseSpec[]>();
    for (const c of list) byKind.set(c.kind, [...(byKind.get(c.kind) ?? []), c]);
    defaultCases = { list, byLabel: new Map(list.map((c) => [c.label, c])), byKind };
  }
  return defaultCases;
}

/**
 * One labelled violation of the contract, applied to a valid body (an object, or its JSON text or bytes).
 * `selector` is a case label (exactly that case) or a kind (its `choice`-th case, modulo the kind's count).
 */
export function mutate(valid: UserProfile | string | Buffer, selector: MutationKind | string, choice = 0): Mutation {
  const { byLabel, byKind } = defaults();
  const family = byKind.get(selector);
  const spec = family !== undefined ? family[((choice % family.length) + family.length) % family.length] : byLabel.get(selector);
  if (spec === undefined) {
    throw new InvalidOptionError('kind', `${JSON.stringify(selector)} is neither a mutation kind (${MUTATION_KINDS.join(', ')}) nor a catalogue label`);
  }
  const { apply, ...pub } = spec;
  return { ...pub, body: apply(completeCopy(valid)) };
}
