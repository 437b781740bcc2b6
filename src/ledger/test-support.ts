// Test support for the ledger: deterministic IDs and a simulated run against a modelled server (correct or faulty).
// Not used by stampede itself.

import { createRandom } from '../random.ts';
import { Ledger } from './ledger.ts';
import { formatUuid } from './uuid-key.ts';

function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** The i-th test ID: a canonical, random-looking UUID text, the same for the same i (no array of IDs needed). */
export function testId(i: number): string {
  return formatUuid(mix(i * 4 + 1), mix(i * 4 + 2), mix(i * 4 + 3), mix(i * 4 + 4));
}

/**
 * How the modelled server behaves. All of them apply requests in the order they arrive at the server ("first arrival
 * wins"); the faulty ones break one rule now and then.
 * - correct: absent → store + 201, present → 409;
 * - ack-twice: sometimes 201 for an ID already stored (U1);
 * - lose-writes: after the load phase, forgets some stored IDs (U3, seen by the durability probe);
 * - false-conflicts: sometimes 409 for an ID not stored, without storing it (U2, and U4);
 * - phantom-writes: sometimes stores the ID yet answers 400, so later conflicts trace back to nothing (U4).
 */
export type ServerModel = 'correct' | 'ack-twice' | 'lose-writes' | 'false-conflicts' | 'phantom-writes';

export interface SimulationOptions {
  attempts: number;
  seed: number;
  /** Mean gap between sends (ms): with answers 0.1–4 ms later, tens of attempts overlap at any time. */
  meanGapMs?: number; // ms
}

/**
 * Simulate a run: attempts (85 % new IDs, 10 % duplicates of a recent ID, 5 % of a few hot IDs) sent with random gaps,
 * reaching the server and answering after random latencies, so sends and answers interleave in every way; 1 % of the
 * attempts get a 503 and 0.5 % time out (each applied or not), and answers due after the end of the load phase never
 * arrive. Events are fed to a ledger in time order; then the durability probe re-submits every acknowledged ID, and
 * each ID it got a 2xx for once more (the confirmation).
 */
export function simulate(model: ServerModel, options: SimulationOptions): Ledger {
  const n = options.attempts;
  const meanGap = options.meanGapMs ?? 0.05;
  const random = createRandom(options.seed);
  const next = () => random.next();

  const idOf = new Int32Array(n);
  const duplicate = new Uint8Array(n);
  const sentAt = new Float64Array(n);
  const arrival = new Float64Array(n);
  const answerAt = new Float64Array(n);
  const status = new Int16Array(n); // 0: no answer (error)
  let ids = 0;
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += -Math.log(1 - next()) * meanGap;
    const r = next();
    if (ids === 0 || r < 0.85) {
      idOf[i] = ids++;
    } else if (r < 0.95) {
      idOf[i] = Math.max(0, ids - 1 - Math.floor(next() * 64)); // a recent ID: often still in flight
      duplicate[i] = 1;
    } else {
      idOf[i] = Math.floor(next() * Math.min(ids, 4)); // a hot ID
      duplicate[i] = 1;
    }
    sentAt[i] = t;
    arrival[i] = t + 0.05 + next() * 2;
    answerAt[i] = arrival[i]! + 0.05 + next() * 2;
  }
  const endedAt = t;

  // The server, in arrival order.
  const stored = new Uint8Array(ids);
  const byArrival = Array.from({ length: n }, (_, i) => i).sort((a, b) => arrival[a]! - arrival[b]!);
  for (const i of byArrival) {
    const id = idOf[i]!;
    const fault = next();
    if (fault < 0.015) {
      if (next() < 0.5) stored[id] = 1; // applied, or not: indeterminate either way
      if (fault < 0.01) status[i] = 503;
      else answerAt[i] = sentAt[i]! + 50; // timeout
      continue;
    }
    const roll = next();
    if (stored[id] === 1) {
      status[i] = model === 'ack-twice' && roll < 0.02 ? 201 : 409;
    } else if (model === 'false-conflicts' && roll < 0.01) {
      status[i] = 409;
    } else if (model === 'phantom-writes' && roll < 0.01) {
      stored[id] = 1;
      status[i] = 400;
    } else {
      stored[id] = 1;
      status[i] = 201;
    }
  }

  // Sends and answers in time order (a send before an answer at the same instant).
  const eventList: number[] = [];
  for (let i = 0; i < n; i++) {
    eventList.push(i * 2);
    if (answerAt[i]! <= endedAt) eventList.push(i * 2 + 1);
  }
  const events = Int32Array.from(eventList);
  const timeOf = (e: number) => ((e & 1) === 0 ? sentAt[e >> 1]! : answerAt[e >> 1]!);
  events.sort((a, b) => timeOf(a) - timeOf(b) || (a & 1) - (b & 1));

  const names = Array.from({ length: ids }, (_, id) => testId(id));
  const ledger = new Ledger({ conflictStatus: 409 });
  const tokens = new Int32Array(n);
  for (const e of events) {
    const i = e >> 1;
    if ((e & 1) === 0) tokens[i] = ledger.sent(names[idOf[i]!]!, duplicate[i] === 1 ? 'duplicate' : 'first', sentAt[i]!);
    else if (status[i] === 0) ledger.answered(tokens[i]!, answerAt[i]!, undefined, 'timeout');
    else ledger.answered(tokens[i]!, answerAt[i]!, status[i]!);
  }
  ledger.close(endedAt);

  // After the load phase: a faulty store forgets; then the durability probe re-submits every acknowledged ID.
  const lookup = new Map<string, number>();
  for (let id = 0; id < ids; id++) lookup.set(names[id]!, id);
  if (model === 'lose-writes') for (let id = 0; id < ids; id++) if (stored[id] === 1 && next() < 0.01) stored[id] = 0;
  let probeAt = endedAt + 100;
  const register = (id: number): number => {
    const answer = stored[id] === 1 ? 409 : 201;
    stored[id] = 1;
    return answer;
  };
  for (const text of [...ledger.acknowledgedIds()]) {
    ledger.probed(text, probeAt, probeAt + 1, register(lookup.get(text)!));
    probeAt += 0.01;
  }
  // Each suspect (probe answered 2xx) is re-submitted once more to confirm it.
  for (const text of ledger.suspectIds()) {
    ledger.confirmed(text, probeAt, probeAt + 1, register(lookup.get(text)!));
    probeAt += 0.01;
  }
  return ledger;
}
