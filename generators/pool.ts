// The pooled path: K faker-built templates, pre-serialised once; each payload is a template copy with fresh IDs written in.

import { UUID_PATTERN } from '../src/contract/canonical-id.ts';
import { isValidUserProfile } from '../src/contract/validators.ts';
import { GENERATOR_DEFAULTS } from '../src/defaults.ts';
import { InvalidOptionError } from '../src/errors.ts';
import { createRandom } from '../src/random.ts';
import { createProfileStream, fakerSeed, toProfile } from './profile.ts';
import type { ProfileShape, Session } from './session.ts';
import { drawUuidV4, putUuid, viewOf, writeUuidV1Tail } from './uuid.ts';

/** The profile ID of a body the pool produced (lower case unless written by withId). */
export function profileIdOf(body: Buffer): string {
  return body.toString('latin1', PROFILE_ID_OFFSET, PROFILE_ID_OFFSET + UUID_LENGTH);
}

export interface PoolOptions extends ProfileShape {
  /** Seeds the templates (faker) and the per-payload IDs and template choices (a fast PRNG). */
  seed?: number;
  /** How many realistic templates to build with faker (more = more varied content, slower start). */
  templates?: number;
  /** Size of the buffers fresh bodies are carved from (a tuning knob). */
  slabBytes?: number; // bytes
  /**
   * Patch IDs into one working copy per template instead of copying the template into fresh memory: no copy and
   * no buffer allocated per payload, but a body is valid only until the next call to the pool. For consumers that copy
   * or send a body before asking for the next (a load engine's request builder copies it into the request).
   * Issues the same bytes as the default mode for the same seed.
   */
  recycle?: boolean;
}

/** One pooled payload: the exact request body and the profile ID inside it (lower case). */
export interface PooledPayload {
  id: string;
  body: Buffer;
  /** Which template it was cut from (0 … templates-1). */
  template: number;
}

export interface PayloadPool {
  readonly templateCount: number;
  /** A payload with a never-issued profile ID and fresh session, transaction-group and request IDs. */
  next(): PooledPayload;
  /** Only the body of next(): the fastest path when the caller does not need the ID as a string. */
  nextBody(): Buffer;
  /** A payload registering `id` (a UUID in any case, e.g. an upper-case variant) with fresh other IDs. */
  withId(id: string): PooledPayload;
  /** The body of template `index` as it was built, with its original IDs (for inspection and tests). */
  templateBody(index: number): Buffer;
}

/** Byte offsets of every occurrence of each per-payload ID in a template. */
interface Template {
  bytes: Buffer;
  /** userProfileId: the root one first (always at PROFILE_ID_OFFSET), then each event's. */
  profile: Int32Array;
  /** sessionId of every event and of tpAuditMetadata. */
  session: Int32Array;
  /** transactionGroupId of every event and of tpAuditMetadata. */
  group: Int32Array;
  /** arid (a v1 UUID: its clock sequence and node are rewritten, its timestamp kept). */
  arid: number;
}

const UUID_LENGTH = 36; // characters = bytes (ASCII)
const UUID = new RegExp(UUID_PATTERN);
/** Byte offset of the profile ID in every pooled body: properties are serialised countryCode first. */
export const PROFILE_ID_OFFSET = '{"countryCode":"XX","userProfileId":"'.length; // bytes (37)
const MAX_TEMPLATES = 100_000;

export function createPayloadPool(options: PoolOptions = {}): PayloadPool {
  const seed = fakerSeed(options.seed ?? GENERATOR_DEFAULTS.seed);
  const count = options.templates ?? GENERATOR_DEFAULTS.templates;
  if (!Number.isInteger(count) || count < 1 || count > MAX_TEMPLATES) {
    throw new InvalidOptionError('templates', `must be a whole number from 1 to ${MAX_TEMPLATES} (got ${count})`);
  }
  const stream = createProfileStream({ ...options, seed });
  const templates: Template[] = [];
  for (let i = 0; i < count; i++) templates.push(buildTemplate(stream.nextSession()));
  // Template choice and IDs come from one fast PRNG of their own, so they do not depend on faker's internals.
  const random = createRandom(`${seed}:pool`);
  const slabBytes = options.slabBytes ?? GENERATOR_DEFAULTS.slabBytes;
  const recycle = options.recycle ?? false;
  // Fresh bodies are carved out of large slabs (like Node's own Buffer pool, but for bodies over 4 KiB too): one
  // allocation and one DataView per slab. A slab is freed once no body cut from it is referenced. Slab and view live
  // in closure variables: V8 inlines DataView stores through them, not through an object property that changes.
  let slab = Buffer.allocUnsafeSlow(slabBytes);
  let slabView = viewOf(slab);
  let used = 0;
  // Recycle mode: each template's working copy, patched in place.
  const working = recycle ? templates.map((t) => Buffer.from(t.bytes)) : [];
  const workingViews = working.map(viewOf);
  let view = slabView; // where the current body's IDs are written
  const hex = new Uint32Array(8); // the hex digits of the ID being written

  /** A body of a random template with new session, group and request IDs; `at` locates it within `view`. */
  function cut(): { t: number; at: number; body: Buffer } {
    const t = Math.floor(random.next() * count);
    const template = templates[t]!;
    let at = 0;
    let body: Buffer;
    if (recycle) {
      body = working[t]!;
      view = workingViews[t]!;
    } else {
      const size = template.bytes.length;
      if (used + size > slab.length) {
        slab = Buffer.allocUnsafeSlow(Math.max(slabBytes, size));
        slabView = viewOf(slab);
        used = 0;
      }
      at = used;
      used += size;
      slab.set(template.bytes, at);
      body = slab.subarray(at, used);
      view = slabView;
    }
    drawUuidV4(random, hex);
    putAll(view, at, template.session, hex);
    drawUuidV4(random, hex);
    putAll(view, at, template.group, hex);
    writeUuidV1Tail(view, at + template.arid, random);
    return { t, at, body };
  }

  function freshProfileId(t: number, at: number): void {
    drawUuidV4(random, hex);
    putAll(view, at, templates[t]!.profile, hex);
  }

  return {
    templateCount: count,
    next() {
      const { t, at, body } = cut();
      freshProfileId(t, at);
      return { id: profileIdOf(body), body, template: t };
    },
    nextBody() {
      const { t, at, body } = cut();
      freshProfileId(t, at);
      return body;
    },
    withId(id: string) {
      if (!UUID.test(id)) throw new InvalidOptionError('id', `must be a UUID, in any case (got ${JSON.stringify(id)})`);
      const { t, body } = cut();
      for (const offset of templates[t]!.profile) body.write(id, offset, UUID_LENGTH, 'latin1');
      return { id, body, template: t };
    },
    templateBody(index: number) {
      const template = templates[index];
      if (template === undefined) throw new RangeError(`template ${index} does not exist (0 … ${count - 1})`);
      return Buffer.from(template.bytes);
    },
  };
}

/** Serialises a session and records where its IDs are; checks it against the contract once (the generators' self-check). */
function buildTemplate(session: Session): Template {
  const body = toProfile(session);
  if (!isValidUserProfile(body)) throw new Error(`generator bug: a template breaks the contract: ${JSON.stringify(body)}`);
  const bytes = Buffer.from(JSON.stringify(body));
  const template: Template = {
    bytes,
    profile: occurrences(bytes, session.userProfileId),
    session: occurrences(bytes, session.sessionId),
    group: occurrences(bytes, session.transactionGroupId),
    arid: occurrences(bytes, session.arid)[0]!,
  };
  if (template.profile[0] !== PROFILE_ID_OFFSET) throw new Error(`generator bug: userProfileId is not at byte ${PROFILE_ID_OFFSET} of the template`);
  return template;
}

function occurrences(bytes: Buffer, id: string): Int32Array {
  const found: number[] = [];
  for (let at = bytes.indexOf(id); at !== -1; at = bytes.indexOf(id, at + UUID_LENGTH)) found.push(at);
  if (found.length === 0) throw new Error(`generator bug: ${id} is missing from its template`);
  return Int32Array.from(found);
}

/** Writes one drawn UUID at every offset of the body starting at `at`. */
function putAll(view: DataView, at: number, offsets: Int32Array, hex: Uint32Array): void {
  for (let k = 0; k < offsets.length; k++) putUuid(view, at + offsets[k]!, hex);
}
