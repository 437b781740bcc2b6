import { describe, expect, it } from 'vitest';
import { MIN_TRAILING_5XX, targetBrokenAfter, type AnswerMark } from './target-broken.ts';

const marks = (statuses: Array<number | undefined>): AnswerMark[] =>
  statuses.map((status, i) => ({ checkId: `CHECK-${i}`, answeredAt: i, ...(status !== undefined ? { status } : {}) }));

describe('targetBrokenAfter: the check after which every answer was a 5xx', () => {
  it('names the last success and the first 5xx after it when every later answer was a 5xx, however the marks arrive', () => {
    const run = marks([201, 400, 201, ...Array<number>(12).fill(500)]);
    const broken = targetBrokenAfter([...run].reverse());
    expect(broken).toMatchObject({ checkId: 'CHECK-2', firstFailing: 'CHECK-3', answersAfter: 12 });
    expect(broken?.reason).toMatch(/only 5xx after check CHECK-2 \(answered 201\): every one of the 12 later answers but the refusals \(4xx\) was a 5xx, the first to check CHECK-3/);
  });

  it('refusals (4xx) and requests without an answer neither break the run of 5xx nor count in it', () => {
    const run = marks([201, 503, 400, 404, undefined, ...Array<number>(MIN_TRAILING_5XX - 1).fill(500), 415]);
    expect(targetBrokenAfter(run)).toMatchObject({ checkId: 'CHECK-0', firstFailing: 'CHECK-1', answersAfter: MIN_TRAILING_5XX });
  });

  it('nothing to name: a short tail of 5xx (a target failing some requests), a success at the end, or no 5xx at all', () => {
    expect(targetBrokenAfter(marks([201, ...Array<number>(MIN_TRAILING_5XX - 1).fill(500)]))).toBeUndefined();
    expect(targetBrokenAfter(marks([...Array<number>(30).fill(500), 201]))).toBeUndefined();
    expect(targetBrokenAfter(marks([201, 409, 400]))).toBeUndefined();
  });

  it('no success at all: no check to name, the target was failing from the start', () => {
    const broken = targetBrokenAfter(marks([400, ...Array<number>(20).fill(502)]));
    expect(broken?.checkId).toBeUndefined();
    expect(broken?.firstFailing).toBe('CHECK-1');
    expect(broken?.reason).toMatch(/no request succeeded: .*\(20 answers\), from the first check on/);
  });
});
