// The result document: its schema accepts what the builders produce and refuses broken or secret-bearing documents.
import { describe, expect, it } from 'vitest';
import { resultDocumentViolations } from '../contract/validators.ts';
import { redactHeaders, redactUrl } from './redact.ts';
import { combineVerdicts, RESULT_SCHEMA_VERSION, type InvariantResult, type ResultDocument } from './result-document.ts';
import { RunStats } from './run-stats.ts';
import { judge } from './verdict.ts';

const invariant = (id: InvariantResult['id'], verdict: InvariantResult['verdict'], violations = 0): InvariantResult => ({
  id,
  title: `invariant ${id}`,
  verdict,
  checked: 10,
  violations,
  examples: violations ? [{ id: '0b6b6c1e-8d1f-4e0a-9c47-5b0f3f2b8a10', timeline: [{ kind: 'first', sentAt: 1, answeredAt: 3, status: 201, outcome: 'ok' }], note: 'acknowledged twice' }] : [],
  detail: 'checked per ID',
});

function fixture(): ResultDocument {
  const stats = new RunStats();
  stats.sent(0);
  stats.sent(10);
  stats.answered('ok', 2.5, 3, 201);
  stats.answered('ok', 3.5, 14, 409);
  const totals = { sent: 2, ok: 2, fail: 0, indeterminate: 0 };
  const invariants = [invariant('U1', 'pass'), invariant('U2', 'pass'), invariant('U3', 'pass'), invariant('U4', 'pass')];
  const { verdict, reasons } = judge({ totals, invariants, maxIndeterminateShare: 0.01 });
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: 'stampede', version: '0.1.0' },
    engine: 'autocannon',
    runId: 'run-1',
    seed: 7,
    target: { url: redactUrl('http://user:secret@127.0.0.1:8080/?token=abc'), embedded: false },
    config: { connections: 8, headers: redactHeaders({ Authorization: 'Bearer abc' }) },
    startedAt: '2026-11-30T20:00:00.000Z',
    endedAt: '2026-11-30T20:00:01.000Z',
    durationMs: 1000,
    partial: false,
    totals: { ...totals, byKind: { first: { sent: 1, ok: 1, fail: 0, indeterminate: 0 }, duplicate: { sent: 1, ok: 1, fail: 0, indeterminate: 0 } } },
    throughput: { overall: 2, durationMs: 1000, perSecond: stats.perSecond() },
    latency: { ...stats.latency(), model: 'closed' },
    statuses: stats.statuses(),
    errors: stats.errors(),
    invariants,
    probe: { mode: 'all', acknowledged: 1, probed: 1, outcomes: { sent: 1, ok: 1, fail: 0, indeterminate: 0 }, lostWrites: 0 },
    verdict,
    verdictReasons: reasons,
  };
}

describe('result document', () => {
  it('a document built from RunStats, judge and redaction validates against the schema', () => {
    const doc = fixture();
    expect(resultDocumentViolations(JSON.parse(JSON.stringify(doc)))).toEqual([]);
    expect(doc.verdict).toBe('pass');
  });

  it('the schema refuses a wrong version, a missing part, an unknown field and credentials in the target URL', () => {
    const broken = (change: (doc: Record<string, any>) => void) => {
      const doc = JSON.parse(JSON.stringify(fixture()));
      change(doc);
      return resultDocumentViolations(doc).map((v) => `${v.pointer} ${v.rule}`);
    };
    expect(broken((d) => (d.schemaVersion = 2))).toContain('/schemaVersion const');
    expect(broken((d) => delete d.invariants)).toContain('/invariants required');
    expect(broken((d) => (d.extra = 1))).toContain('/extra additionalProperties');
    expect(broken((d) => (d.target.url = 'http://admin:hunter2@127.0.0.1/'))).toContain('/target/url not');
    expect(broken((d) => (d.statuses = { teapot: 1 }))).toEqual(expect.arrayContaining([expect.stringContaining('/statuses')]));
  });

  it('redaction removes credentials and header values', () => {
    const url = redactUrl('https://bob:pw@api.example.test:8443/base?api_key=k1&tenant=acme&sig=zz');
    expect(url).toBe('https://api.example.test:8443/base?api_key=redacted&tenant=acme&sig=redacted');
    expect(redactHeaders([['Authorization', 'Bearer secret'], ['Cookie', 'sid=1']])).toEqual(['Authorization: [redacted]', 'Cookie: [redacted]']);
    expect(JSON.stringify(fixture())).not.toMatch(/secret|Bearer abc|token=abc/);
  });
});

describe('verdict', () => {
  const totals = (fail: number, indeterminate: number) => ({ sent: 100, ok: 100 - fail - indeterminate, fail, indeterminate });
  const clean = [invariant('U1', 'pass'), invariant('U3', 'pass')];

  it('pass when everything holds; a caveat line for a few indeterminate outcomes', () => {
    expect(judge({ totals: totals(0, 0), invariants: clean, maxIndeterminateShare: 0.01 })).toEqual({ verdict: 'pass', reasons: [] });
    const few = judge({ totals: { sent: 1000, ok: 999, fail: 0, indeterminate: 1 }, invariants: clean, maxIndeterminateShare: 0.01 });
    expect(few.verdict).toBe('pass');
    expect(few.reasons[0]).toContain('1 indeterminate');
  });

  it('fail on wrong answers or a failed invariant, even when other parts are unknown', () => {
    expect(judge({ totals: totals(1, 0), invariants: clean, maxIndeterminateShare: 0.01 }).verdict).toBe('fail');
    const u1 = judge({ totals: totals(0, 50), invariants: [invariant('U1', 'fail', 3), invariant('U3', 'unknown')], maxIndeterminateShare: 0.01 });
    expect(u1.verdict).toBe('fail');
    expect(u1.reasons).toContain('U1 invariant U1: 3 violation(s)');
  });

  it('unknown when too many outcomes are indeterminate, nothing was sent, or an invariant could not be checked', () => {
    expect(judge({ totals: totals(0, 5), invariants: clean, maxIndeterminateShare: 0.01 }).verdict).toBe('unknown');
    expect(judge({ totals: { sent: 0, ok: 0, fail: 0, indeterminate: 0 }, invariants: [], maxIndeterminateShare: 0.01 }).verdict).toBe('unknown');
    expect(judge({ totals: totals(0, 0), invariants: [invariant('U3', 'unknown')], maxIndeterminateShare: 0.01 }).verdict).toBe('unknown');
  });

  it('combineVerdicts: fail > unknown > pass', () => {
    expect(combineVerdicts([])).toBe('pass');
    expect(combineVerdicts(['pass', 'unknown'])).toBe('unknown');
    expect(combineVerdicts(['unknown', 'fail', 'pass'])).toBe('fail');
  });
});
