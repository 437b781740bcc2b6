// The duplicate checks: register a fresh ID, re-send the very same bytes (a client retry), then the ID in upper case.

import { instance, type CheckInstance } from './catalogue.ts';
import { ROUTE, noAnswer, type buildSuite, type Judgement } from './cases.ts';
import type { Exchange, WireRequest } from './http-exchange.ts';
import type { Evaluated, Judged, Send } from './judged.ts';

const JSON_TYPE: [string, string] = ['Content-Type', 'application/json'];

/** DUP-4XX and DUP-409 from the re-sent bytes; DUP-CANONICAL-ID (a third request) unless it is off. */
export async function duplicateChecks(
  pool: ReturnType<typeof buildSuite>['pool'],
  conflictStatus: number,
  send: Send,
  withCanonical: boolean,
): Promise<Evaluated[]> {
  const id = pool.next().id;
  const body = pool.withId(id).body;
  const request: WireRequest = { method: 'POST', path: ROUTE, headers: [JSON_TYPE], body };
  const setup = await send('DUP-4XX', { label: 'first registration', request, repro: () => request }, (x) => noAnswer(x) ?? (x.status! >= 200 && x.status! < 300 ? { verdict: 'pass' } : { verdict: 'fail', detail: `answered ${x.status}` }));
  const registered = setup.exchange.status !== undefined && setup.exchange.status >= 200 && setup.exchange.status < 300;
  const notRegistered = `the ID could not be registered first (answered ${setup.exchange.status ?? setup.exchange.error}), so a duplicate cannot be judged`;

  const judgeDuplicate = (accept: (status: number) => string | undefined) => (x: Exchange): Judgement => {
    const none = noAnswer(x);
    if (none) return none;
    const status = x.status!;
    if (status >= 500) return { verdict: 'fail', detail: `answered ${status}: a server error` };
    if (!registered) return { verdict: 'unknown', detail: notRegistered };
    const wrong = accept(status);
    return wrong === undefined ? { verdict: 'pass' } : { verdict: 'fail', detail: wrong };
  };
  const is4xx = (status: number) => (status >= 400 && status < 500 ? undefined : `answered ${status}: ${status < 300 ? 'the duplicate was accepted (a second profile)' : 'not a client error'}`);
  const duplicate = await send('DUP-4XX', { label: 'the same bytes again', request, repro: () => request }, judgeDuplicate(is4xx));
  const exact = judgeDuplicate((status) => (status === conflictStatus ? undefined : `answered ${status}, expected ${conflictStatus}`))(duplicate.exchange);

  const dupStatus = duplicate.exchange.status;
  const expectedCanonical = dupStatus !== undefined && dupStatus >= 400 && dupStatus < 500 ? dupStatus : conflictStatus;
  const evaluate = (check: CheckInstance, expected: string, judged: Judged, judgement: Judgement): Evaluated => ({
    check,
    expected,
    verdict: judgement.verdict,
    shown: { ...judged, judgement },
    ...(judgement.detail ? { detail: judgement.detail } : {}),
  });
  const steps = [evaluate(instance('dup4xx'), 'a 4xx', duplicate, duplicate.judgement), evaluate(instance('dup409'), String(conflictStatus), duplicate, exact)];
  if (!withCanonical) return steps;
  const upper: WireRequest = { method: 'POST', path: ROUTE, headers: [JSON_TYPE], body: pool.withId(id.toUpperCase()).body };
  const canonical = await send(
    'DUP-CANONICAL-ID',
    { label: 'the ID in upper case', request: upper, repro: () => upper },
    judgeDuplicate((status) => (status === expectedCanonical ? undefined : `answered ${status}, expected ${expectedCanonical} as for the same ID in lower case${status < 300 ? ': a second profile for the same ID' : ''}`)),
  );
  return [...steps, evaluate(instance('dupCanonical'), `${expectedCanonical} (as the lower-case duplicate)`, canonical, canonical.judgement)];
}

