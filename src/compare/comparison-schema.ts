// JSON Schema (2020-12) of the comparison document, version 1: what `stampede compare --format json` writes.

import { COMPARISON_SCHEMA_VERSION } from './comparison-document.ts';

const count = { type: 'integer', minimum: 0 } as const;
const verdict = { enum: ['pass', 'fail', 'unknown'] } as const;
const figureId = { enum: ['throughput', 'p50', 'p90', 'p99', 'p999', 'error-rate', 'lag-p99'] } as const;
const point = { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }], items: false, minItems: 2 } as const;
const interval = {
  type: 'object',
  required: ['estimate', 'low', 'high'],
  properties: { estimate: { type: 'number' }, low: { type: 'number' }, high: { type: 'number' }, confidence: { type: 'number', minimum: 0, maximum: 1 } },
  additionalProperties: false,
} as const;

const facts = {
  type: 'object',
  required: ['target', 'engine', 'model', 'toolVersion'],
  properties: {
    target: { type: 'string' },
    engine: { type: 'string' },
    model: { enum: ['closed', 'open'] },
    connections: count,
    rate: { type: 'number', minimum: 0 },
    dupRatio: { type: 'number', minimum: 0, maximum: 1 },
    toolVersion: { type: 'string' },
  },
  additionalProperties: false,
} as const;

const run = {
  type: 'object',
  required: ['file', 'runId', 'engine', 'startedAt', 'verdict', 'partial', 'facts', 'seconds', 'throughput', 'curve'],
  properties: {
    file: { type: 'string' },
    runId: { type: 'string' },
    engine: { type: 'string' },
    startedAt: { type: 'string' },
    verdict,
    partial: { type: 'boolean' },
    facts,
    faults: { type: 'array', items: { type: 'string' } },
    seconds: {
      type: 'object',
      required: ['rows', 'used', 'lagged', 'dropped'],
      properties: { rows: count, used: count, lagged: count, dropped: { type: 'array', items: { type: 'string' } } },
      additionalProperties: false,
    },
    throughput: { type: 'array', items: point },
    curve: { type: 'array', items: point },
    generatorBound: { type: 'string' },
  },
  additionalProperties: false,
} as const;

const summary = { type: 'object', required: ['n'], properties: { n: count, median: { type: 'number' } }, additionalProperties: false } as const;

const figure = {
  type: 'object',
  required: ['id', 'title', 'unit', 'better', 'delta', 'base', 'new', 'change'],
  properties: {
    id: figureId,
    title: { type: 'string' },
    unit: { enum: ['req/s', 'ms', 'share'] },
    better: { enum: ['higher', 'lower'] },
    delta: { enum: ['relative', 'absolute'] },
    base: summary,
    new: summary,
    test: {
      type: 'object',
      required: ['u', 'pValue', 'adjustedP', 'exact', 'minAttainableP'],
      properties: {
        u: { type: 'number', minimum: 0 },
        pValue: { type: 'number', minimum: 0, maximum: 1 },
        adjustedP: { type: 'number', minimum: 0, maximum: 1 },
        exact: { type: 'boolean' },
        minAttainableP: { type: 'number', minimum: 0, maximum: 1 },
      },
      additionalProperties: false,
    },
    runTest: {
      type: 'object',
      required: ['runs', 't', 'df', 'pValue', 'adjustedP'],
      properties: {
        runs: { type: 'array', prefixItems: [count, count], items: false, minItems: 2 },
        t: { type: 'number' },
        df: { type: 'integer', minimum: 1 },
        pValue: { type: 'number', minimum: 0, maximum: 1 },
        adjustedP: { type: 'number', minimum: 0, maximum: 1 },
      },
      additionalProperties: false,
    },
    shift: { ...interval, required: ['estimate', 'low', 'high', 'confidence'] },
    relative: interval,
    change: { enum: ['regression', 'improvement', 'none', 'undecidable'] },
    note: { type: 'string' },
  },
  additionalProperties: false,
} as const;

const invariantSide = { type: 'object', required: ['verdict', 'violations'], properties: { verdict, violations: count }, additionalProperties: false } as const;

export const comparisonDocumentSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: `urn:stampede:schema:comparison:${COMPARISON_SCHEMA_VERSION}`,
  title: 'StampedeComparisonDocument',
  type: 'object',
  required: ['schemaVersion', 'kind', 'tool', 'createdAt', 'method', 'base', 'new', 'likeForLike', 'differences', 'notes', 'figures', 'invariants', 'verdict', 'verdictReasons'],
  properties: {
    schemaVersion: { const: COMPARISON_SCHEMA_VERSION },
    kind: { const: 'comparison' },
    tool: { type: 'object', required: ['name', 'version'], properties: { name: { const: 'stampede' }, version: { type: 'string' } }, additionalProperties: false },
    createdAt: { type: 'string', format: 'date-time' },
    method: {
      type: 'object',
      required: ['samples', 'test', 'interval', 'correction', 'alpha'],
      properties: {
        samples: { const: 'per-second' },
        test: { const: 'mann-whitney-u' },
        interval: { const: 'hodges-lehmann' },
        correction: { const: 'holm' },
        alpha: { type: 'number', exclusiveMinimum: 0, maximum: 0.5 },
      },
      additionalProperties: false,
    },
    base: { type: 'array', items: run, minItems: 1 },
    new: { type: 'array', items: run, minItems: 1 },
    likeForLike: { type: 'boolean' },
    differences: {
      type: 'array',
      items: {
        type: 'object',
        required: ['fact', 'base', 'new'],
        properties: { fact: { enum: ['target', 'engine', 'model', 'connections', 'rate', 'dup-ratio', 'tool-version'] }, base: { type: 'string' }, new: { type: 'string' } },
        additionalProperties: false,
      },
    },
    notes: { type: 'array', items: { type: 'string' } },
    figures: { type: 'array', items: figure },
    invariants: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'title', 'change'],
        properties: { id: { enum: ['U1', 'U2', 'U3', 'U4'] }, title: { type: 'string' }, base: invariantSide, new: invariantSide, change: { enum: ['worse', 'better', 'same'] } },
        additionalProperties: false,
      },
    },
    limits: {
      type: 'array',
      items: {
        type: 'object',
        required: ['figure', 'text', 'kind', 'value', 'verdict', 'observed'],
        properties: {
          figure: figureId,
          text: { type: 'string' },
          kind: { enum: ['relative', 'ms', 'pp'] },
          value: { type: 'number', minimum: 0 },
          verdict,
          observed: { type: 'string' },
          detail: { type: 'string' },
        },
        additionalProperties: false,
      },
    },
    verdict,
    verdictReasons: { type: 'array', items: { type: 'string' } },
  },
  additionalProperties: false,
} as const;
