// JSON Schema (2020-12) of the result document, version 1: what every engine writes and every report may rely on.

import { RESULT_SCHEMA_VERSION } from './result-document.ts';

const count = { type: 'integer', minimum: 0 } as const;
const ms = { type: 'number', minimum: 0 } as const;
const verdict = { enum: ['pass', 'fail', 'unknown'] } as const;
const outcome = { enum: ['ok', 'fail', 'indeterminate'] } as const;
const kind = { enum: ['first', 'duplicate', 'probe'] } as const;

const outcomeCounts = {
  type: 'object',
  required: ['sent', 'ok', 'fail', 'indeterminate'],
  properties: { sent: count, ok: count, fail: count, indeterminate: count },
} as const;

const percentiles = {
  type: 'object',
  required: ['count', 'mean', 'p50', 'p90', 'p99', 'p999', 'max'],
  properties: { count, mean: ms, p50: ms, p90: ms, p99: ms, p999: ms, max: ms },
  additionalProperties: false,
} as const;

const attempt = {
  type: 'object',
  required: ['kind', 'sentAt'],
  properties: {
    kind,
    sentAt: { type: 'number' },
    answeredAt: { type: 'number' },
    status: { type: 'integer', minimum: 100, maximum: 599 },
    error: { type: 'string' },
    outcome,
    sentId: { type: 'string' },
  },
  additionalProperties: false,
} as const;

const invariant = {
  type: 'object',
  required: ['id', 'title', 'verdict', 'checked', 'violations', 'examples', 'detail'],
  properties: {
    id: { enum: ['U1', 'U2', 'U3', 'U4'] },
    title: { type: 'string' },
    verdict,
    checked: count,
    violations: count,
    examples: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'timeline', 'note'],
        properties: { id: { type: 'string' }, timeline: { type: 'array', items: attempt }, note: { type: 'string' } },
        additionalProperties: false,
      },
    },
    detail: { type: 'string' },
  },
  additionalProperties: false,
} as const;

const spread = {
  type: 'object',
  required: ['p50', 'p90', 'p99', 'max'],
  properties: { p50: ms, p90: ms, p99: ms, max: ms },
  additionalProperties: false,
} as const;

const check = {
  type: 'object',
  required: ['id', 'level', 'reference', 'title', 'verdict', 'expected'],
  properties: {
    id: { type: 'string', minLength: 1 },
    level: { enum: ['MUST', 'SHOULD', 'MAY'] },
    reference: { type: 'string' },
    source: { enum: ['spec', 'http', 'contract', 'recommended'] },
    defaultLevel: { enum: ['MUST', 'SHOULD', 'MAY'] },
    levelFrom: { enum: ['default', 'profile', 'override'] },
    levelRule: { type: 'string', minLength: 1 },
    title: { type: 'string' },
    verdict,
    expected: { type: 'string' },
    observed: {
      type: 'object',
      properties: {
        status: { type: 'integer', minimum: 100, maximum: 599 },
        headers: { type: 'object', additionalProperties: { type: 'string' } },
        bodyExcerpt: { type: 'string' },
        error: { type: 'string' },
        durationMs: ms,
      },
      additionalProperties: false,
    },
    curl: { type: 'string' },
    bodyFile: { type: 'string' },
    followedByOnly5xx: { type: 'integer', minimum: 1 },
    detail: { type: 'string' },
  },
  additionalProperties: false,
} as const;

const race = {
  type: 'object',
  required: ['sync', 'width', 'bursts', 'reproduced', 'detectionRate', 'spreadUs'],
  properties: {
    sync: { enum: ['last-byte', 'single-packet', 'naive'] },
    width: { type: 'integer', minimum: 1 },
    bursts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['index', 'id', 'statuses', 'successes', 'spreadUs'],
        properties: {
          index: count,
          id: { type: 'string' },
          statuses: { type: 'array', items: { type: 'integer', minimum: 0, maximum: 599 } },
          successes: count,
          spreadUs: ms,
          errors: { type: 'array', items: { type: 'string' } },
        },
        additionalProperties: false,
      },
    },
    reproduced: count,
    detectionRate: { type: 'number', minimum: 0, maximum: 1 },
    spreadUs: spread,
    replayFile: { type: 'string' },
    baseline: {
      type: 'object',
      required: ['sync', 'bursts', 'reproduced', 'detectionRate', 'spreadUs'],
      properties: { sync: { const: 'naive' }, bursts: count, reproduced: count, detectionRate: { type: 'number', minimum: 0, maximum: 1 }, spreadUs: spread },
      additionalProperties: false,
    },
    blocker: {
      type: 'object',
      required: ['bytes', 'leadUs', 'sent', 'answers'],
      properties: { bytes: count, leadUs: { type: 'number', minimum: 0 }, sent: count, answers: { type: 'object', additionalProperties: count } },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

const ENGINES = ['http1', 'autocannon', 'undici', 'race', 'k6', 'conformance', 'merged', 'combined'] as const;

export const resultDocumentSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: `urn:stampede:schema:result:${RESULT_SCHEMA_VERSION}`,
  title: 'StampedeResult',
  type: 'object',
  required: [
    'schemaVersion', 'tool', 'engine', 'runId', 'seed', 'target', 'config', 'startedAt', 'endedAt', 'durationMs',
    'partial', 'totals', 'throughput', 'latency', 'statuses', 'errors', 'invariants', 'verdict', 'verdictReasons',
  ],
  properties: {
    schemaVersion: { const: RESULT_SCHEMA_VERSION },
    tool: {
      type: 'object',
      required: ['name', 'version'],
      properties: { name: { const: 'stampede' }, version: { type: 'string' } },
      additionalProperties: false,
    },
    engine: { enum: ENGINES },
    runId: { type: 'string', minLength: 1 },
    seed: { type: 'integer', minimum: 0 },
    target: {
      type: 'object',
      required: ['url', 'embedded'],
      properties: {
        // Credentials never reach a report: no user:password@ in the URL.
        url: { type: 'string', not: { pattern: '^[a-z][a-z0-9+.-]*://[^/@]*@' } },
        embedded: { type: 'boolean' },
        faults: { type: 'array', items: { type: 'string' } },
      },
      additionalProperties: false,
    },
    config: { type: 'object' },
    startedAt: { type: 'string', format: 'date-time' },
    endedAt: { type: 'string', format: 'date-time' },
    durationMs: ms,
    partial: { type: 'boolean' },
    partialReason: { type: 'string' },
    totals: {
      ...outcomeCounts,
      required: [...outcomeCounts.required, 'byKind'],
      properties: {
        ...outcomeCounts.properties,
        byKind: { type: 'object', properties: { first: outcomeCounts, duplicate: outcomeCounts, probe: outcomeCounts }, additionalProperties: false },
      },
      additionalProperties: false,
    },
    throughput: {
      type: 'object',
      required: ['overall', 'durationMs', 'perSecond'],
      properties: {
        overall: ms,
        durationMs: ms,
        perSecond: {
          type: 'array',
          items: {
            ...outcomeCounts,
            required: [...outcomeCounts.required, 't'],
            properties: { ...outcomeCounts.properties, t: count, p50: ms, p90: ms, p99: ms, p999: ms, lagP99: ms },
            additionalProperties: false,
          },
        },
      },
      additionalProperties: false,
    },
    latency: {
      type: 'object',
      required: ['overall', 'byOutcome', 'model'],
      properties: {
        overall: percentiles,
        byOutcome: { type: 'object', properties: { ok: percentiles, fail: percentiles, indeterminate: percentiles }, additionalProperties: false },
        model: { enum: ['closed', 'open'] },
        lag: {
          type: 'object',
          required: [...percentiles.required, 'lateShare', 'lateAfterMs'],
          properties: { ...percentiles.properties, lateShare: { type: 'number', minimum: 0, maximum: 1 }, lateAfterMs: ms },
          additionalProperties: false,
        },
        service: percentiles,
        curve: { type: 'array', items: { type: 'array', prefixItems: [{ type: 'number', minimum: 0, maximum: 100 }, ms], items: false, minItems: 2 } },
        generatorBound: {
          type: 'object',
          required: ['limit', 'observed', 'lateShare', 'reason'],
          properties: { limit: { type: 'string' }, observed: ms, lateShare: { type: 'number', minimum: 0, maximum: 1 }, reason: { type: 'string' } },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
    warmup: {
      type: 'object',
      required: ['durationMs', 'totals'],
      properties: { durationMs: ms, totals: outcomeCounts },
      additionalProperties: false,
    },
    statuses: { type: 'object', propertyNames: { pattern: '^[1-5][0-9]{2}$' }, additionalProperties: count },
    errors: { type: 'object', additionalProperties: count },
    unsent: {
      type: 'object',
      required: ['count', 'byError'],
      properties: { count, byError: { type: 'object', additionalProperties: count } },
      additionalProperties: false,
    },
    invariants: { type: 'array', items: invariant },
    probe: {
      type: 'object',
      required: ['mode', 'acknowledged', 'probed', 'outcomes', 'lostWrites'],
      properties: {
        mode: { enum: ['all', 'sample'] },
        acknowledged: count,
        probed: count,
        detects: {
          type: 'object',
          required: ['lossRate', 'confidence'],
          properties: { lossRate: { type: 'number', exclusiveMinimum: 0, maximum: 1 }, confidence: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 } },
          additionalProperties: false,
        },
        outcomes: outcomeCounts,
        lostWrites: count,
      },
      additionalProperties: false,
    },
    checks: { type: 'array', items: check },
    race,
    thresholds: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'title', 'limit', 'verdict'],
        properties: { id: { type: 'string', minLength: 1 }, title: { type: 'string' }, limit: { type: 'string' }, observed: { type: 'string' }, verdict, detail: { type: 'string' } },
        additionalProperties: false,
      },
    },
    phases: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'engine', 'runId', 'verdict', 'verdictReasons', 'durationMs', 'partial', 'totals'],
        properties: {
          name: { type: 'string', minLength: 1 },
          engine: { enum: ENGINES },
          runId: { type: 'string' },
          verdict,
          verdictReasons: { type: 'array', items: { type: 'string' } },
          durationMs: ms,
          partial: { type: 'boolean' },
          totals: outcomeCounts,
        },
        additionalProperties: false,
      },
    },
    verdict,
    verdictReasons: { type: 'array', items: { type: 'string' } },
  },
  additionalProperties: false,
} as const;
