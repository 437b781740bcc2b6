// The per-ID ledger: every attempt of a run, judged per ID and concurrency-aware, for the invariants U1–U4
// (DESIGN.md, "Correctness model"). Compact (about 42 bytes per ID plus the hash index) and allocation-free on the hot
// path: sent() and answered() touch typed arrays only, except for the few IDs traced as violation examples.

import { canonicalId } from '../contract/canonical-id.ts';
import { LEDGER_DEFAULTS } from '../defaults.ts';
import { InvalidOptionError } from '../errors.ts';
import type {
  Attempt,
  AttemptKind,
  DurabilityProbe,
  InvariantExample,
  InvariantResult,
  Outcome,
  OutcomeCounts,
  Verdict,
} from '../result/result-document.ts';
import {
  ACKNOWLEDGES,
  Answer,
  BREAKS_U1,
  BREAKS_U2,
  BREAKS_U3,
  CONFLICT,
  SUSPECT_U3,
  classifyAnswer,
  INDETERMINATE,
  judgeConfirmationAnswer,
  judgeLoadAnswer,
  judgeProbeAnswer,
  OUTCOME_MASK,
  outcomeName,
} from './classification.ts';
import { resized, type Typed } from './typed-arrays.ts';
import { formatUuid, hashKey, parseUuid } from './uuid-key.ts';

/** The ground-truth kind of a load-phase attempt (probes go through probed()). */
export type LoadKind = 'first' | 'duplicate';

export interface LedgerOptions {
  /** The status a correct target answers for an ID that already exists: a 4xx, 409 by default (SERVICE_DEFAULTS). */
  conflictStatus: number;
  /** Examples kept per invariant (LEDGER_DEFAULTS.maxExamples). */
  maxExamples?: number;
  /** Attempts shown per example timeline (LEDGER_DEFAULTS.maxTimeline). */
  maxTimeline?: number;
  /** Size the per-ID tables for this many IDs up front (no growth copies below it; they still grow past it). */
  expectedIds?: number;
}

export interface LedgerCounts {
  /** Every attempt, probes included: the sum of byKind. */
  total: OutcomeCounts;
  /** The load phase only: first + duplicate. */
  load: OutcomeCounts;
  /** `probe` only once the durability probe has sent something. */
  byKind: { first: OutcomeCounts; duplicate: OutcomeCounts; probe?: OutcomeCounts };
  /** Attempts sent and not yet answered (0 after close(): they became indeterminate). */
  inFlight: number;
}

/** What the caller knows about the durability probe, for U3's verdict and detail. */
export interface ProbeInfo {
  /** The probe phase ran (even if it had nothing to re-submit). */
  ran: boolean;
  /** For a sample: the loss rate it is sized to detect and the confidence of detecting it. */
  detects?: { lossRate: number; confidence: number };
}

// Per-ID flag bits (Uint16Array).
const F_ACK = 1 << 0; // answered 2xx at least once
const F_INDETERMINATE = 1 << 1; // at least one attempt indeterminate
const F_TRACED = 1 << 2; // an example follows this ID: its later attempts are recorded in full
const F_SENT1_DUP = 1 << 3; // the earliest attempt is a duplicate (else first)
const F_SENT2_DUP = 1 << 4; // the second earliest attempt is a duplicate
const F_ACK_DUP = 1 << 5; // the first 2xx went to a duplicate
const F_FALLBACK = 1 << 6; // not a UUID: the ID text lives in the fallback map, not in `keys`
const F_U1 = 1 << 7; // acknowledged more than once
const F_LOST = 1 << 8; // a lost acknowledged write, confirmed (the probe's 2xx, then a conflict to its confirmation)
const F_PROBED = 1 << 9; // the durability probe re-submitted this ID
const F_ACK_S1 = 1 << 10; // the first 2xx went to the attempt sent at sent1 (its send time is sent1)
const F_ACK_S2 = 1 << 11; // … at sent2; neither flag: its send time is in ackSentElsewhere

// Why a trace is kept (bits of Trace.owners).
const BY_U1 = 1;
const BY_U2 = 2;
const BY_U3 = 4;
const BY_U4 = 8; // a U4 candidate: conflicts and, so far, no 2xx or indeterminate attempt

const KIND_FIRST = 0;
const KIND_DUPLICATE = 1;
const KIND_PROBE = 2;
const KIND_NAMES: readonly AttemptKind[] = ['first', 'duplicate', 'probe'];
/** A probe's 2xx, as judged (a suspect): for the probe attempt shown beside its confirmation. */
const FAIL_SUSPECT = 1 | SUSPECT_U3;

const SATURATED_U8 = 0xff;
/** The hash index doubles beyond this load. */
const MAX_LOAD = 0.85;
/** The index grows by this factor: with exact sizing from expectedIds, its slack stays small. */
const INDEX_GROWTH = 1.5;
/** Per-ID tables grow in multiples of this many IDs. */
const PAGE = 1024; // IDs
const INITIAL_TOKENS = 256; // attempts in flight
/** U4 candidates traced at once, per example wanted (most are resolved by a later 2xx and released). */
const U4_CANDIDATES_PER_EXAMPLE = 4;
/** Rough heap cost of one entry of a Map<number, number>, for memoryBytes(). */
const MAP_ENTRY_BYTES = 40; // bytes
/** Rough heap cost of one non-UUID ID in the fallback maps, for memoryBytes(). */
const FALLBACK_ENTRY_BYTES = 160; // bytes

const f32 = new Float32Array(1);
const f32bits = new Uint32Array(f32.buffer);

/**
 * `x` rounded down to a float32. Send times are stored this way, so a stored time is never later than the truth and
 * U2 errs towards "another attempt could have created it" (never a false accusation). float32 keeps sub-ms precision
 * for the first 2.3 hours of a run and 1 ms up to 4.6 hours.
 */
export function floorToFloat32(x: number): number {
  f32[0] = x;
  const y = f32[0]!;
  if (!(y > x)) return y;
  if (y > 0) f32bits[0] = f32bits[0]! - 1;
  else if (y < 0) f32bits[0] = f32bits[0]! + 1;
  else f32bits[0] = 0x80000001; // x in (-tiny, 0): the negative float32 nearest zero
  return f32[0]!;
}

function sameTime(a: number, b: number): boolean {
  return Math.abs(a - b) <= Math.max(1e-3, Math.abs(a) * 2 ** -22);
}

function ms(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Scratch for the four words of the ID being looked up (no allocation per call). */
const KEY = new Uint32Array(4);

interface Trace {
  slot: number;
  /** Known attempts: the per-ID fields at the time tracing started, then every attempt answered since. */
  attempts: Attempt[];
  /** Attempts left out because the timeline was full. */
  omitted: number;
  owners: number;
}

interface Example {
  slot: number;
  note: string;
}

export class Ledger {
  readonly conflictStatus: number;
  private readonly maxExamples: number;
  private readonly maxTimeline: number;

  // Per-ID tables, indexed by slot (dense, in first-seen order).
  private capacity: number;
  private size = 0;
  /** Four words per slot: the UUID. */
  private keys: Uint32Array;
  /** Earliest and second-earliest send time (ms, float32 rounded down; +Infinity: none). */
  private sent1: Float32Array;
  private sent2: Float32Array;
  /**
   * The first 2xx: its answer time (ms). Its attempt's send time is sent1 or sent2 (flags F_ACK_S1, F_ACK_S2) — nearly
   * always, as the first 2xx goes to one of the two earliest attempts — else in ackSentElsewhere.
   */
  private ackAt: Float32Array;
  /** Status of the first 2xx minus 200. */
  private ackStatus: Uint8Array;
  /** Attempts sent, saturating at 255 (shown as 255+). */
  private attempts: Uint8Array;
  /** Conflict answers while the ID has had no 2xx and no indeterminate attempt (U4); beyond 255 in conflictOverflow. */
  private conflicts: Uint8Array;
  /** The latest status that was neither 2xx nor the conflict status nor indeterminate (400, 404, …), coded (codeOther). */
  private otherStatus: Uint8Array;
  private flags: Uint16Array;
  /** Open addressing, linear probing, any size (fastrange): slot + 1, 0 = empty. */
  private index: Int32Array;

  private readonly fallback = new Map<string, number>();
  private readonly fallbackIds = new Map<number, string>();
  private readonly conflictOverflow = new Map<number, number>();
  /** The first 2xx's send time, for the rare ID whose first 2xx went to neither of its two earliest attempts. */
  private readonly ackSentElsewhere = new Map<number, number>();

  // Attempts in flight: a free list of token slots.
  private tokSlot: Int32Array;
  private tokSentAt: Float64Array;
  /** 0: free; otherwise the kind + 1. */
  private tokKind: Uint8Array;
  private tokNext: Int32Array;
  private freeToken = -1;
  private inFlight = 0;
  /** The spelling sent, for attempts in flight whose ID was sent in another case than the canonical one. */
  private readonly variants = new Map<number, string>();

  /** [kind * 4 + column]: column 0 sent, 1 ok, 2 fail, 3 indeterminate. */
  private readonly counters = new Float64Array(12);
  private acknowledged = 0;
  private extraAcks = 0;
  private u1Ids = 0;
  private conflictAnswers = 0;
  private falseConflicts = 0;
  private unresolvedConflicts = 0;
  private probedIds = 0;
  /** Probes answered without an indeterminate answer (first round). */
  private probesDecided = 0;
  private lostWrites = 0;
  /** Suspects (probe answered 2xx) awaiting their confirmation: the probe's answer, for the example timelines. */
  private readonly suspects = new Map<number, { sentAt: number; answeredAt: number; status: number }>();
  /** Suspects whose confirmation was answered 2xx again: the target accepts duplicates (U1); U3 undecidable. */
  private duplicatesAccepted = 0;
  /** Suspects whose confirmation was indeterminate or another wrong answer: U3 undecidable. */
  private unconfirmed = 0;

  private readonly traces = new Map<number, Trace>();
  /** Attempts of traced IDs sent since tracing began, by token; attempt null: left out of a full timeline. */
  private readonly tracedTokens = new Map<number, { slot: number; attempt: Attempt | null }>();
  private u4Traced = 0;
  private readonly examples: { U1: Example[]; U2: Example[]; U3: Example[] } = { U1: [], U2: [], U3: [] };

  private closed = false;
  private endedAtMs: number | undefined;

  constructor(options: LedgerOptions) {
    const { conflictStatus } = options;
    if (!(Number.isInteger(conflictStatus) && conflictStatus >= 400 && conflictStatus <= 499)) {
      throw new InvalidOptionError('conflict status', `must be a 4xx status (400–499), got ${conflictStatus}; 409 is the usual one`);
    }
    this.conflictStatus = conflictStatus;
    this.maxExamples = wholeNumber('maxExamples', options.maxExamples ?? LEDGER_DEFAULTS.maxExamples);
    this.maxTimeline = Math.max(1, wholeNumber('maxTimeline', options.maxTimeline ?? LEDGER_DEFAULTS.maxTimeline));
    const expected = wholeNumber('expectedIds', options.expectedIds ?? LEDGER_DEFAULTS.initialIds);
    this.capacity = Math.max(PAGE, Math.ceil(expected / PAGE) * PAGE);
    const n = this.capacity;
    this.keys = new Uint32Array(n * 4);
    this.sent1 = new Float32Array(n).fill(Infinity);
    this.sent2 = new Float32Array(n).fill(Infinity);
    this.ackAt = new Float32Array(n);
    this.ackStatus = new Uint8Array(n);
    this.attempts = new Uint8Array(n);
    this.conflicts = new Uint8Array(n);
    this.otherStatus = new Uint8Array(n);
    this.flags = new Uint16Array(n);
    this.index = new Int32Array(Math.max(1024, Math.ceil(expected / MAX_LOAD)));
    this.tokSlot = new Int32Array(0);
    this.tokSentAt = new Float64Array(0);
    this.tokKind = new Uint8Array(0);
    this.tokNext = new Int32Array(0);
    this.growTokens();
  }

  // ---- the hot path -------------------------------------------------------------------------------------------

  /**
   * An attempt leaves. `id` is canonical (lower case); `sentId` is the spelling sent when it differs; `sentAt` is in
   * ms since the run started (in the open model: when it was meant to be sent). Returns the token for answered().
   */
  sent(id: string, kind: LoadKind, sentAt: number, sentId?: string): number {
    if (this.closed) throw new Error('Ledger.sent() after close(): the load phase has ended');
    const slot = this.slotOf(id, true);
    const k = kind === 'duplicate' ? KIND_DUPLICATE : KIND_FIRST;
    const at = floorToFloat32(sentAt);
    const n = this.attempts[slot]!;
    if (n < SATURATED_U8) this.attempts[slot] = n + 1;
    const s1 = this.sent1[slot]!;
    let f = this.flags[slot]!;
    if (at < s1) {
      // An earlier send (out of order): sent1 moves to sent2, sent2 drops out; the first 2xx's send time follows.
      if ((f & F_ACK_S2) !== 0) this.ackSentElsewhere.set(slot, this.sent2[slot]!);
      this.sent2[slot] = s1;
      this.sent1[slot] = at;
      f = (f & ~(F_SENT1_DUP | F_SENT2_DUP | F_ACK_S1 | F_ACK_S2)) | ((f & F_SENT1_DUP) !== 0 ? F_SENT2_DUP : 0) | (k === KIND_DUPLICATE ? F_SENT1_DUP : 0) | ((f & F_ACK_S1) !== 0 ? F_ACK_S2 : 0);
      this.flags[slot] = f;
    } else if (at < this.sent2[slot]!) {
      if ((f & F_ACK_S2) !== 0) this.ackSentElsewhere.set(slot, this.sent2[slot]!);
      this.sent2[slot] = at;
      f = (f & ~(F_SENT2_DUP | F_ACK_S2)) | (k === KIND_DUPLICATE ? F_SENT2_DUP : 0);
      this.flags[slot] = f;
    }
    if (this.freeToken < 0) this.growTokens();
    const token = this.freeToken;
    this.freeToken = this.tokNext[token]!;
    this.tokSlot[token] = slot;
    this.tokSentAt[token] = sentAt;
    this.tokKind[token] = k + 1;
    this.inFlight++;
    this.counters[k * 4]!++;
    if (sentId !== undefined && sentId !== id) this.variants.set(token, sentId);
    if ((f & F_TRACED) !== 0) this.traceSent(slot, token, k, sentAt, sentId !== id ? sentId : undefined);
    return token;
  }

  /**
   * The answer of the attempt `token` arrived at `answeredAt` (ms since start): its status, or the error kind when
   * there was no answer (timeout, ECONNRESET, …). Returns the outcome (see classification.ts). After close(), a late
   * answer changes nothing and returns 'indeterminate': the attempt already counts as such.
   */
  answered(token: number, answeredAt: number, status: number | undefined, error?: string): Outcome {
    if (this.closed) return 'indeterminate';
    const kindPlusOne = this.tokKind[token];
    if (kindPlusOne === undefined || kindPlusOne === 0) throw new Error(`Ledger.answered(): token ${token} is not in flight`);
    const judgement = this.settle(this.tokSlot[token]!, kindPlusOne - 1, token, this.tokSentAt[token]!, answeredAt, status, error);
    this.releaseToken(token);
    return outcomeName(judgement);
  }

  /** End of the load phase: every attempt still in flight becomes indeterminate (error 'in-flight at end'). */
  close(endedAt: number): void {
    if (this.closed) return;
    for (let t = 0; t < this.tokKind.length; t++) {
      const kindPlusOne = this.tokKind[t]!;
      if (kindPlusOne === 0) continue;
      this.settle(this.tokSlot[t]!, kindPlusOne - 1, t, this.tokSentAt[t]!, Number.NaN, undefined, LEDGER_DEFAULTS.inFlightError);
      this.releaseToken(t);
    }
    this.endedAtMs = endedAt;
    this.closed = true;
  }

  private settle(slot: number, k: number, token: number, sentAt: number, answeredAt: number, status: number | undefined, error: string | undefined): number {
    const answer = classifyAnswer(status, this.conflictStatus);
    const f = this.flags[slot]!;
    let couldExist = false;
    if (answer === Answer.conflict) {
      // Another attempt of this ID sent by the time this answer arrived: the earliest send other than this one.
      const s1 = this.sent1[slot]!;
      const other = floorToFloat32(sentAt) === s1 ? this.sent2[slot]! : s1;
      couldExist = other <= answeredAt || (f & (F_ACK | F_INDETERMINATE)) !== 0;
    }
    const judgement = judgeLoadAnswer(answer, (f & F_ACK) !== 0, couldExist);
    const code = judgement & OUTCOME_MASK;
    this.counters[k * 4 + code + 1]!++;

    let sentId: string | undefined;
    if (this.variants.size !== 0) {
      sentId = this.variants.get(token);
      if (sentId !== undefined) this.variants.delete(token);
    }
    if ((f & F_TRACED) !== 0) this.traceAnswer(slot, token, k, sentAt, answeredAt, status, error, judgement, sentId);

    if (code === INDETERMINATE) {
      if ((f & (F_ACK | F_INDETERMINATE)) === 0) this.resolve(slot);
      this.flags[slot] = this.flags[slot]! | F_INDETERMINATE;
    } else if ((judgement & ACKNOWLEDGES) !== 0) {
      if ((f & F_ACK) === 0) {
        // Which of the two earliest sends this attempt was (a tie is sent1); any other is kept aside.
        const at = floorToFloat32(sentAt);
        const which = at === this.sent1[slot]! ? F_ACK_S1 : at === this.sent2[slot]! ? F_ACK_S2 : 0;
        if (which === 0) this.ackSentElsewhere.set(slot, at);
        this.ackAt[slot] = answeredAt;
        this.ackStatus[slot] = status! - 200;
        this.acknowledged++;
        if ((f & F_INDETERMINATE) === 0) this.resolve(slot);
        this.flags[slot] = this.flags[slot]! | F_ACK | which | (k === KIND_DUPLICATE ? F_ACK_DUP : 0);
      } else if ((judgement & BREAKS_U1) !== 0) {
        this.extraAcks++;
        if ((f & F_U1) === 0) {
          this.flags[slot] = this.flags[slot]! | F_U1;
          this.u1Ids++;
          if (this.examples.U1.length < this.maxExamples) {
            const note =
              `acknowledged twice: ${status} at ${ms(answeredAt)} ms to a ${KIND_NAMES[k]} attempt sent at ${ms(sentAt)} ms, ` +
              `after the first ${200 + this.ackStatus[slot]!} at ${ms(this.ackAt[slot]!)} ms`;
            this.addExample(this.examples.U1, BY_U1, slot, () => this.attemptOf(k, sentAt, answeredAt, status, error, judgement, sentId), note);
          }
        }
      }
    } else if ((judgement & CONFLICT) === 0) {
      this.otherStatus[slot] = codeOther(status!); // a definite wrong answer (400, 404, …): shown in U4 examples
    } else {
      this.conflictAnswers++;
      if ((judgement & BREAKS_U2) !== 0) {
        this.falseConflicts++;
        if (this.examples.U2.length < this.maxExamples) {
          const s1 = this.sent1[slot]!;
          const next = floorToFloat32(sentAt) === s1 ? this.sent2[slot]! : s1;
          const note =
            `false conflict: ${status} at ${ms(answeredAt)} ms to a ${KIND_NAMES[k]} attempt sent at ${ms(sentAt)} ms, ` +
            `but no other attempt of this ID had been sent by then` +
            (Number.isFinite(next) ? ` (the next one was sent at ${ms(next)} ms)` : ' (nor was one sent later)');
          this.addExample(this.examples.U2, BY_U2, slot, () => this.attemptOf(k, sentAt, answeredAt, status, error, judgement, sentId), note);
        }
      }
      if ((f & (F_ACK | F_INDETERMINATE)) === 0) {
        // Not (yet) traceable to a 2xx or an indeterminate attempt: U4 counts it unless one comes later.
        this.unresolvedConflicts++;
        const c = this.conflicts[slot]!;
        if (c < SATURATED_U8) this.conflicts[slot] = c + 1;
        else this.conflictOverflow.set(slot, (this.conflictOverflow.get(slot) ?? 0) + 1);
        if ((this.flags[slot]! & F_TRACED) !== 0) {
          // Traced already (before this answer, or just now as a U2 example).
          const trace = this.traces.get(slot)!;
          if ((trace.owners & BY_U4) === 0) {
            trace.owners |= BY_U4;
            this.u4Traced++;
          }
        } else if (this.u4Traced < this.maxExamples * U4_CANDIDATES_PER_EXAMPLE) {
          // Follow it, in case it stays untraceable: a U4 example with its timeline from here on.
          this.startTrace(slot, BY_U4, this.attemptOf(k, sentAt, answeredAt, status, error, judgement, sentId));
          this.u4Traced++;
        }
      }
    }
    return judgement;
  }

  /** The ID got its first 2xx or indeterminate attempt: its conflicts so far are traceable after all. */
  private resolve(slot: number): void {
    const c = this.conflicts[slot]!;
    if (c !== 0) {
      let n = c;
      if (c === SATURATED_U8) {
        n += this.conflictOverflow.get(slot) ?? 0;
        this.conflictOverflow.delete(slot);
      }
      this.unresolvedConflicts -= n;
      this.conflicts[slot] = 0;
    }
    if ((this.flags[slot]! & F_TRACED) !== 0) {
      const trace = this.traces.get(slot)!;
      if ((trace.owners & BY_U4) !== 0) {
        trace.owners &= ~BY_U4;
        this.u4Traced--;
        if (trace.owners === 0) this.untrace(slot);
      }
    }
  }

  // ---- the durability probe (U3) ------------------------------------------------------------------------------

  /** IDs answered 2xx at least once, canonical, in first-seen order: what the durability probe re-submits. */
  *acknowledgedIds(): IterableIterator<string> {
    for (let slot = 0; slot < this.size; slot++) {
      if ((this.flags[slot]! & F_ACK) !== 0) yield this.idOf(slot);
    }
  }

  /** How many IDs were acknowledged (answered 2xx at least once). */
  get acknowledgedCount(): number {
    return this.acknowledged;
  }

  /**
   * The durability probe re-submitted the acknowledged ID `id` after the load phase and expects the conflict status.
   * A 2xx makes the ID a suspect (see suspectIds()): a lost write, or a target that accepts duplicates, until
   * confirmed() decides. Throws when `id` was never acknowledged (a caller's mistake).
   */
  probed(id: string, sentAt: number, answeredAt: number, status: number | undefined, error?: string): Outcome {
    const slot = this.slotOf(id, false);
    if (slot < 0 || (this.flags[slot]! & F_ACK) === 0) {
      throw new Error(`Ledger.probed(): ${id} was never acknowledged; the durability probe re-submits acknowledged IDs only`);
    }
    const judgement = judgeProbeAnswer(classifyAnswer(status, this.conflictStatus));
    this.countProbe(judgement);
    if ((judgement & OUTCOME_MASK) !== INDETERMINATE) this.probesDecided++;
    const f = this.flags[slot]!;
    if ((f & F_PROBED) === 0) {
      this.probedIds++;
      this.flags[slot] = f | F_PROBED;
    }
    if ((judgement & SUSPECT_U3) !== 0) this.suspects.set(slot, { sentAt, answeredAt, status: status! });
    if ((f & F_TRACED) !== 0) this.mergeInto(this.traces.get(slot)!, this.attemptOf(KIND_PROBE, sentAt, answeredAt, status, error, judgement, undefined));
    return outcomeName(judgement);
  }

  /** IDs whose probe was answered 2xx and that await their confirmation (a snapshot, canonical). */
  suspectIds(): string[] {
    return [...this.suspects.keys()].map((slot) => this.idOf(slot));
  }

  /**
   * The confirmation of a suspect: its ID re-submitted once more. The conflict status confirms a lost acknowledged
   * write (U3: the probe re-created the lost profile); another 2xx shows a target that accepts duplicates (the ID
   * counts under U1, acknowledged three times, and U3 is undecidable for it); anything else leaves U3 undecidable.
   * Throws when `id` is not a suspect.
   */
  confirmed(id: string, sentAt: number, answeredAt: number, status: number | undefined, error?: string): Outcome {
    const slot = this.slotOf(id, false);
    const probe = slot < 0 ? undefined : this.suspects.get(slot);
    if (probe === undefined) throw new Error(`Ledger.confirmed(): ${id} is not a suspect; only IDs whose probe was answered 2xx are confirmed`);
    this.suspects.delete(slot);
    const judgement = judgeConfirmationAnswer(classifyAnswer(status, this.conflictStatus));
    this.countProbe(judgement);
    const f = this.flags[slot]!;
    const confirmation = this.attemptOf(KIND_PROBE, sentAt, answeredAt, status, error, judgement, undefined);
    if ((f & F_TRACED) !== 0) this.mergeInto(this.traces.get(slot)!, confirmation);
    const probeAttempt = (): Attempt => this.attemptOf(KIND_PROBE, probe.sentAt, probe.answeredAt, probe.status, undefined, FAIL_SUSPECT, undefined);
    const first = `the first ${200 + this.ackStatus[slot]!} at ${ms(this.ackAt[slot]!)} ms`;
    const probeWas = `the durability probe was answered ${probe.status} at ${ms(probe.answeredAt)} ms`;
    if ((judgement & BREAKS_U3) !== 0) {
      this.lostWrites++;
      this.flags[slot] = this.flags[slot]! | F_LOST;
      const note = `lost acknowledged write, confirmed: ${first}, yet ${probeWas} (it re-created the profile) and its confirmation ${status} at ${ms(answeredAt)} ms`;
      this.exampleWithConfirmation(this.examples.U3, BY_U3, slot, f, probeAttempt, confirmation, note);
    } else if ((judgement & ACKNOWLEDGES) !== 0) {
      this.duplicatesAccepted++;
      this.extraAcks += 2;
      if ((f & F_U1) === 0) {
        this.flags[slot] = this.flags[slot]! | F_U1;
        this.u1Ids++;
        const note = `acknowledged three times: ${first}, then ${probeWas} and its confirmation ${status} at ${ms(answeredAt)} ms: the target accepts duplicates (U3 undecidable for this ID)`;
        this.exampleWithConfirmation(this.examples.U1, BY_U1, slot, f, probeAttempt, confirmation, note);
      }
    } else {
      this.unconfirmed++;
    }
    return outcomeName(judgement);
  }

  /** An example whose timeline shows both probe answers: the probe's 2xx and its confirmation. */
  private exampleWithConfirmation(list: Example[], owner: number, slot: number, flagsBefore: number, probe: () => Attempt, confirmation: Attempt, note: string): void {
    if (list.length >= this.maxExamples) return;
    const traced = (flagsBefore & F_TRACED) !== 0;
    this.addExample(list, owner, slot, probe, note);
    // Traced before: both answers are in its timeline already. Otherwise the timeline began with the probe's answer.
    if (!traced && this.traces.has(slot)) this.mergeInto(this.traces.get(slot)!, confirmation);
  }

  private countProbe(judgement: number): void {
    this.counters[KIND_PROBE * 4]!++;
    this.counters[KIND_PROBE * 4 + (judgement & OUTCOME_MASK) + 1]!++;
  }

  /** The durability probe's section of the result document. */
  probeSummary(detects?: { lossRate: number; confidence: number }): DurabilityProbe {
    const summary: DurabilityProbe = {
      mode: this.probedIds >= this.acknowledged ? 'all' : 'sample',
      acknowledged: this.acknowledged,
      probed: this.probedIds,
      outcomes: this.countsOf(KIND_PROBE),
      lostWrites: this.lostWrites,
    };
    if (detects !== undefined && summary.mode === 'sample') summary.detects = { ...detects };
    return summary;
  }

  // ---- results ------------------------------------------------------------------------------------------------

  /** Outcome counts. After close(), sent = ok + fail + indeterminate in every row. */
  counts(): LedgerCounts {
    const first = this.countsOf(KIND_FIRST);
    const duplicate = this.countsOf(KIND_DUPLICATE);
    const probe = this.countsOf(KIND_PROBE);
    const load = sum(first, duplicate);
    const byKind: LedgerCounts['byKind'] = { first, duplicate };
    if (probe.sent > 0) byKind.probe = probe;
    return { total: sum(load, probe), load, byKind, inFlight: this.inFlight };
  }

  /** U1, U2, U3, U4 in that order. Call after close() (before it, attempts in flight may still resolve U4). */
  invariants(probe?: ProbeInfo): InvariantResult[] {
    const cs = this.conflictStatus;
    let ackedAndIndeterminate = 0;
    let u4Ids = 0;
    for (let slot = 0; slot < this.size; slot++) {
      const f = this.flags[slot]!;
      if ((f & (F_ACK | F_INDETERMINATE)) === (F_ACK | F_INDETERMINATE)) ackedAndIndeterminate++;
      if (this.conflicts[slot]! !== 0) u4Ids++;
    }
    const provisional =
      !this.closed && this.inFlight > 0 ? ` Provisional: ${this.inFlight} attempt(s) were still in flight (close() not called yet).` : '';

    const u1: InvariantResult = {
      id: 'U1',
      title: 'uniqueness',
      verdict: this.u1Ids > 0 ? 'fail' : 'pass',
      checked: this.size,
      violations: this.u1Ids,
      examples: this.examples.U1.map((e) => this.example(e)),
      detail:
        `Each answer was checked per ID as it arrived: a 2xx after the ID's first 2xx is a second acknowledged creation. ` +
        `${this.size} IDs, ${this.acknowledged} acknowledged; ${this.extraAcks} extra 2xx answer(s) on ${this.u1Ids} ID(s).` +
        (this.duplicatesAccepted > 0
          ? ` ${this.duplicatesAccepted} of those ID(s) were acknowledged again by the durability probe and once more by its confirmation: the target accepts duplicates.`
          : '') +
        (ackedAndIndeterminate > 0
          ? ` ${ackedAndIndeterminate} acknowledged ID(s) also had an indeterminate attempt, which could hide a further creation.`
          : '') +
        provisional,
    };

    const u2: InvariantResult = {
      id: 'U2',
      title: 'no false conflict',
      verdict: this.falseConflicts > 0 ? 'fail' : 'pass',
      checked: this.conflictAnswers,
      violations: this.falseConflicts,
      examples: this.examples.U2.map((e) => this.example(e)),
      detail:
        `Each ${cs} answer was checked as it arrived: it is false when no other attempt of its ID had been sent by then ` +
        `(any attempt sent before the answer, concurrent ones included, could have created the ID). ` +
        `${this.conflictAnswers} conflict answer(s) checked, ${this.falseConflicts} false.`,
    };

    const probes = this.countsOf(KIND_PROBE);
    const ran = (probe?.ran ?? false) || probes.sent > 0;
    // Suspects not confirmed as lost: the target accepts duplicates, the confirmation was indeterminate, or not sent.
    const undecided = this.duplicatesAccepted + this.unconfirmed + this.suspects.size;
    const decided = this.probesDecided - undecided;
    let u3Verdict: Verdict;
    let u3Detail: string;
    if (!ran) {
      u3Verdict = 'unknown';
      u3Detail = 'no durability probe ran';
    } else {
      const sampled =
        this.probedIds < this.acknowledged
          ? ` (a random sample${probe?.detects ? `, sized to detect a loss rate of ${probe.detects.lossRate} with ${probe.detects.confidence} confidence` : ''})`
          : '';
      const suspects = this.lostWrites + undecided;
      u3Detail =
        `After the load phase, ${this.probedIds} of ${this.acknowledged} acknowledged ID(s) were re-submitted${sampled}, expecting ${cs}; ` +
        `each answered 2xx was re-submitted once more to confirm. ${suspects} answered 2xx: ${this.lostWrites} lost acknowledged write(s) confirmed (a conflict to the confirmation)` +
        (this.duplicatesAccepted > 0 ? `, ${this.duplicatesAccepted} undecidable: the target accepts duplicates (2xx again; see U1)` : '') +
        (this.unconfirmed + this.suspects.size > 0 ? `, ${this.unconfirmed + this.suspects.size} undecidable: the confirmation was indeterminate, another answer, or not sent` : '') +
        `. ${probes.indeterminate} indeterminate probe answer(s).`;
      if (this.lostWrites > 0) u3Verdict = 'fail';
      else if (probes.sent === 0) {
        u3Verdict = 'unknown';
        u3Detail = 'the durability probe ran but re-submitted no ID (nothing was acknowledged)';
      } else if (this.probesDecided === 0) {
        u3Verdict = 'unknown';
        u3Detail += ' Every probe was indeterminate.';
      } else if (undecided > 0) {
        u3Verdict = 'unknown';
      } else u3Verdict = 'pass';
    }
    const u3: InvariantResult = {
      id: 'U3',
      title: 'durability',
      verdict: u3Verdict,
      checked: Math.max(0, decided),
      violations: this.lostWrites,
      examples: this.examples.U3.map((e) => this.example(e)),
      detail: u3Detail,
    };

    const u4: InvariantResult = {
      id: 'U4',
      title: 'traceable conflicts',
      verdict: this.unresolvedConflicts > 0 ? 'fail' : 'pass',
      checked: this.conflictAnswers,
      violations: this.unresolvedConflicts,
      examples: this.u4Examples(),
      detail:
        `At the end of the run, each ${cs} answer's ID must have had at least one 2xx or indeterminate attempt ` +
        `(attempts in flight at the end count as indeterminate). ${this.conflictAnswers} conflict answer(s) checked; ` +
        `${this.unresolvedConflicts} on ${u4Ids} ID(s) are not traceable.` +
        provisional,
    };
    return [u1, u2, u3, u4];
  }

  /** IDs recorded so far. */
  get ids(): number {
    return this.size;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** When close() ended the load phase (ms since start), if it did. */
  get endedAt(): number | undefined {
    return this.endedAtMs;
  }

  /** Bytes held by the per-ID tables, the hash index and the in-flight table (fallback IDs and side maps estimated). */
  memoryBytes(): number {
    const arrays: Typed[] = [
      this.keys, this.sent1, this.sent2, this.ackAt, this.ackStatus, this.attempts,
      this.conflicts, this.otherStatus, this.flags, this.index, this.tokSlot, this.tokSentAt, this.tokKind, this.tokNext,
    ];
    let bytes = 0;
    for (const a of arrays) bytes += a.byteLength;
    return bytes + this.fallback.size * FALLBACK_ENTRY_BYTES + (this.ackSentElsewhere.size + this.conflictOverflow.size) * MAP_ENTRY_BYTES;
  }

  // ---- per-ID table ---------------------------------------------------------------------------------------------

  /** The slot of `id`; with `insert`, a new one when absent, else -1. */
  private slotOf(id: string, insert: boolean): number {
    if (!parseUuid(id, KEY)) return this.fallbackSlot(id, insert);
    const a = KEY[0]!;
    const b = KEY[1]!;
    const c = KEY[2]!;
    const d = KEY[3]!;
    const index = this.index;
    const keys = this.keys;
    const buckets = index.length;
    let i = bucketOf(hashKey(a, b, c, d), buckets);
    for (;;) {
      const entry = index[i]!;
      if (entry === 0) break;
      const base = (entry - 1) * 4;
      if (keys[base] === a && keys[base + 1] === b && keys[base + 2] === c && keys[base + 3] === d) return entry - 1;
      i = i + 1 === buckets ? 0 : i + 1;
    }
    if (!insert) return -1;
    const slot = this.newSlot();
    const base = slot * 4;
    this.keys[base] = a;
    this.keys[base + 1] = b;
    this.keys[base + 2] = c;
    this.keys[base + 3] = d;
    index[i] = slot + 1;
    if (this.size > index.length * MAX_LOAD) this.growIndex();
    return slot;
  }

  private fallbackSlot(id: string, insert: boolean): number {
    const canonical = canonicalId(id);
    const known = this.fallback.get(canonical);
    if (known !== undefined) return known;
    if (!insert) return -1;
    const slot = this.newSlot();
    this.flags[slot] = F_FALLBACK;
    this.fallback.set(canonical, slot);
    this.fallbackIds.set(slot, canonical);
    return slot;
  }

  private newSlot(): number {
    if (this.size === this.capacity) this.growTables();
    return this.size++;
  }

  /** Grow every per-ID table by half (in whole pages): at most 1.5× slack, unlike doubling's 2×. */
  private growTables(): void {
    const old = this.capacity;
    const n = Math.max(old + PAGE, Math.ceil((old * 1.5) / PAGE) * PAGE);
    this.keys = resized(this.keys, n * 4);
    this.sent1 = resized(this.sent1, n);
    this.sent1.fill(Infinity, old);
    this.sent2 = resized(this.sent2, n);
    this.sent2.fill(Infinity, old);
    this.ackAt = resized(this.ackAt, n);
    this.ackStatus = resized(this.ackStatus, n);
    this.attempts = resized(this.attempts, n);
    this.conflicts = resized(this.conflicts, n);
    this.otherStatus = resized(this.otherStatus, n);
    this.flags = resized(this.flags, n);
    this.capacity = n;
  }

  private growIndex(): void {
    const buckets = Math.ceil(this.index.length * INDEX_GROWTH);
    const index = new Int32Array(buckets);
    const keys = this.keys;
    for (let slot = 0; slot < this.size; slot++) {
      if ((this.flags[slot]! & F_FALLBACK) !== 0) continue;
      const base = slot * 4;
      let i = bucketOf(hashKey(keys[base]!, keys[base + 1]!, keys[base + 2]!, keys[base + 3]!), buckets);
      while (index[i] !== 0) i = i + 1 === buckets ? 0 : i + 1;
      index[i] = slot + 1;
    }
    this.index = index;
  }

  /** The send time of the attempt that got the ID's first 2xx. */
  private ackSentOf(slot: number, f: number): number {
    if ((f & F_ACK_S1) !== 0) return this.sent1[slot]!;
    if ((f & F_ACK_S2) !== 0) return this.sent2[slot]!;
    return this.ackSentElsewhere.get(slot) ?? this.sent1[slot]!;
  }

  private idOf(slot: number): string {
    if ((this.flags[slot]! & F_FALLBACK) !== 0) return this.fallbackIds.get(slot)!;
    const base = slot * 4;
    return formatUuid(this.keys[base]!, this.keys[base + 1]!, this.keys[base + 2]!, this.keys[base + 3]!);
  }

  private growTokens(): void {
    const old = this.tokKind.length;
    const n = old === 0 ? INITIAL_TOKENS : old * 2;
    this.tokSlot = resized(this.tokSlot, n);
    this.tokSentAt = resized(this.tokSentAt, n);
    this.tokKind = resized(this.tokKind, n);
    this.tokNext = resized(this.tokNext, n);
    for (let t = n - 1; t >= old; t--) {
      this.tokNext[t] = this.freeToken;
      this.freeToken = t;
    }
  }

  private releaseToken(token: number): void {
    this.tokKind[token] = 0;
    this.tokNext[token] = this.freeToken;
    this.freeToken = token;
    this.inFlight--;
  }

  private countsOf(k: number): OutcomeCounts {
    const c = this.counters;
    return { sent: c[k * 4]!, ok: c[k * 4 + 1]!, fail: c[k * 4 + 2]!, indeterminate: c[k * 4 + 3]! };
  }

  // ---- examples and their timelines -----------------------------------------------------------------------------

  private attemptOf(k: number, sentAt: number, answeredAt: number, status: number | undefined, error: string | undefined, judgement: number, sentId: string | undefined): Attempt {
    const attempt: Attempt = { kind: KIND_NAMES[k]!, sentAt };
    if (!Number.isNaN(answeredAt)) attempt.answeredAt = answeredAt;
    if (status !== undefined && status > 0) {
      if (Number.isInteger(status) && status >= 100 && status <= 599) attempt.status = status;
      else attempt.error = `invalid status ${status}`;
    }
    if (error !== undefined) attempt.error = error;
    else if (attempt.status === undefined && attempt.error === undefined) attempt.error = 'no answer';
    attempt.outcome = outcomeName(judgement);
    if (sentId !== undefined) attempt.sentId = sentId;
    return attempt;
  }

  private addExample(list: Example[], owner: number, slot: number, attempt: () => Attempt, note: string): void {
    if (list.length >= this.maxExamples) return;
    const trace = this.traces.get(slot);
    if (trace !== undefined) {
      if ((trace.owners & owner) !== 0) return;
      trace.owners |= owner; // its attempt was recorded by traceAnswer() / probed()
    } else {
      this.startTrace(slot, owner, attempt());
    }
    list.push({ slot, note });
  }

  /** What the per-ID fields know: the two earliest sends and the first 2xx. */
  private snapshot(slot: number): Trace {
    const f = this.flags[slot]!;
    const trace: Trace = { slot, attempts: [], omitted: 0, owners: 0 };
    const s1 = this.sent1[slot]!;
    const s2 = this.sent2[slot]!;
    if (Number.isFinite(s1)) trace.attempts.push({ kind: (f & F_SENT1_DUP) !== 0 ? 'duplicate' : 'first', sentAt: s1 });
    if (Number.isFinite(s2)) trace.attempts.push({ kind: (f & F_SENT2_DUP) !== 0 ? 'duplicate' : 'first', sentAt: s2 });
    if ((f & F_ACK) !== 0) {
      const status = 200 + this.ackStatus[slot]!;
      this.mergeInto(trace, {
        kind: (f & F_ACK_DUP) !== 0 ? 'duplicate' : 'first',
        sentAt: this.ackSentOf(slot, f),
        answeredAt: this.ackAt[slot]!,
        status,
        outcome: status === 201 ? 'ok' : 'fail',
      });
    }
    return trace;
  }

  private startTrace(slot: number, owner: number, attempt: Attempt): void {
    const trace = this.snapshot(slot);
    trace.owners = owner;
    this.mergeInto(trace, attempt);
    this.traces.set(slot, trace);
    this.flags[slot] = this.flags[slot]! | F_TRACED;
  }

  private untrace(slot: number): void {
    this.traces.delete(slot);
    this.flags[slot] = this.flags[slot]! & ~F_TRACED;
    for (const [token, traced] of this.tracedTokens) if (traced.slot === slot) this.tracedTokens.delete(token);
  }

  private traceSent(slot: number, token: number, k: number, sentAt: number, sentId: string | undefined): void {
    const trace = this.traces.get(slot)!;
    if (trace.attempts.length >= this.maxTimeline) {
      trace.omitted++;
      this.tracedTokens.set(token, { slot, attempt: null }); // so that its answer is not counted again
      return;
    }
    const attempt: Attempt = { kind: KIND_NAMES[k]!, sentAt };
    if (sentId !== undefined) attempt.sentId = sentId;
    trace.attempts.push(attempt);
    this.tracedTokens.set(token, { slot, attempt });
  }

  private traceAnswer(slot: number, token: number, k: number, sentAt: number, answeredAt: number, status: number | undefined, error: string | undefined, judgement: number, sentId: string | undefined): void {
    const known = this.tracedTokens.get(token);
    if (known !== undefined) this.tracedTokens.delete(token);
    if (known?.attempt === null) return; // left out of the full timeline (and counted) when sent
    const answeredAttempt = this.attemptOf(k, sentAt, answeredAt, status, error, judgement, sentId);
    if (known !== undefined) {
      Object.assign(known.attempt, answeredAttempt);
      return;
    }
    // Sent before tracing started: fill in its entry from the per-ID fields, if it has one.
    this.mergeInto(this.traces.get(slot)!, answeredAttempt);
  }

  /** Fill the unanswered entry this attempt is (same kind, same send time), or append it. */
  private mergeInto(trace: Trace, attempt: Attempt): void {
    for (const entry of trace.attempts) {
      if (entry.outcome === undefined && entry.kind === attempt.kind && sameTime(entry.sentAt, attempt.sentAt)) {
        Object.assign(entry, attempt);
        return;
      }
    }
    if (trace.attempts.length < this.maxTimeline) trace.attempts.push(attempt);
    else trace.omitted++;
  }

  private example(e: Example): InvariantExample {
    const trace = this.traces.get(e.slot) ?? this.snapshot(e.slot);
    return {
      id: this.idOf(e.slot),
      timeline: timelineOf(trace),
      note: e.note + (trace.omitted > 0 ? ` (${trace.omitted} further attempt(s) not shown)` : ''),
    };
  }

  private u4Examples(): InvariantExample[] {
    const chosen: number[] = [];
    for (const [slot, trace] of this.traces) {
      if (chosen.length >= this.maxExamples) break;
      if ((trace.owners & BY_U4) !== 0 && this.conflicts[slot]! !== 0) chosen.push(slot);
    }
    // Untraceable IDs found only now (tracing was full): their timeline is what the per-ID fields know.
    for (let slot = 0; slot < this.size && chosen.length < this.maxExamples && chosen.length < this.unresolvedConflicts; slot++) {
      if (this.conflicts[slot]! !== 0 && !chosen.includes(slot)) chosen.push(slot);
    }
    return chosen.map((slot) => {
      const n = this.conflicts[slot]! + (this.conflictOverflow.get(slot) ?? 0);
      const other = otherOf(this.otherStatus[slot]!);
      const note =
        `untraceable conflict: ${n} ${this.conflictStatus} answer(s), yet no attempt of this ID was answered 2xx or ` +
        `was indeterminate (${this.attempts[slot]!}${this.attempts[slot]! === SATURATED_U8 ? '+' : ''} attempt(s) in all` +
        (other !== undefined ? `; the latest other answer was ${other})` : ')');
      return this.example({ slot, note });
    });
  }
}

/** The bucket of a 32-bit hash in an index of any size: (hash × buckets) / 2^32, Lemire's fastrange (no power of two needed). */
function bucketOf(hash: number, buckets: number): number {
  return Math.floor(((hash >>> 0) * buckets) / 4_294_967_296);
}

/**
 * A status that is neither 2xx, the conflict status nor indeterminate, in one byte: 400–499 → 1–100, 300–399 →
 * 101–200, 100–153 → 201–254, any other → 255; 0 is none. Only U4's notes show it.
 */
function codeOther(status: number): number {
  if (status >= 400 && status <= 499) return status - 399;
  if (status >= 300 && status <= 399) return status - 199;
  if (status >= 100 && status <= 153) return status + 101;
  return 255;
}

function otherOf(code: number): string | undefined {
  if (code === 0) return undefined;
  if (code <= 100) return String(code + 399);
  if (code <= 200) return String(code + 199);
  if (code <= 254) return String(code - 101);
  return 'another status';
}

function timelineOf(trace: Trace): Attempt[] {
  return trace.attempts
    .map((a) => {
      const copy: Attempt = { ...a, sentAt: ms(a.sentAt) };
      if (a.answeredAt !== undefined) copy.answeredAt = ms(a.answeredAt);
      return copy;
    })
    .sort((x, y) => x.sentAt - y.sentAt);
}

function sum(a: OutcomeCounts, b: OutcomeCounts): OutcomeCounts {
  return { sent: a.sent + b.sent, ok: a.ok + b.ok, fail: a.fail + b.fail, indeterminate: a.indeterminate + b.indeterminate };
}

function wholeNumber(name: string, value: number): number {
  if (!(Number.isInteger(value) && value >= 0)) throw new InvalidOptionError(name, `must be a whole number ≥ 0, got ${value}`);
  return value;
}
