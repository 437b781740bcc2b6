// Corpus files: NDJSON request bodies (one per line) streamed to disk, with a ground-truth sidecar per line.

import { once } from 'node:events';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { GENERATOR_DEFAULTS } from '../src/defaults.ts';
import { FileAccessError, InvalidOptionError } from '../src/errors.ts';
import { createRandom } from '../src/random.ts';
import { createDuplicateStream, replaceAscii, type DuplicatePatternChoice } from './duplicates.ts';
import { mutationCatalogue, mutate, type MutationCase } from './mutations.ts';
import { createPayloadPool, profileIdOf } from './pool.ts';
import { fakerSeed } from './profile.ts';
import type { ProfileShape } from './session.ts';
import { uuidV4 } from './uuid.ts';

export interface CorpusOptions extends ProfileShape {
  /** Corpus file; the sidecar goes beside it (truthPathFor). */
  out: string;
  count: number;
  seed?: number;
  /** Every line a labelled invalid body (cycling through the mutation catalogue) instead of a valid one. */
  invalid?: boolean;
  dupRatio?: number;
  dupPattern?: DuplicatePatternChoice;
  variantRatio?: number;
  /** Gzip both files. */
  gzip?: boolean;
  /** Stop at the next chunk boundary: the files end with complete lines. */
  signal?: AbortSignal;
  /** Called after each chunk is handed to the file, with the lines written so far. */
  onProgress?: (written: number) => void;
}

export interface CorpusResult {
  path: string;
  truthPath: string;
  requested: number;
  written: number;
  /** Bytes of NDJSON before compression. */
  bytes: number;
  interrupted: boolean;
  durationMs: number; // ms
}

/** Identifies the sidecar format (its header's `format` and `version`). */
export const TRUTH_FORMAT = { format: 'stampede-corpus-truth', version: 1 } as const;

/** `corpus.ndjson` → `corpus.truth.ndjson`; `corpus.ndjson.gz` (gzip) → `corpus.truth.ndjson.gz`. */
export function truthPathFor(out: string, gzip: boolean): string {
  const stem = out.replace(/\.gz$/i, '').replace(/\.(ndjson|jsonl|json)$/i, '');
  return `${stem}.truth.ndjson${gzip ? '.gz' : ''}`;
}

const NEWLINE = Buffer.from('\n');
/** Valid bodies an invalid corpus derives its lines from (their mutations are cached: templates × catalogue). */
const INVALID_TEMPLATES = 32;

/** A file written through a stream with backpressure (optionally through gzip). */
interface Sink {
  write(chunk: Buffer): Promise<void>;
  end(): Promise<void>;
}

async function openSink(path: string, gzip: boolean): Promise<Sink> {
  let handle;
  try {
    handle = await open(path, 'w');
  } catch (error) {
    throw new FileAccessError(path, 'write', { cause: error });
  }
  const file = handle.createWriteStream();
  const head: Writable = gzip ? createGzip() : file;
  if (gzip) head.pipe(file);
  let failure: unknown;
  const fail = (error: unknown) => (failure ??= error);
  file.on('error', fail);
  head.on('error', fail);
  const check = () => {
    if (failure !== undefined) throw new FileAccessError(path, 'write', { cause: failure });
  };
  return {
    async write(chunk) {
      check();
      if (!head.write(chunk)) await once(head, 'drain').catch(fail);
      check();
    },
    async end() {
      head.end();
      await finished(file).catch(fail);
      check();
    },
  };
}

/**
 * Writes `count` lines (fewer when `signal` aborts) and the sidecar, streaming: memory stays at a chunk or two,
 * whatever the count. Files are written in chunks of whole lines, so an interrupted corpus ends with a complete line.
 */
export async function writeCorpus(options: CorpusOptions): Promise<CorpusResult> {
  const started = performance.now();
  const { out, count } = options;
  const seed = fakerSeed(options.seed ?? GENERATOR_DEFAULTS.seed);
  const gzip = options.gzip ?? false;
  const invalid = options.invalid ?? false;
  if (!Number.isSafeInteger(count) || count < 1) throw new InvalidOptionError('count', `must be a whole number ≥ 1 (got ${count})`);
  const dupRatio = options.dupRatio ?? GENERATOR_DEFAULTS.dupRatio;
  if (invalid && dupRatio > 0) {
    throw new InvalidOptionError('dupRatio', 'cannot be combined with invalid: invalid bodies are never registered, so repeating their IDs tests nothing');
  }
  const truthPath = truthPathFor(out, gzip);
  const nextLine = invalid ? invalidLines(options, seed) : validLines(options, seed, dupRatio);
  const corpus = await openSink(out, gzip);
  let truth: Sink;
  try {
    truth = await openSink(truthPath, gzip);
  } catch (error) {
    await corpus.end().catch(() => {});
    throw error;
  }

  const header = {
    line: 0, ...TRUTH_FORMAT, corpus: basename(out), seed, count, mode: invalid ? 'invalid' : 'valid',
    ...(invalid ? {} : { dupRatio, dupPattern: options.dupPattern ?? GENERATOR_DEFAULTS.dupPattern, variantRatio: options.variantRatio ?? GENERATOR_DEFAULTS.variantRatio }),
  };
  await truth.write(Buffer.from(`${JSON.stringify(header)}\n`));

  let written = 0;
  let bytes = 0;
  const chunkBytes = GENERATOR_DEFAULTS.chunkBytes;
  while (written < count && options.signal?.aborted !== true) {
    const parts: Buffer[] = [];
    let size = 0;
    let facts = '';
    while (size < chunkBytes && written < count) {
      const { body, fact } = nextLine(written + 1);
      parts.push(body, NEWLINE);
      size += body.length + 1;
      facts += `${fact}\n`;
      written++;
    }
    // Corpus first: a sidecar record never describes a line that is not on disk.
    await corpus.write(Buffer.concat(parts, size));
    await truth.write(Buffer.from(facts));
    bytes += size;
    options.onProgress?.(written);
  }
  await corpus.end();
  await truth.end();
  return { path: out, truthPath, requested: count, written, bytes, interrupted: written < count, durationMs: performance.now() - started };
}

type LineSource = (line: number) => { body: Buffer; fact: string };

/** Valid bodies from the duplicate stream; the fact is its ground truth. */
function validLines(options: CorpusOptions, seed: number, dupRatio: number): LineSource {
  const stream = createDuplicateStream({
    seed, dupRatio, pattern: options.dupPattern, variantRatio: options.variantRatio,
    countries: options.countries, eventCount: options.eventCount, window: options.window,
  });
  return (line) => {
    const item = stream.next();
    if (item.attempt === 'first') return { body: item.body, fact: `{"line":${line},"id":"${item.canonicalId}","attempt":"first"}` };
    const variant = item.variant === null ? '' : `,"variant":"${item.variant}","sentId":"${item.id}"`;
    return {
      body: item.body,
      fact: `{"line":${line},"id":"${item.canonicalId}","attempt":"duplicate","pattern":"${item.pattern}","firstLine":${item.firstIndex + 1}${variant}}`,
    };
  };
}

/**
 * Each line one mutation of a valid body, going through the catalogue in a seeded order, round after round.
 * Mutating costs ~50 µs (parse, change, serialise), so each (template, case) pair is mutated once and later lines
 * reuse those bytes with a fresh profile ID substituted: unique IDs per line at a few µs each.
 */
function invalidLines(options: CorpusOptions, seed: number): LineSource {
  const pool = createPayloadPool({ seed, templates: INVALID_TEMPLATES, countries: options.countries, eventCount: options.eventCount, window: options.window });
  const bases = Array.from({ length: INVALID_TEMPLATES }, (_, t) => pool.templateBody(t));
  const baseIds = bases.map((body) => profileIdOf(body));
  const catalogue = mutationCatalogue();
  const cache = new Map<string, Buffer>();
  const random = createRandom(`${seed}:mutations`);
  let order: MutationCase[] = [];
  return (line) => {
    if (order.length === 0) order = shuffled(catalogue, random.next);
    const { label, kind, variant, pointer, rule, expect, preferredStatus } = order.pop()!;
    const t = Math.floor(random.next() * INVALID_TEMPLATES);
    const key = `${t} ${label}`;
    let mutated = cache.get(key);
    if (mutated === undefined) cache.set(key, (mutated = mutate(bases[t]!, label).body));
    const baseId = uuidV4(random);
    const body = replaceAscii(mutated, baseIds[t]!, baseId);
    const fact = JSON.stringify({ line, label, kind, variant, pointer, rule, expect, preferredStatus, baseId });
    return { body, fact };
  };
}

function shuffled<T>(items: readonly T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
