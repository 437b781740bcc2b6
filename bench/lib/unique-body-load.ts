// One autocannon trial of POST /user-profiles with a unique ID in every ~2 KB body, every answer checked.
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { specExample } from '../../src/contract/example.ts';

export interface TrialResult {
  requestsPerSecond: number;
  total: number;
  /** Answers by status; a valid trial has only 201. */
  statuses: Record<string, number>;
  errors: number;
}

const PLACEHOLDER = '00000000-0000-4000-8000-000000000000';
const [BEFORE, AFTER] = JSON.stringify(specExample(PLACEHOLDER)).split(PLACEHOLDER) as [string, string];
export const BODY_BYTES = BEFORE.length + PLACEHOLDER.length + AFTER.length;

export async function uniqueBodyTrial(url: string, options: { connections: number; seconds: number }): Promise<TrialResult> {
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        method: 'POST',
        path: '/user-profiles',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: BEFORE + randomUUID() + AFTER }),
      },
    ],
  });
  const statuses: Record<string, number> = {};
  for (const [status, stat] of Object.entries(result.statusCodeStats ?? {})) statuses[status] = stat?.count ?? 0;
  const total = Object.values(statuses).reduce((a, b) => a + b, 0);
  return { requestsPerSecond: total / (result.duration || options.seconds), total, statuses, errors: result.errors + result.timeouts };
}
