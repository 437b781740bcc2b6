// The reference service's request handler: routing, body limits, validation and atomic registration.

import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { canonicalId } from '../contract/canonical-id.ts';
import { isJsonContentType } from '../contract/media-type.ts';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES, problemJson, type ProblemKind } from '../contract/problems.ts';
import { isValidUserProfile, userProfileViolations } from '../contract/validators.ts';
import type { FaultInjector } from './faults.ts';
import type { StatsCounter } from './stats.ts';
import type { ProfileStore } from './store.ts';

export interface HandlerContext {
  store: ProfileStore;
  stats: StatsCounter;
  faults: FaultInjector;
  maxBodyBytes: number; // bytes
  lingerMs: number; // ms
  keepPayloads: boolean;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse, expectsContinue?: boolean) => void;

const ROUTE = '/user-profiles';
const CREATED_HEADERS = { 'content-length': '0' };
const HEALTH_BODY = '{"status":"ok"}';

export function createRequestHandler(ctx: HandlerContext): RequestHandler {
  const { stats, store, faults, maxBodyBytes } = ctx;
  const createdStatus = faults.plan.wrongStatus ?? 201;
  const validate = !faults.plan.noValidation;
  // Decided once: with no fault on, the hot path asks no per-request fault questions at all.
  const faultsBeforeBody = faults.plan.errors !== undefined || faults.plan.latency !== undefined;
  const faultsActive = faults.active;

  // Shared listeners (not a fresh closure per request): `this` is the response.
  function onResponseClose(this: ServerResponse): void {
    if (!this.writableFinished) stats.dropped();
  }

  function problem(res: ServerResponse, kind: ProblemKind, detail: string, options?: Parameters<typeof problemJson>[2] & { close?: boolean; allow?: string }): void {
    const body = problemJson(kind, detail, options);
    const status = options?.status ?? PROBLEM_TYPES[kind].status;
    const headers: Record<string, string> = {
      'content-type': PROBLEM_CONTENT_TYPE,
      'content-length': String(Buffer.byteLength(body)),
    };
    if (options?.allow) headers.allow = options.allow;
    if (options?.close) headers.connection = 'close';
    stats.count(status);
    res.writeHead(status, headers);
    res.end(body);
  }

  function created(res: ServerResponse): void {
    stats.count(createdStatus);
    res.writeHead(createdStatus, CREATED_HEADERS);
    res.end();
  }

  function conflict(res: ServerResponse, id: string): void {
    problem(res, 'duplicateId', `a user profile with ID ${id} already exists`);
  }

  function tooLarge(req: IncomingMessage, res: ServerResponse): void {
    // HTTP/1 only: over HTTP/2 (--http2) the stream is reset, never the shared connection, and Connection is forbidden.
    const http1 = req.httpVersionMajor < 2;
    if (http1) lingerOnClose(req.socket, ctx.lingerMs);
    problem(res, 'bodyTooLarge', `the body exceeds the limit of ${maxBodyBytes} bytes`, { close: http1 });
  }

  /** Register a parsed, valid profile. No await between the check and the insert, except under the race fault. */
  function register(res: ServerResponse, id: string, text: string | undefined): void {
    const payload = ctx.keepPayloads ? text : undefined;
    if (!faultsActive) {
      if (store.insertIfAbsent(id, payload)) created(res);
      else conflict(res, id);
      return;
    }
    if (store.has(id) || faults.falseConflict(id)) return conflict(res, id);
    const race = faults.plan.race;
    const insert = () => {
      if (!faults.losesWrite(id)) store.insert(id, payload);
      created(res);
    };
    if (race === undefined) insert();
    else if (race === 'tick') setImmediate(insert);
    else setTimeout(insert, race);
  }

  function handleBody(res: ServerResponse, body: Buffer): void {
    if (res.destroyed) return stats.dropped(); // the client left during an injected delay
    let text: string | undefined;
    let data: unknown;
    if (validate) {
      if (!isUtf8(body)) return problem(res, 'malformedJson', 'the body is not valid UTF-8');
      text = body.toString('utf8');
      try {
        data = JSON.parse(text);
      } catch (error) {
        return problem(res, 'malformedJson', `the body is not valid JSON: ${(error as Error).message}`);
      }
      if (!isValidUserProfile(data)) {
        const errors = userProfileViolations(data);
        return problem(res, 'invalidBody', `the body breaks the contract in ${errors.length} place(s)`, { errors });
      }
      register(res, canonicalId(data.userProfileId), text);
      return;
    }
    // no-validation fault: take whatever comes; register the ID when there is one to register.
    text = body.toString('utf8');
    try {
      data = JSON.parse(text);
    } catch {
      return created(res);
    }
    const id = (data as { userProfileId?: unknown } | null)?.userProfileId;
    if (typeof id === 'string') register(res, canonicalId(id), text);
    else created(res);
  }

  function afterBody(res: ServerResponse, body: Buffer): void {
    if (!faultsBeforeBody) return handleBody(res, body);
    const injected = faults.injectedError();
    if (injected !== 0) return problem(res, 'injectedFault', 'injected server error', { status: injected });
    const delay = faults.delayMs();
    if (delay > 0) afterExactly(delay, () => handleBody(res, body));
    else handleBody(res, body);
  }

  function post(req: IncomingMessage, res: ServerResponse, expectsContinue: boolean): void {
    if (!isJsonContentType(req.headers['content-type'])) {
      return problem(res, 'unsupportedMediaType', 'send the body as Content-Type: application/json');
    }
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > maxBodyBytes) return tooLarge(req, res);
    if (expectsContinue) res.writeContinue();

    const chunks: Buffer[] = [];
    let size = 0;
    let rejected = false;
    req.on('data', (chunk: Buffer) => {
      if (rejected) return; // discarding the rest of an over-limit body
      size += chunk.length;
      if (size > maxBodyBytes) {
        rejected = true;
        chunks.length = 0;
        return tooLarge(req, res);
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (rejected) return;
      afterBody(res, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
  }

  return function handle(req, res, expectsContinue = false) {
    // An aborted upload emits 'error' on the request; without a listener it would be an uncaught exception.
    req.on('error', ignore);
    res.on('close', onResponseClose);
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    if (path === ROUTE) {
      if (req.method === 'POST') return post(req, res, expectsContinue);
      return problem(res, 'methodNotAllowed', `${req.method} is not allowed on ${ROUTE}; use POST`, { allow: 'POST' });
    }
    if (path === '/healthz') {
      if (req.method === 'GET' || req.method === 'HEAD') {
        stats.count(200);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(HEALTH_BODY.length) });
        res.end(HEALTH_BODY);
        return;
      }
      return problem(res, 'methodNotAllowed', `${req.method} is not allowed on /healthz; use GET`, { allow: 'GET, HEAD' });
    }
    problem(res, 'notFound', `no route for ${path.length > 200 ? `${path.slice(0, 200)}…` : path}; the API is POST ${ROUTE}`);
  };
}

function ignore(): void {}

/**
 * After an answer with `Connection: close`, Node ends the socket and destroys it as soon as the answer is flushed.
 * If the client is still uploading, destroying a socket with unread data makes the kernel send a reset, and a reset
 * can discard our 413 from the client's receive buffer before it reads it. So, like nginx's lingering close, send
 * FIN, keep reading (and dropping) what the client still sends, and destroy only after `lingerMs` or its FIN.
 */
function lingerOnClose(socket: Socket, lingerMs: number): void {
  socket.destroySoon = function lingeringClose(this: Socket) {
    this.end();
    const timer = setTimeout(() => this.destroy(), lingerMs);
    timer.unref();
    this.once('close', () => clearTimeout(timer));
  };
}

/**
 * `run` after `ms`, to within a fraction of a millisecond: a timer fires up to a millisecond late (and whole
 * milliseconds only), which would add ~2 % to an injected latency:50ms; the last millisecond is waited out in
 * setImmediate steps instead.
 */
function afterExactly(ms: number, run: () => void): void {
  const due = performance.now() + ms;
  const check = () => {
    const left = due - performance.now();
    if (left > 1.5) setTimeout(check, Math.floor(left - 1));
    else if (left > 0) setImmediate(check);
    else run();
  };
  check();
}
