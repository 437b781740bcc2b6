// What a race run sends: seeded bursts (one fresh ID each, `width` requests with exact bytes), and the replay file
// that records them so `stampede race --replay FILE` re-sends them byte for byte.

import { readFile, writeFile } from 'node:fs/promises';
import { createPayloadPool } from '../../../generators/pool.ts';
import { idVariant } from '../../../generators/uuid.ts';
import { FileAccessError, InvalidOptionError } from '../../errors.ts';
import type { IdMode, SyncMode } from '../../options/race-options.ts';
import { createRandom, hash32, type Random } from '../../random.ts';
import { buildRawRequest } from './http1-wire.ts';

export const RACE_PATH = '/user-profiles';

/** One burst: `requests[i]` registers `sentIds[i]`, a spelling of the canonical `id`. */
export interface PlannedBurst {
  id: string;
  sentIds: string[];
  /** The exact HTTP/1.1 request bytes (for single-packet: the same head and body, sent as HTTP/2 frames). */
  requests: Buffer[];
}

export interface RacePlan {
  seed: number;
  sync: SyncMode;
  width: number;
  /** The keep-alive request sent on each connection before the burst request, when --warmup. */
  warmup: Buffer | undefined;
  /** last-byte --blocker: the blocker request (the same bytes every burst), or undefined. */
  blocker: Buffer | undefined;
  bursts: PlannedBurst[];
}

export interface PlanInput {
  seed: number;
  sync: SyncMode;
  bursts: number;
  width: number;
  ids: IdMode;
  warmup: boolean;
  /** Host header value, e.g. 127.0.0.1:8080 */
  host: string;
  headers: ReadonlyArray<[string, string]>;
  /** Body bytes of the blocker request; 0 or absent: none. */
  blockerBytes?: number;
  /** Separates independent ID streams of one seed (the naive baseline draws its own IDs). */
  stream?: string;
}

/** A seeded version-4 UUID, lower case. */
function seededUuid(random: Random): string {
  let hex = '';
  for (let i = 0; i < 4; i++) hex += ((random.next() * 4294967296) >>> 0).toString(16).padStart(8, '0');
  const v = `${hex.slice(0, 12)}4${hex.slice(13, 16)}${((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17)}`;
  return `${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20, 32)}`;
}

export function planRace(input: PlanInput): RacePlan {
  const random = createRandom(hash32(`race-ids${input.stream ?? ''}`, input.seed));
  const variants = createRandom(hash32(`race-variants${input.stream ?? ''}`, input.seed));
  const pool = createPayloadPool({ seed: input.seed });
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  for (const [name, value] of input.headers) headers[name] = value;
  const bursts: PlannedBurst[] = [];
  for (let b = 0; b < input.bursts; b++) {
    const id = seededUuid(random);
    const sentIds: string[] = [];
    const requests: Buffer[] = [];
    // One body per burst: the requests differ at most in the ID's spelling.
    const body = Buffer.from(pool.withId(id).body);
    for (let i = 0; i < input.width; i++) {
      const sentId = input.ids === 'same' || i % 3 === 0 ? id : idVariant(id, i % 3 === 1 ? 'upper-case' : 'mixed-case', variants);
      const bytes = sentId === id ? body : Buffer.from(body.toString('latin1').split(id).join(sentId), 'latin1');
      sentIds.push(sentId);
      requests.push(buildRawRequest({ method: 'POST', path: RACE_PATH, host: input.host, headers, body: bytes }));
    }
    bursts.push({ id, sentIds, requests });
  }
  const warmup = input.warmup ? buildRawRequest({ method: 'GET', path: '/healthz', host: input.host, close: false }) : undefined;
  const blocker = input.blockerBytes ? buildRawRequest({ method: 'POST', path: RACE_PATH, host: input.host, headers, body: blockerBody(input.blockerBytes) }) : undefined;
  return { seed: input.seed, sync: input.sync, width: input.width, warmup, blocker, bursts };
}

/**
 * The blocker's body: exactly `bytes` of a JSON array of zeros. Valid JSON, so the server parses all of it (the
 * slowest cheap shape to parse: ~8 µs per KiB here, 5× a long string), yet no service can take an array for a profile:
 * it is answered 4xx and registers nothing.
 */
export function blockerBody(bytes: number): Buffer {
  const zeros = Math.max(1, Math.floor((bytes - 1) / 2));
  const body = Buffer.alloc(Math.max(bytes, 3), 0x20);
  body[0] = 0x5b; // [
  for (let i = 0; i < zeros; i++) {
    body[1 + 2 * i] = 0x30; // 0
    if (i < zeros - 1) body[2 + 2 * i] = 0x2c; // ,
  }
  body[body.length - 1] = 0x5d; // ]
  return body;
}

/** The replay file's JSON shape. Request bytes are base64; they include every header as sent (-H values too). */
export interface ReplayFile {
  format: 'stampede-race-replay';
  version: 1;
  seed: number;
  sync: SyncMode;
  /** The target the run was sent to (credentials removed) and the request path. */
  target: { url: string; embedded: boolean; path: string };
  width: number;
  warmup?: string;
  /** The blocker request (base64) sent on its own connection in every burst, when the run had --blocker. */
  blocker?: string;
  bursts: Array<{ id: string; sentIds: string[]; requests: string[] }>;
}

export async function writeReplayFile(path: string, plan: RacePlan, target: { url: string; embedded: boolean }): Promise<void> {
  const file: ReplayFile = {
    format: 'stampede-race-replay',
    version: 1,
    seed: plan.seed,
    sync: plan.sync,
    target: { ...target, path: RACE_PATH },
    width: plan.width,
    ...(plan.warmup ? { warmup: plan.warmup.toString('base64') } : {}),
    ...(plan.blocker ? { blocker: plan.blocker.toString('base64') } : {}),
    bursts: plan.bursts.map((b) => ({ id: b.id, sentIds: b.sentIds, requests: b.requests.map((r) => r.toString('base64')) })),
  };
  try {
    // Owner-only: the bytes carry header values as sent (an Authorization header, if one was given).
    await writeFile(path, `${JSON.stringify(file)}\n`, { mode: 0o600 });
  } catch (error) {
    throw new FileAccessError(path, 'write', { cause: error });
  }
}

export async function readReplayFile(path: string): Promise<{ plan: RacePlan; file: ReplayFile }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new FileAccessError(path, 'read', { cause: error });
  }
  let file: ReplayFile;
  try {
    file = JSON.parse(text) as ReplayFile;
  } catch {
    throw new InvalidOptionError('--replay', `${path} is not JSON; give a replay.json written by stampede race`);
  }
  if (file?.format !== 'stampede-race-replay' || file.version !== 1 || !Array.isArray(file.bursts) || file.bursts.length === 0) {
    throw new InvalidOptionError('--replay', `${path} is not a stampede race replay file (format stampede-race-replay, version 1, with bursts)`);
  }
  const plan: RacePlan = {
    seed: file.seed,
    sync: file.sync,
    width: file.width,
    warmup: file.warmup === undefined ? undefined : Buffer.from(file.warmup, 'base64'),
    blocker: file.blocker === undefined ? undefined : Buffer.from(file.blocker, 'base64'),
    bursts: file.bursts.map((b) => ({ id: b.id, sentIds: b.sentIds, requests: b.requests.map((r) => Buffer.from(r, 'base64')) })),
  };
  return { plan, file };
}
