// Stand-in for `k6/http` (tests only): requests are recorded and answered by the test's responder, with k6's metrics.

import { emit, standIn, type ExpectedStatuses } from './state.ts';

interface Params {
  headers?: Record<string, string>;
  tags?: Record<string, string>;
  timeout?: string | number;
  responseCallback?: ExpectedStatuses;
}

export function expectedStatuses(...expected: Array<number | { min: number; max: number }>): ExpectedStatuses {
  return { expected };
}

export function setResponseCallback(callback: ExpectedStatuses): void {
  standIn().responseCallback = callback;
}

function isExpected(callback: ExpectedStatuses | undefined, status: number): boolean {
  // k6's default: 200–399 are expected.
  if (callback === undefined) return status >= 200 && status < 400;
  return callback.expected.some((e) => (typeof e === 'number' ? e === status : status >= e.min && status <= e.max));
}

export function request(method: string, url: string, body: string | null = null, params: Params = {}) {
  const state = standIn();
  const sent = {
    method,
    url,
    body: body ?? '',
    headers: { ...(params.headers ?? {}) },
    tags: { ...(params.tags ?? {}) },
    metadata: { ...state.exec.vu.metrics.metadata },
    sentAt: Date.now(),
    vu: state.exec.vu.idInTest,
  };
  const response = state.responder(sent);
  state.requests.push({ ...sent, response });
  const expected = response.status > 0 && isExpected(params.responseCallback ?? state.responseCallback, response.status);
  const tags = { name: url, method, status: String(response.status), expected_response: String(expected), ...sent.tags };
  emit('http_reqs', 'counter', 1, tags);
  emit('http_req_duration', 'trend', response.durationMs ?? 1, tags);
  emit('http_req_failed', 'rate', expected ? 0 : 1, tags);
  return {
    status: response.status,
    error_code: response.status > 0 ? (response.status >= 400 ? 1000 + response.status : 0) : (response.errorCode ?? 1000),
    error: response.status > 0 ? '' : 'stand-in error',
    body: response.body ?? '',
    headers: {},
    timings: { duration: response.durationMs ?? 1 },
  };
}

export const post = (url: string, body: string | null, params?: Params) => request('POST', url, body, params);
export const get = (url: string, params?: Params) => request('GET', url, null, params);

export default { request, post, get, expectedStatuses, setResponseCallback };
