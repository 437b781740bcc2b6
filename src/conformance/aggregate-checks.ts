// The checks judged over every answer of a run: no 5xx, problem bodies and their status member, no hang.

import { instance, type CheckInstance } from './catalogue.ts';
import type { Exchange } from './http-exchange.ts';
import type { Evaluated, Judged } from './judged.ts';

/** In AGGREGATE_CHECKS order: NO-5XX, ERROR-PROBLEM-JSON, PROBLEM-STATUS-MATCH, NO-HANG. */
export function aggregateChecks(all: Judged[]): Evaluated[] {
  const mediaType = (x: Exchange) => (x.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const problemObject = (x: Exchange): Record<string, unknown> | undefined => {
    try {
      const value: unknown = JSON.parse(x.body.toString('utf8'));
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  };
  const aggregate = (check: CheckInstance, expected: string, subjects: Judged[], judge: (x: Exchange) => string | undefined, none: string): Evaluated => {
    if (subjects.length === 0) return { check, expected, verdict: 'unknown', detail: none };
    const failures = subjects.map((j) => ({ j, why: judge(j.exchange) })).filter((f) => f.why !== undefined);
    if (failures.length === 0) return { check, expected, verdict: 'pass', detail: `${subjects.length} answers checked` };
    const first = failures[0]!;
    return {
      check,
      expected,
      verdict: 'fail',
      shown: { ...first.j, judgement: { verdict: 'fail', detail: first.why! } },
      detail: `${failures.length} of ${subjects.length} answers; first: ${first.j.planned.label ? `${first.j.planned.label}: ` : ''}${first.why}`,
    };
  };
  const clientErrors = all.filter((j) => j.exchange.status !== undefined && j.exchange.status >= 400 && j.exchange.status < 500);
  const problems = all.filter((j) => j.exchange.status !== undefined && mediaType(j.exchange) === 'application/problem+json');
  // The fuzz round has its own check (NO-5XX-FUZZ): a 5xx there is not counted twice.
  const fuzzId = instance('noServerError').id;
  const answered = all.filter((j) => j.exchange.status !== undefined && j.checkId !== fuzzId);
  return [
    aggregate(instance('noServerErrorAny'), 'no 5xx for any request', answered, (x) => (x.status! >= 500 ? `answered ${x.status}` : undefined), 'no request got an answer'),
    aggregate(instance('problemJson'), 'Content-Type: application/problem+json and a JSON object body', clientErrors, (x) => {
      if (mediaType(x) !== 'application/problem+json') return `${x.status} with Content-Type ${x.headers['content-type'] ?? '(none)'}`;
      return problemObject(x) === undefined ? `${x.status} with a problem body that is not a JSON object` : undefined;
    }, 'no 4xx answer was seen'),
    aggregate(instance('problemStatus'), 'the "status" member equals the HTTP status', problems, (x) => {
      const status = problemObject(x)?.status;
      return status === undefined || status === x.status ? undefined : `HTTP ${x.status} with "status": ${JSON.stringify(status)}`;
    }, 'no problem body was seen'),
    aggregate(instance('noHang'), 'an answer within --timeout', all, (x) => (x.error === 'timeout' ? `no answer within ${Math.round(x.durationMs)} ms` : undefined), 'nothing was sent'),
  ];
}

