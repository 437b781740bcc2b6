// The closed-model load engine: autocannon keeps N connections busy; every request and answer goes to the ledger.

import type { EventEmitter } from 'node:events';
import autocannon from 'autocannon';
import type { EngineResult, LoadEngineOptions } from '../load-item.ts';
import { LoopLag } from '../loop-lag.ts';

export interface ClosedModelOptions extends LoadEngineOptions {
  /** Busy connections, each with one request in flight. autocannon never verifies certificates (`insecure` is moot);
   * the reachability check before the run does. */
  connections: number;
}

/** autocannon's backstop duration must fit a 32-bit timer (about 24.8 days). */
const MAX_BACKSTOP_S = 2_000_000; // s

/** The parts of autocannon's per-connection client (lib/httpClient.js) the engine relies on; not in its typings. */
interface InternalClient extends EventEmitter {
  destroy(): void;
  reqsMade: number;
  requestIterator: { context: { pending?: Pending } };
}

interface Pending {
  token: number;
  sentAt: number; // ms since start
  /** The event loop's delay when it was built (the send follows at once). */
  lagMs: number; // ms
}

/**
 * autocannon gives each request a fresh context object, passed to setupRequest and, with the answer, to onResponse:
 * the pending attempt lives there. A request that dies instead (timeout, reset, the server closing) is noticed on the
 * client's next 'request' event, while its context is still the current one.
 */
export function runClosedModel(options: ClosedModelOptions): Promise<EngineResult> {
  const { sink, stats, clock, timeoutMs } = options;
  const limit = options.requests ?? Number.POSITIVE_INFINITY;
  let issued = 0;
  let stopping = false;
  const pendingByClient = new Map<InternalClient, () => Pending | undefined>();
  // Clients whose last answer said the connection closes (Connection: close, HTTP/1.0): autocannon still writes its next
  // request on that connection, where the server never reads it; that build is not an attempt (see 'request' below).
  const closing = new Set<InternalClient>();
  let skipNextBuild = false;
  const lastError = new Map<InternalClient, string>();
  const clients: InternalClient[] = [];

  const loopLag = new LoopLag(clock).start();
  const settle = (pending: Pending, status: number | undefined, error?: string) => {
    const now = clock();
    const outcome = sink.answered(pending.token, now, status, error);
    stats.answered(outcome, now - pending.sentAt, now, status, error, { lagMs: pending.lagMs, serviceMs: now - pending.sentAt });
  };

  return new Promise<EngineResult>((resolve) => {
    let drainTimer: NodeJS.Timeout | undefined;
    let finished = false;
    const stopIssuing = () => {
      if (stopping) return;
      stopping = true;
      // Clients with nothing in flight can go now; the others go after their answer (onResponse).
      for (const client of clients) if (!pendingByClient.get(client)?.()) client.destroy();
      const drainMs = options.signal?.aborted ? Math.min(options.drainMs, options.abortDrainMs ?? options.drainMs) : options.drainMs;
      drainTimer = setTimeout(() => instance.stop(), drainMs);
    };
    const durationTimer = options.durationMs === undefined ? undefined : setTimeout(stopIssuing, options.durationMs);
    const onAbort = () => stopIssuing();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        // autocannon's own clock would cut answers in flight: it only gets a backstop, the engine decides when to stop.
        duration: Math.min(MAX_BACKSTOP_S, Math.ceil(((options.durationMs ?? MAX_BACKSTOP_S * 1000) + options.drainMs) / 1000) + 5),
        timeout: Math.max(1, Math.ceil(timeoutMs / 1000)),
        headers: { ...options.headers, 'content-type': 'application/json' },
        requests: [
          {
            method: 'POST',
            path: '/user-profiles',
            setupRequest: (request, context) => {
              const c = context as { pending?: Pending };
              if (stopping || issued >= limit) return request; // a destroyed client's last build: never sent
              if (skipNextBuild) {
                // Written on a connection the server is closing: never read, so no attempt; autocannon reconnects and
                // builds the real next request.
                skipNextBuild = false;
                return request;
              }
              const item = options.next();
              if (item === undefined) {
                // Exhausted (only a worker's share runs out before --requests, and --workers takes the http1 engine):
                // stop as at the limit.
                queueMicrotask(stopIssuing);
                return request;
              }
              issued++;
              const sentAt = clock();
              c.pending = { token: sink.sent(item.canonicalId, item.kind, sentAt, item.sentId), sentAt, lagMs: loopLag.read(sentAt) };
              stats.sent(sentAt);
              if (issued >= limit) queueMicrotask(stopIssuing);
              return { ...request, body: item.body };
            },
            onResponse: (status, _body, context) => {
              const c = context as { pending?: Pending };
              if (c.pending) {
                settle(c.pending, status);
                c.pending = undefined;
              }
            },
          },
        ],
        setupClient: (publicClient) => {
          const client = publicClient as unknown as InternalClient;
          clients.push(client);
          const iterator = client.requestIterator;
          pendingByClient.set(client, () => iterator.context.pending);
          client.on('connError', (error: NodeJS.ErrnoException) => lastError.set(client, error.code ?? error.message));
          client.on('headers', (info: { shouldKeepAlive?: boolean }) => {
            if (info.shouldKeepAlive === false) closing.add(client);
          });
          // Emitted before the next request is built: a pending attempt here never got its answer.
          client.on('request', () => {
            // Issuing has stopped (e.g. this client reconnects after a timeout): leave before anything is written.
            if (stopping) client.destroy();
            // The request about to be built goes on a connection the server announced it closes (setupRequest skips it).
            if (closing.delete(client)) skipNextBuild = true;
            const context = iterator.context;
            const pending = context.pending;
            if (pending === undefined || client.reqsMade === 0) return;
            const elapsed = clock() - pending.sentAt;
            const error = lastError.get(client) ?? (elapsed >= timeoutMs * 0.95 ? 'timeout' : 'connection closed');
            lastError.delete(client);
            context.pending = undefined;
            settle(pending, undefined, error);
          });
          // After an answer, a client leaves once issuing has stopped (before building another request).
          client.on('response', () => {
            if (stopping || issued >= limit) client.destroy();
          });
        },
      },
      () => {
        if (finished) return;
        finished = true;
        loopLag.stop();
        if (durationTimer) clearTimeout(durationTimer);
        if (drainTimer) clearTimeout(drainTimer);
        options.signal?.removeEventListener('abort', onAbort);
        // Answers that did not come within the drain: indeterminate, with the time waited as their latency.
        let abandoned = 0;
        for (const pendingOf of pendingByClient.values()) {
          const pending = pendingOf();
          if (pending === undefined) continue;
          abandoned++;
          settle(pending, undefined, 'in-flight at end');
        }
        resolve({ abandoned, interrupted: options.signal?.aborted ?? false });
      },
    );
  });
}
