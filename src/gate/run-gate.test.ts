import { describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resultDocumentViolations } from '../contract/validators.ts';
import { exitCodeOf } from '../cli/exit-code.ts';
import { TargetUnreachableError } from '../errors.ts';
import { resolveGateOptions, type GateOptionsInput } from '../options/gate-options.ts';
import { useServices } from '../testing/services.ts';
import { findingsOf } from './findings.ts';
import { runGate, type GateHooks } from './run-gate.ts';

const start = useServices();

// Short phases: the gate's logic is under test here, not the target's speed.
const SHORT: GateOptionsInput = { duration: '500ms', connections: 8, bursts: 5, width: 8, baseline: 0, fuzz: 0, probe: 'sample:200', seed: 7 };

async function gate(input: GateOptionsInput, hooks: Partial<GateHooks> = {}) {
  const outDir = await mkdtemp(join(tmpdir(), 'stampede-gate-'));
  return runGate(resolveGateOptions({ ...SHORT, ...input }), { toolVersion: 'test', outDir, ...hooks });
}

describe('stampede gate (runGate)', () => {
  it('the correct reference service passes every phase and threshold, in one schema-valid combined document', async () => {
    const { document, phases } = await gate({});
    expect(resultDocumentViolations(document)).toEqual([]);
    expect(document.engine).toBe('combined');
    // Hostile inputs last: the load and race phases measure the target as it was started.
    expect(phases.map((p) => p.name)).toEqual(['load', 'race', 'conformance']);
    expect(document.phases?.map((p) => [p.name, p.verdict])).toEqual([['load', 'pass'], ['race', 'pass'], ['conformance', 'pass']]);
    expect(document.seed).toBe(7);
    expect(document.thresholds?.map((t) => [t.id, t.verdict])).toEqual([['max-p99', 'pass'], ['max-error-rate', 'pass'], ['min-throughput', 'pass']]);
    expect(document.checks?.length).toBeGreaterThan(100);
    expect(document.race?.bursts).toHaveLength(5);
    expect(document.probe?.probed).toBeGreaterThan(0);
    expect(document.invariants.map((i) => [i.id, i.verdict])).toEqual([['U1', 'pass'], ['U2', 'pass'], ['U3', 'pass'], ['U4', 'pass']]);
    expect(document.verdict).toBe('pass');
    expect(findingsOf(document)).toEqual([]);
    expect(exitCodeOf(document)).toBe(0);
  });

  it('race:tick fails the gate with U1 violations from the load phase and reproduced race bursts', async () => {
    const { document } = await gate({ fault: ['race:tick'], bursts: 10, width: 16 });
    expect(document.verdict).toBe('fail');
    expect(document.invariants.find((i) => i.id === 'U1')?.verdict).toBe('fail');
    expect(document.race?.reproduced).toBeGreaterThan(0);
    expect(document.verdictReasons.some((r) => r.startsWith('race: '))).toBe(true);
    expect(exitCodeOf(document)).toBe(1);
  });

  it('a threshold the target cannot meet fails an otherwise correct run, naming what was measured', async () => {
    // --max-lag off: the thresholds are judged on the figures as measured, however busy the machine running the test.
    const { document } = await gate({ maxP99: '1us', minThroughput: 1e9, bursts: 0, maxLag: 'off' });
    expect(document.phases?.map((p) => p.verdict)).toEqual(['pass', 'pass']);
    const failed = document.thresholds?.filter((t) => t.verdict === 'fail').map((t) => t.id);
    expect(failed).toEqual(['max-p99', 'min-throughput']);
    expect(document.verdict).toBe('fail');
    expect(document.verdictReasons.join('\n')).toMatch(/threshold p99 latency .* measured [\d.]+ ms, limit 0\.001 ms/);
  });

  it('one running target for every phase: no phase sends the IDs of another; when it dies mid-gate, what was measured is kept (unknown)', async () => {
    const service = await start();
    const { document } = await gate({ target: service.url, fuzz: 10 }, {
      onPhase: (phase, message) => {
        if (phase === 'conformance' && message === 'starting') void service.close(0);
      },
    });
    // The race phase after the load phase on the same target, same printed seed: no false conflict (U2) in either.
    expect(document.phases?.map((p) => [p.name, p.verdict])).toEqual([['load', 'pass'], ['race', 'pass']]);
    expect(document.invariants.find((i) => i.id === 'U2')?.violations).toBe(0);
    expect(document.thresholds?.every((t) => t.verdict === 'pass')).toBe(true);
    expect(document.verdict).toBe('unknown');
    expect(document.verdictReasons.some((r) => r.startsWith('conformance: could not run'))).toBe(true);
    expect(exitCodeOf(document)).toBe(3);
  });

  it('an unreachable target before anything ran is a TargetUnreachableError (exit 3), not a wall of failures', async () => {
    const service = await start();
    await service.close(0);
    await expect(gate({ target: service.url })).rejects.toBeInstanceOf(TargetUnreachableError);
  });

  it('interrupted during the load phase: the phases so far are written, the rest is marked not run, partial (exit 130)', async () => {
    const controller = new AbortController();
    const { document } = await gate({ duration: '30s' }, {
      signal: controller.signal,
      onPhase: (phase, message) => {
        if (phase === 'load' && message === 'starting') setTimeout(() => controller.abort(), 500);
      },
    });
    expect(document.partial).toBe(true);
    expect(document.phases?.map((p) => p.name)).toEqual(['load']);
    expect(document.totals.byKind.first?.sent).toBeGreaterThan(0);
    expect(document.partialReason).toMatch(/load: .*interrupted/i);
    expect(document.verdictReasons).toContain('not run (interrupted): race, conformance');
    expect(exitCodeOf(document)).toBe(130);
  });
});
