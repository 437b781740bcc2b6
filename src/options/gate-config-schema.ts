// JSON Schema of the gate's `--config` file (JSON with comments): the same settings as the flags, grouped by phase.

const duration = { anyOf: [{ type: 'string' }, { type: 'number', minimum: 0 }], description: 'a duration with a unit (250ms, 10s, 2m); a number is ms' } as const;
const fraction = { anyOf: [{ type: 'string' }, { type: 'number', minimum: 0, maximum: 1 }], description: 'a fraction from 0 to 1 (0.001) or a percentage (0.1%)' } as const;
const positive = { type: 'number', exclusiveMinimum: 0 } as const;
const whole = { type: 'integer', minimum: 0 } as const;

export const gateConfigSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:stampede:schema:gate-config:1',
  title: 'StampedeGateConfig',
  type: 'object',
  properties: {
    $schema: { type: 'string' },
    target: { type: 'string', description: 'base URL; omit for the embedded reference service' },
    conflictStatus: { type: 'integer', minimum: 400, maximum: 499 },
    timeout: duration,
    insecure: { type: 'boolean' },
    seed: whole,
    thresholds: {
      type: 'object',
      properties: { maxP99: duration, maxErrorRate: fraction, minThroughput: positive, maxIndeterminate: fraction },
      additionalProperties: false,
    },
    load: {
      type: 'object',
      properties: {
        duration,
        connections: { type: 'integer', minimum: 1 },
        rate: positive,
        dupRatio: fraction,
        probe: { type: 'string', description: 'all, sample:N or off' },
        warmup: { anyOf: [duration, { const: 'off' }], description: 'sent first, judged, kept out of throughput and latency; 0 or off for none' },
        maxLag: { type: 'string', description: "a percentile of stampede's own lag and its limit (p99=5ms), or off" },
        engine: { enum: ['http1', 'autocannon'] },
        workers: { type: 'integer', minimum: 1, maximum: 64 },
      },
      additionalProperties: false,
    },
    race: {
      type: 'object',
      properties: {
        bursts: { type: 'integer', minimum: 0 },
        width: { type: 'integer', minimum: 2 },
        sync: { enum: ['last-byte', 'single-packet', 'naive'] },
        baseline: whole,
        ids: { enum: ['same', 'variants'] },
        warmup: { type: 'boolean' },
        blocker: { anyOf: [{ type: 'string' }, { type: 'integer', minimum: 0 }], description: 'last-byte: body size of a blocker request per burst (256kib); 0 or off: none' },
      },
      additionalProperties: false,
    },
    regression: {
      type: 'object',
      description: 'the comparison with a baseline run (stampede gate --baseline FILE --max-regression …)',
      properties: {
        baseline: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 }], description: 'result.json of an earlier run with the same settings (or several)' },
        maxRegression: {
          anyOf: [{ type: 'string' }, { type: 'object', propertyNames: { minLength: 1 }, additionalProperties: { type: 'string' } }],
          description: "limits: 'p99=10%,throughput=5%,error-rate=0.1pp', or { \"p99\": \"10%\" }",
        },
        alpha: { type: 'number', exclusiveMinimum: 0, maximum: 0.5 },
      },
      additionalProperties: false,
    },
    conformance: {
      type: 'object',
      properties: {
        profile: { enum: ['default', 'strict'] },
        fuzz: whole,
        levels: {
          type: 'object',
          description: 'check ID glob → level; later entries win, and --level flags win over them',
          propertyNames: { minLength: 1 },
          additionalProperties: { enum: ['must', 'should', 'may', 'off', 'MUST', 'SHOULD', 'MAY', 'OFF'] },
        },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

/** The config file's shape after schema validation. */
export interface GateConfig {
  target?: string;
  conflictStatus?: number;
  timeout?: string | number;
  insecure?: boolean;
  seed?: number;
  thresholds?: { maxP99?: string | number; maxErrorRate?: string | number; minThroughput?: number; maxIndeterminate?: string | number };
  load?: { duration?: string | number; connections?: number; rate?: number; dupRatio?: string | number; probe?: string; warmup?: string | number; maxLag?: string; engine?: string; workers?: number };
  race?: { bursts?: number; width?: number; sync?: string; baseline?: number; ids?: string; warmup?: boolean; blocker?: string | number };
  conformance?: { profile?: string; fuzz?: number; levels?: Record<string, string> };
  regression?: { baseline?: string | string[]; maxRegression?: string | Record<string, string>; alpha?: number };
}
