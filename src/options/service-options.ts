// Validation of the reference service's options (from the CLI or from code), in one place, into resolved values.

import { readFileSync } from 'node:fs';
import { SERVICE_DEFAULTS } from '../defaults.ts';
import { InvalidOptionError } from '../errors.ts';
import { parseFaults, type FaultPlan } from '../service/faults.ts';
import type { ProfileStore } from '../service/store.ts';
import { parseBytes, parseDuration, parseInteger, parsePort } from './units.ts';

/** What callers may pass: numbers are in base units (ms, bytes); strings may carry units (`10s`, `1mib`). */
export interface ServiceOptionsInput {
  host?: string;
  port?: number | string;
  /** `--fault` values, e.g. ['race:tick', 'latency:50ms']. */
  faults?: readonly string[];
  seed?: number | string;
  maxBody?: number | string;
  keepPayloads?: boolean;
  headerTimeout?: number | string;
  requestTimeout?: number | string;
  keepAliveTimeout?: number | string;
  linger?: number | string;
  /** Replace the in-memory store (e.g. with one backed by a database). */
  store?: ProfileStore;
  /** PEM files: serve HTTPS (both or neither): HTTP/1.1, or with http2 HTTP/2 (ALPN h2, HTTP/1.1 still accepted). */
  tlsCert?: string;
  tlsKey?: string;
  /** Serve HTTP/2: over cleartext (h2c, prior knowledge), or over TLS with tlsCert/tlsKey (or `tls`). */
  http2?: boolean;
  /** Serve TLS; without tlsCert/tlsKey, with a self-signed certificate generated at start (loopback testing). */
  tls?: boolean;
}

export interface ServiceOptions {
  host: string;
  port: number;
  faultSpecs: readonly string[];
  faults: FaultPlan;
  seed: number;
  maxBodyBytes: number; // bytes
  keepPayloads: boolean;
  headersTimeoutMs: number; // ms
  requestTimeoutMs: number; // ms
  keepAliveTimeoutMs: number; // ms
  lingerMs: number; // ms
  store: ProfileStore | undefined;
  /** PEM certificate and key (read from --tls-cert/--tls-key): the service speaks HTTPS. */
  tls: { cert: Buffer; key: Buffer } | undefined;
  /** --tls without a certificate: startService() generates a self-signed one (`tls` is then undefined here). */
  selfSigned: boolean;
  http2: boolean;
}

export function resolveServiceOptions(input: ServiceOptionsInput = {}, defaults: { port: number } = { port: 0 }): ServiceOptions {
  const host = input.host ?? SERVICE_DEFAULTS.host;
  if (typeof host !== 'string' || host.trim() === '') {
    throw new InvalidOptionError('--host', 'must be a host name or IP address, e.g. 127.0.0.1');
  }
  const headersTimeoutMs = parseDuration('--header-timeout', input.headerTimeout ?? SERVICE_DEFAULTS.headersTimeoutMs, { min: 1, max: 3_600_000 });
  const requestTimeoutMs = parseDuration('--request-timeout', input.requestTimeout ?? SERVICE_DEFAULTS.requestTimeoutMs, { min: 1, max: 3_600_000 });
  if (requestTimeoutMs < headersTimeoutMs) {
    throw new InvalidOptionError('--request-timeout', `must be at least --header-timeout (${headersTimeoutMs}ms): a whole request cannot take less time than its headers`);
  }
  const faultSpecs = input.faults ?? [];
  return {
    host,
    port: parsePort('--port', input.port ?? defaults.port),
    faultSpecs,
    faults: parseFaults(faultSpecs),
    seed: parseInteger('--seed', input.seed ?? SERVICE_DEFAULTS.seed, { min: 0, max: 2 ** 32 - 1 }),
    maxBodyBytes: parseBytes('--max-body', input.maxBody ?? SERVICE_DEFAULTS.maxBodyBytes, { min: 1, max: 1024 ** 3 }),
    keepPayloads: input.keepPayloads ?? false,
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: parseDuration('--keep-alive-timeout', input.keepAliveTimeout ?? SERVICE_DEFAULTS.keepAliveTimeoutMs, { min: 0, max: 3_600_000 }),
    lingerMs: parseDuration('--linger', input.linger ?? SERVICE_DEFAULTS.lingerMs, { min: 0, max: 60_000 }),
    store: input.store,
    tls: resolveTls(input.tlsCert, input.tlsKey),
    selfSigned: (input.tls ?? false) && input.tlsCert === undefined && input.tlsKey === undefined,
    http2: input.http2 ?? false,
  };
}

function resolveTls(cert: string | undefined, key: string | undefined): ServiceOptions['tls'] {
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined) throw new InvalidOptionError('--tls-cert', 'is required with --tls-key: give the PEM certificate too');
  if (key === undefined) throw new InvalidOptionError('--tls-key', 'is required with --tls-cert: give the PEM private key too');
  const read = (option: string, path: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new InvalidOptionError(option, `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  };
  return { cert: read('--tls-cert', cert), key: read('--tls-key', key) };
}
