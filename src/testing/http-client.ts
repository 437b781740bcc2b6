// Test helpers: a plain node:http client that exposes exact statuses, headers and bodies, and a sync-burst wrapper.

import { request } from 'node:http';
import { buildRawRequest } from '../engines/race/http1-wire.ts';
import { lastByteBurst } from '../engines/race/last-byte-burst.ts';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Send one request and read the whole answer. Headers are sent exactly as given (no default Content-Type). */
export function send(url: string, options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<HttpAnswer> {
  const target = new URL(options.path ?? '/user-profiles', url);
  return new Promise((resolve, reject) => {
    const req = request(target, { method: options.method ?? 'POST', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** POST a JSON body with Content-Type: application/json. */
export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return send(url, { headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/** `width` identical POSTs of `body`, released together with last-byte sync; returns the statuses (0 = no answer). */
export async function syncBurst(url: string, body: string, width: number): Promise<number[]> {
  const { hostname, port, host } = new URL(url);
  const bytes = buildRawRequest({ method: 'POST', path: '/user-profiles', host, headers: { 'Content-Type': 'application/json' }, body });
  const { outcomes } = await lastByteBurst({ host: hostname, port: Number(port) }, Array.from({ length: width }, () => bytes));
  return outcomes.map((outcome) => ('response' in outcome ? outcome.response.status : 0));
}
