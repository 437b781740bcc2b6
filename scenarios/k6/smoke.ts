// smoke: a pre-flight of four conformance checks (201, duplicate → conflict, malformed → 400, wrong type → 415).
//
//   k6 run -e TARGET_URL=http://127.0.0.1:8080 scenarios/k6/smoke.ts
//
// One VU, one iteration; any failed check fails the run (threshold checks rate==1). `stampede conform` is the full suite.

import { check } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import type { Options } from 'k6/options';
import { commonConfig, describeConfig, keyOf, setupRun, type RunData } from './lib/config.ts';
import { baseOptions } from './lib/load-scenario.ts';
import { createRecorder } from './lib/metrics.ts';
import { bodyFor, clearMetadata, expectedAnswers, FirstAttempts, REQUEST_NAME, sendRegistration, type Sender } from './lib/register.ts';
import type { ScenarioReport } from './lib/result.ts';
import type { SummaryData } from './lib/summary-data.ts';
import { summaryOutputs } from './lib/summary.ts';
import { loadTemplates } from './lib/templates.ts';

const config = commonConfig();
const templates = loadTemplates(config.corpus);
const sender: Sender = { config, record: createRecorder(config.conflictStatus), judging: 'sequential', firsts: new FirstAttempts(1) };
expectedAnswers(config);

/** The checks, by name, in the order they run. */
export const SMOKE_CHECKS = {
  // The first two are sendRegistration's own checks: a first attempt, then its exact retry.
  created: 'first attempt → 201',
  duplicate: `duplicate → ${config.conflictStatus}`,
  malformed: 'malformed JSON → 400',
  mediaType: 'wrong Content-Type → 415',
} as const;

export const options: Options = baseOptions(config, { checks: ['rate==1'] }, {
  smoke: { executor: 'per-vu-iterations', vus: 1, iterations: 1, maxDuration: '1m' },
});

export function setup(): RunData {
  return setupRun(config, 'smoke');
}

export default function (data: RunData): void {
  const key = keyOf(data);
  const base = `${exec.vu.idInTest}:${exec.vu.iterationInScenario}`;
  // Smoke IDs live apart from the load scenarios' iteration numbers, so a shared RUN_ID cannot collide.
  const n = 2 ** 49 + exec.scenario.iterationInTest * 2;
  const first = bodyFor(key, templates, n);
  sendRegistration(sender, { ...first, attempt: 'first', requestId: `${base}:1` });
  sendRegistration(sender, { ...first, attempt: 'duplicate', requestId: `${base}:2` });

  // Not registrations (no metadata, so `stampede merge` leaves them out): the body or the media type is wrong.
  clearMetadata();
  const headers: Record<string, string> = {};
  for (const name of Object.keys(config.headers)) headers[name] = config.headers[name]!;
  const params = (contentType: string, status: number) => ({
    headers: { ...headers, 'Content-Type': contentType },
    tags: { name: REQUEST_NAME },
    timeout: config.timeout.text,
    responseCallback: http.expectedStatuses(status),
  });
  const truncated = first.body.slice(0, Math.floor(first.body.length / 2));
  const malformed = http.post(config.endpoint, truncated, params('application/json', 400));
  check(malformed, { [SMOKE_CHECKS.malformed]: (r) => r.status === 400 });
  const fresh = bodyFor(key, templates, n + 1);
  const mediaType = http.post(config.endpoint, fresh.body, params('text/plain', 415));
  check(mediaType, { [SMOKE_CHECKS.mediaType]: (r) => r.status === 415 });
}

function report(data: SummaryData): ScenarioReport {
  const lines = ['checks'];
  for (const c of data.root_group?.checks ?? []) lines.push(`  ${c.fails === 0 ? '✓' : '✗'} ${c.name} (${c.passes} passed, ${c.fails} failed)`);
  return { lines, thresholds: [] };
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryOutputs(data, { scenario: 'smoke', config, settings: describeConfig(config, {}), model: 'closed', report });
}
