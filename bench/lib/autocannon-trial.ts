// One autocannon trial in its own process (so the bench can pin it to a CPU): `static` sends one body, `unique` a body
// with a fresh ID per request through setupRequest. Prints `RESULT {json}` (requests/s, answers by status, errors).
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { bodyHalves } from './generators.ts';

const [mode, url, connections, seconds, bodyBytes] = process.argv.slice(2) as [string, string, string, string, string];
// One of stampede's own generated profiles of the same size, split at its ID: valid under the contract.
const [BEFORE, AFTER] = await bodyHalves(Number(bodyBytes));
const staticBody = BEFORE + randomUUID() + AFTER;

const result = await autocannon({
  url,
  connections: Number(connections),
  duration: Number(seconds),
  requests: [
    mode === 'unique'
      ? { method: 'POST', path: '/user-profiles', headers: { 'content-type': 'application/json' }, setupRequest: (request) => ({ ...request, body: BEFORE + randomUUID() + AFTER }) }
      : { method: 'POST', path: '/user-profiles', headers: { 'content-type': 'application/json' }, body: staticBody },
  ],
});
const statuses: Record<string, number> = {};
for (const [status, stat] of Object.entries(result.statusCodeStats ?? {})) statuses[status] = stat?.count ?? 0;
const total = Object.values(statuses).reduce((a, b) => a + b, 0);
console.log(`RESULT ${JSON.stringify({ rate: total / (result.duration || Number(seconds)), total, statuses, errors: result.errors + result.timeouts, bodyBytes: staticBody.length })}`);
