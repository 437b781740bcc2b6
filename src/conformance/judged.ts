// What the runner keeps of each request and each check: the answer, its judgement, the check's evaluation.

import type { Verdict } from '../result/result-document.ts';
import type { CheckInstance } from './catalogue.ts';
import type { Judgement, PlannedRequest } from './cases.ts';
import type { Exchange } from './http-exchange.ts';
import type { EffectiveLevel } from './levels.ts';

/** An answer, the check it belongs to, how it was judged, and how to rebuild it for curl. */
export interface Judged {
  /** The check instance whose request this was (for the duplicate steps: DUP-4XX's). */
  checkId: string;
  exchange: Exchange;
  planned: PlannedRequest;
  judgement: Judgement;
}

export interface Evaluated {
  check: CheckInstance;
  level?: EffectiveLevel;
  expected: string;
  verdict: Verdict;
  /** The answer shown (the first failing one, or the first one). */
  shown?: Judged;
  detail?: string;
}

/** Sends one planned request for a check and judges its answer. */
export type Send = (checkId: string, planned: PlannedRequest, judge: (exchange: Exchange) => Judgement) => Promise<Judged>;
