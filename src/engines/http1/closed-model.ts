// The closed-model load engine on stampede's own HTTP/1.1 client (the default): N connections kept busy, every request
// and answer to the ledger; a connection the server closes is replaced and costs no outcome.

import type { EngineResult, LoadEngineOptions, LoadItem } from '../load-item.ts';
import { LoopLag } from '../loop-lag.ts';
import { Http1Client } from './client.ts';
import type { Exchange } from './connection.ts';
import type { ParsedResponse } from './response-parser.ts';
import { PostRequestBytes } from './request-bytes.ts';

export interface Http1ClosedModelOptions extends LoadEngineOptions {
  /** Requests in flight at once, each on its own connection. */
  connections: number;
}

export interface Http1EngineResult extends EngineResult {
  unsentByError: Record<string, number>;
  /** Connections opened in all (more than --connections when the server closes connections). */
  connectionsOpened: number;
}

/**
 * One slot per connection, each an Exchange reused request after request (no allocation per request but the bytes):
 * take the next item, write it, judge its answer, take the next. Issuing stops at the duration or request count; the
 * requests in flight then get `drainMs` to answer, and those still unanswered become indeterminate.
 */
export function runHttp1ClosedModel(options: Http1ClosedModelOptions): Promise<Http1EngineResult> {
  const { sink, stats, clock } = options;
  const limit = options.requests ?? Number.POSITIVE_INFINITY;
  const client = new Http1Client({ url: options.url, connections: options.connections, timeoutMs: options.timeoutMs, ...(options.insecure ? { insecure: true } : {}) });
  const bytes = new PostRequestBytes(options.url, options.headers);
  const unsent = new Map<string, number>();
  const loopLag = new LoopLag(clock).start();
  let issued = 0;
  let busy = 0;
  let stopping = false;
  let finished = false;

  return new Promise<Http1EngineResult>((resolve, reject) => {
    let drainTimer: NodeJS.Timeout | undefined;
    const slots: Slot[] = [];

    class Slot implements Exchange {
      bytes: Buffer = Buffer.alloc(0);
      /** This slot's request buffer, reused request after request. */
      scratch: Buffer | undefined;
      writtenAt = 0;
      item: LoadItem | undefined;
      token = -1;
      sentAt = 0; // ms since start
      /** The event loop's delay when this request left. */
      lagMs = 0; // ms
      inFlight = false;

      issue(): void {
        if (stopping || finished || issued >= limit) return;
        let item: LoadItem | undefined;
        try {
          item = options.next();
        } catch (error) {
          // A throwing item source is a bug of the caller: end the run instead of hanging it.
          fail(error);
          return;
        }
        if (item === undefined) {
          // Exhausted: no more to send, as when the duration ends.
          queueMicrotask(stopIssuing);
          return;
        }
        issued++;
        if (issued >= limit) queueMicrotask(stopIssuing);
        this.item = item;
        // The previous request of this slot is over (answered, or its connection destroyed): its buffer is free again.
        this.bytes = bytes.buildInto(item.body, this.scratch);
        if (this.scratch === undefined || this.bytes.buffer !== this.scratch.buffer) this.scratch = Buffer.allocUnsafeSlow(Math.max(4096, this.bytes.length * 2));
        this.token = -1;
        this.inFlight = true;
        busy++;
        client.request(this);
      }

      onWritten(): void {
        const item = this.item!;
        this.sentAt = clock();
        this.lagMs = loopLag.read(this.sentAt);
        this.token = sink.sent(item.canonicalId, item.kind, this.sentAt, item.sentId);
        stats.sent(this.sentAt);
      }

      onResponse(response: ParsedResponse): void {
        this.settle(response.status, undefined);
      }

      onError(kind: string, partialStatus: number | undefined, written: boolean): void {
        if (!written) {
          // Never on the wire: no attempt, no outcome; the ID was not sent.
          unsent.set(kind, (unsent.get(kind) ?? 0) + 1);
          this.done();
          return;
        }
        // An answer cut after its status line still says what the target did.
        if (partialStatus !== undefined) this.settle(partialStatus, undefined);
        else this.settle(undefined, kind);
      }

      settle(status: number | undefined, error: string | undefined): void {
        if (!this.inFlight || finished) return;
        const now = clock();
        const outcome = sink.answered(this.token, now, status, error);
        stats.answered(outcome, now - this.sentAt, now, status, error, { lagMs: this.lagMs, serviceMs: now - this.sentAt });
        this.done();
      }

      done(): void {
        if (!this.inFlight) return;
        this.inFlight = false;
        this.bytes = EMPTY;
        this.item = undefined;
        busy--;
        if (!stopping) this.issue();
        else if (busy === 0) finish();
      }
    }

    const stopIssuing = () => {
      if (stopping) return;
      stopping = true;
      if (busy === 0) return finish();
      const drainMs = options.signal?.aborted ? Math.min(options.drainMs, options.abortDrainMs ?? options.drainMs) : options.drainMs;
      drainTimer = setTimeout(finish, drainMs);
    };

    const onAbort = () => {
      if (!stopping) return stopIssuing();
      // Already draining: cut the drain short.
      if (options.abortDrainMs !== undefined && drainTimer !== undefined) {
        clearTimeout(drainTimer);
        drainTimer = setTimeout(finish, options.abortDrainMs);
      }
    };

    const durationTimer = options.durationMs === undefined ? undefined : setTimeout(stopIssuing, options.durationMs);

    function cleanUp(): void {
      finished = true;
      loopLag.stop();
      if (durationTimer) clearTimeout(durationTimer);
      if (drainTimer) clearTimeout(drainTimer);
      options.signal?.removeEventListener('abort', onAbort);
      client.close();
    }

    function finish(): void {
      if (finished) return;
      // Answers that did not come within the drain: indeterminate, with the time waited as their latency. A request
      // still waiting for a connection never left: it has no outcome.
      const now = clock();
      let abandoned = 0;
      for (const slot of slots) {
        if (!slot.inFlight) continue;
        slot.inFlight = false;
        if (slot.token < 0) continue;
        abandoned++;
        const outcome = sink.answered(slot.token, now, undefined, 'in-flight at end');
        stats.answered(outcome, now - slot.sentAt, now, undefined, 'in-flight at end', { lagMs: slot.lagMs, serviceMs: now - slot.sentAt });
      }
      cleanUp();
      resolve({ abandoned, interrupted: options.signal?.aborted ?? false, unsentByError: Object.fromEntries(unsent), connectionsOpened: client.connectionsOpened });
    }

    function fail(error: unknown): void {
      if (finished) return;
      cleanUp();
      reject(error);
    }

    if (options.signal?.aborted) {
      cleanUp();
      return resolve({ abandoned: 0, interrupted: true, unsentByError: {}, connectionsOpened: 0 });
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
    for (let i = 0; i < options.connections; i++) slots.push(new Slot());
    for (const slot of slots) slot.issue();
    if (busy === 0) stopIssuing();
  });
}

const EMPTY = Buffer.alloc(0);
