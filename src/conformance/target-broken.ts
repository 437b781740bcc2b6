// Whether the target stopped working during a run: from some answer on, every request it did not refuse was answered
// with a 5xx, to the end. Hostile bodies can do that: json-server stores a deeply nested body, then fails every request
// that reaches its store (those its body parser or router refuses still get their 400 or 404). The report names the
// check after which nothing but 5xx came back, instead of leaving a wall of failures unexplained.

/** One request of the run: its check, when its answer came, and its status (absent: no answer). */
export interface AnswerMark {
  checkId: string;
  answeredAt: number; // ms since the run started
  status?: number;
}

export interface TargetBroken {
  /** The check whose answer was the last success (2xx, 3xx) before only 5xx came; absent when no answer succeeded. */
  checkId?: string;
  /** The first check answered 5xx after it: often the request that broke the target. */
  firstFailing: string;
  /** Answers from `firstFailing` on that were not refusals (4xx): all 5xx. */
  answersAfter: number;
  /** One line for the verdict reasons. */
  reason: string;
}

/** Shorter all-5xx tails happen by chance on a target that fails some requests (errors:0.05: 0.05^10 ≈ 1e-13). */
export const MIN_TRAILING_5XX = 10; // answers

/**
 * In answer order (the closest we see to the order the target handled them). A 4xx is a refusal at the door (body
 * parser, router) that says nothing about whether the target still works; a request without an answer neither.
 */
export function targetBrokenAfter(marks: readonly AnswerMark[]): TargetBroken | undefined {
  const telling = marks.filter((m) => m.status !== undefined && (m.status < 400 || m.status >= 500)).sort((a, b) => a.answeredAt - b.answeredAt);
  let last = -1;
  for (let i = telling.length - 1; i >= 0; i--) {
    if (telling[i]!.status! < 500) {
      last = i;
      break;
    }
  }
  const after = telling.length - 1 - last;
  if (after < MIN_TRAILING_5XX) return undefined;
  const first = telling[last + 1]!;
  if (last === -1) {
    return { firstFailing: first.checkId, answersAfter: after, reason: `no request succeeded: every answer but the refusals (4xx) was a 5xx (${after} answers), from the first check on` };
  }
  const { checkId, status } = telling[last]!;
  return {
    checkId,
    firstFailing: first.checkId,
    answersAfter: after,
    reason: `the target answered only 5xx after check ${checkId} (answered ${status}): every one of the ${after} later answers but the refusals (4xx) was a 5xx, the first to check ${first.checkId}`,
  };
}
