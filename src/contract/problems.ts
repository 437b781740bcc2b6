// RFC 9457 problem details: the error bodies of the contract (`application/problem+json`).

import type { Violation } from './validators.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Every problem type the reference service answers with; `type` URIs are stable identifiers, not links. */
export const PROBLEM_TYPES = {
  malformedJson: { status: 400, type: 'urn:stampede:problem:malformed-json', title: 'Malformed JSON body' },
  invalidBody: { status: 400, type: 'urn:stampede:problem:invalid-body', title: 'Body does not match the contract' },
  notFound: { status: 404, type: 'urn:stampede:problem:not-found', title: 'Not found' },
  methodNotAllowed: { status: 405, type: 'urn:stampede:problem:method-not-allowed', title: 'Method not allowed' },
  duplicateId: { status: 409, type: 'urn:stampede:problem:duplicate-user-profile', title: 'User profile already exists' },
  bodyTooLarge: { status: 413, type: 'urn:stampede:problem:body-too-large', title: 'Request body too large' },
  unsupportedMediaType: {
    status: 415,
    type: 'urn:stampede:problem:unsupported-media-type',
    title: 'Content-Type must be application/json',
  },
  injectedFault: { status: 503, type: 'urn:stampede:problem:injected-fault', title: 'Injected server error' },
} as const satisfies Record<string, { status: number; type: string; title: string }>;

export type ProblemKind = keyof typeof PROBLEM_TYPES;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** For 400 invalid-body: where the body breaks the contract (RFC 9457 §3 "errors" extension style). */
  errors?: Violation[];
}

/** Serialise a problem of `kind`; `status` overrides the kind's default (injected faults choose their own). */
export function problemJson(kind: ProblemKind, detail: string, extras?: { errors?: Violation[]; status?: number }): string {
  const { type, title, status } = PROBLEM_TYPES[kind];
  const problem: Problem = { type, title, status: extras?.status ?? status, detail };
  if (extras?.errors) problem.errors = extras.errors;
  return JSON.stringify(problem);
}
