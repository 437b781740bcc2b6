// A payload stream with planned duplicate IDs (immediate, delayed, hot) that tells, per item, first attempt or duplicate.

import { GENERATOR_DEFAULTS } from '../src/defaults.ts';
import { InvalidOptionError } from '../src/errors.ts';
import { createRandom, type Random } from '../src/random.ts';
import { createPayloadPool, type PayloadPool, type PoolOptions } from './pool.ts';
import { fakerSeed } from './profile.ts';
import { ID_VARIANTS, idVariant, type IdVariant } from './uuid.ts';

export const DUPLICATE_PATTERNS = ['immediate', 'delayed', 'hot'] as const;
/**
 * `immediate`: the item before, again (a client retry: the very same bytes); `delayed`: an ID first sent 2 to
 * `maxDelay` first attempts earlier; `hot`: one of `hotIds` early IDs, hit again and again.
 */
export type DuplicatePattern = (typeof DUPLICATE_PATTERNS)[number];
/** One pattern, `mixed` (GENERATOR_DEFAULTS.dupMix) or explicit relative weights. */
export type DuplicatePatternChoice = DuplicatePattern | 'mixed' | Readonly<Partial<Record<DuplicatePattern, number>>>;

export interface DuplicateStreamOptions extends PoolOptions {
  /** Fraction of items (after the first) that repeat an earlier ID, in [0, 1). */
  dupRatio?: number;
  pattern?: DuplicatePatternChoice;
  /** How many IDs the hot pattern hits. */
  hotIds?: number;
  /** How far back (in first attempts) a delayed duplicate may reach. */
  maxDelay?: number; // items
  /** Fraction of duplicates sent with the ID spelled differently (upper or mixed case): still the same ID. */
  variantRatio?: number;
  /**
   * Draw bodies from this pool instead of building one from the options. With a `recycle` pool an item's body is
   * valid only until the next call to next(), like the pool's own bodies.
   */
  pool?: PayloadPool;
}

/** One request of the stream with its ground truth. */
export interface StreamItem {
  /** Position in the stream, from 0. */
  index: number;
  body: Buffer;
  /** The ID as written in the body (a variant spelling for some duplicates). */
  id: string;
  /** The ID a correct server compares: lower case. */
  canonicalId: string;
  /** `first`: no earlier item of the stream carries this ID; `duplicate`: one does. */
  attempt: 'first' | 'duplicate';
  /** How the duplicate was planned; null for a first attempt. */
  pattern: DuplicatePattern | null;
  /** How the ID is spelled differently from its first attempt; null when spelled the same. */
  variant: IdVariant | null;
  /** Index of this ID's first attempt (its own index for a first attempt). */
  firstIndex: number;
}

export interface DuplicateStream {
  next(): StreamItem;
  /** Items issued so far, by attempt and duplicate pattern. */
  counts(): { items: number; first: number; duplicate: number } & Record<DuplicatePattern, number>;
}

interface Seen {
  id: string; // canonical
  index: number; // of its first attempt
}

export function createDuplicateStream(options: DuplicateStreamOptions = {}): DuplicateStream {
  const seed = fakerSeed(options.seed ?? GENERATOR_DEFAULTS.seed);
  const dupRatio = checkFraction('dupRatio', options.dupRatio ?? GENERATOR_DEFAULTS.dupRatio, true);
  const variantRatio = checkFraction('variantRatio', options.variantRatio ?? GENERATOR_DEFAULTS.variantRatio, false);
  const hotIds = checkCount('hotIds', options.hotIds ?? GENERATOR_DEFAULTS.hotIds);
  const maxDelay = checkCount('maxDelay', options.maxDelay ?? GENERATOR_DEFAULTS.maxDelay);
  const mix = patternWeights(options.pattern ?? GENERATOR_DEFAULTS.dupPattern);
  const pool = options.pool ?? createPayloadPool({ ...options, seed });
  // The stream's own choices (duplicate or not, which pattern, which ID, which spelling) have their own PRNG.
  const random = createRandom(`${seed}:duplicates`);

  const recent: Seen[] = new Array<Seen>(maxDelay); // ring of the last maxDelay first attempts
  let recentCount = 0;
  const hot: Seen[] = [];
  let previous: StreamItem | undefined;
  const counts = { items: 0, first: 0, duplicate: 0, immediate: 0, delayed: 0, hot: 0 };

  function first(index: number): StreamItem {
    const { id, body } = pool.next();
    const seen = { id, index };
    recent[recentCount % maxDelay] = seen;
    recentCount++;
    if (hot.length < hotIds) hot.push(seen);
    return { index, body, id, canonicalId: id, attempt: 'first', pattern: null, variant: null, firstIndex: index };
  }

  function duplicate(index: number, before: StreamItem): StreamItem {
    const pattern = pick(random, mix);
    const variant = random.next() < variantRatio ? ID_VARIANTS[Math.floor(random.next() * ID_VARIANTS.length)]! : null;
    let target: Seen;
    if (pattern === 'immediate') target = { id: before.canonicalId, index: before.firstIndex };
    else if (pattern === 'hot') target = hot[Math.floor(random.next() * hot.length)]!;
    else {
      const available = Math.min(recentCount, maxDelay);
      // k-th most recent first attempt, k ≥ 2 (k = 1 would be an immediate repeat) when there is one.
      const k = available < 2 ? 1 : 2 + Math.floor(random.next() * (available - 1));
      target = recent[(recentCount - k) % maxDelay]!;
    }
    const id = variant === null ? target.id : idVariant(target.id, variant, random);
    let body: Buffer;
    if (pattern === 'immediate') {
      // A retry resends the same request: the same bytes, with only the ID's spelling changed for a variant.
      body = id === before.id ? before.body : replaceAscii(before.body, before.id, id);
    } else body = pool.withId(id).body;
    return { index, body, id, canonicalId: target.id, attempt: 'duplicate', pattern, variant, firstIndex: target.index };
  }

  return {
    next() {
      const index = counts.items++;
      const item = previous !== undefined && random.next() < dupRatio ? duplicate(index, previous) : first(index);
      if (item.attempt === 'first') counts.first++;
      else {
        counts.duplicate++;
        counts[item.pattern!]++;
      }
      previous = item;
      return item;
    },
    counts: () => ({ ...counts }),
  };
}

/** A copy of `bytes` with every occurrence of the ASCII string `from` replaced by `to` (same length). */
export function replaceAscii(bytes: Buffer, from: string, to: string): Buffer {
  const out = Buffer.from(bytes);
  for (let at = out.indexOf(from, 0, 'latin1'); at !== -1; at = out.indexOf(from, at + from.length, 'latin1')) {
    out.write(to, at, 'latin1');
  }
  return out;
}

function patternWeights(choice: DuplicatePatternChoice): [DuplicatePattern, number][] {
  const weights: Partial<Record<DuplicatePattern, number>> = typeof choice === 'string'
    ? choice === 'mixed' ? GENERATOR_DEFAULTS.dupMix : { [choice]: 1 }
    : choice;
  const entries = DUPLICATE_PATTERNS.map((p): [DuplicatePattern, number] => [p, weights[p] ?? 0]);
  const unknown = typeof choice === 'string' ? (choice === 'mixed' || (DUPLICATE_PATTERNS as readonly string[]).includes(choice) ? [] : [choice]) : Object.keys(choice).filter((k) => !(DUPLICATE_PATTERNS as readonly string[]).includes(k));
  if (unknown.length > 0 || entries.some(([, w]) => !(w >= 0)) || !entries.some(([, w]) => w > 0)) {
    throw new InvalidOptionError('pattern', `must be mixed, ${DUPLICATE_PATTERNS.join(', ')}, or weights ≥ 0 for them, not all 0 (got ${JSON.stringify(choice)})`);
  }
  return entries;
}

function pick(random: Random, entries: readonly [DuplicatePattern, number][]): DuplicatePattern {
  let total = 0;
  for (const [, w] of entries) total += w;
  let u = random.next() * total;
  for (const [pattern, w] of entries) {
    if (u < w) return pattern;
    u -= w;
  }
  return entries.findLast(([, w]) => w > 0)![0];
}

function checkFraction(option: string, value: number, belowOne: boolean): number {
  if (!(value >= 0) || value > 1 || (belowOne && value >= 1)) {
    throw new InvalidOptionError(option, `must be a number from 0 ${belowOne ? 'to below 1 (every duplicate needs an earlier first attempt)' : 'to 1'} (got ${value})`);
  }
  return value;
}

function checkCount(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new InvalidOptionError(option, `must be a whole number ≥ 1 (got ${value})`);
  return value;
}
