// The self-test matrix: the gate against the reference service, correct and with each fault; what caught each fault.

import { join } from 'node:path';
import { SELFTEST_DEFAULTS } from '../defaults.ts';
import { resolveGateOptions } from '../options/gate-options.ts';
import type { SelftestOptions } from '../options/selftest-options.ts';
import type { ResultDocument, Verdict } from '../result/result-document.ts';
import { findingsOf } from './findings.ts';
import { runGate } from './run-gate.ts';

export interface SelftestRow {
  /** `none` for the correct service, else the fault as given to --fault. */
  fault: string;
  verdict: Verdict;
  /** Labels of what the gate found (findingsOf). */
  findings: string[];
  /** A fault row: caught when the verdict is not pass; the correct row: ok when it passes with nothing found. */
  ok: boolean;
  document: ResultDocument;
  /** Where this row's gate result was written. */
  directory: string;
}

export interface SelftestHooks {
  toolVersion: string;
  outDir: string;
  signal?: AbortSignal;
  /** A row starts. */
  onRow?: (fault: string, index: number, total: number) => void;
  /** Writes a row's result (the command writes the four reports). */
  persist: (directory: string, document: ResultDocument) => Promise<void>;
}

export async function runSelftest(options: SelftestOptions, hooks: SelftestHooks): Promise<SelftestRow[]> {
  const rows: SelftestRow[] = [];
  const faults = ['none', ...options.faults];
  const short = options.short ? SELFTEST_DEFAULTS.short : undefined;
  for (const [index, fault] of faults.entries()) {
    if (hooks.signal?.aborted) break;
    hooks.onRow?.(fault, index, faults.length);
    const directory = join(hooks.outDir, `${String(index).padStart(2, '0')}-${fault.replace(/[^A-Za-z0-9.-]+/g, '_')}`);
    const gate = resolveGateOptions({
      ...(fault === 'none' ? {} : { fault: [fault] }),
      seed: options.seed,
      duration: short?.loadDurationMs ?? SELFTEST_DEFAULTS.load.durationMs,
      probe: short?.probe ?? SELFTEST_DEFAULTS.load.probe,
      connections: SELFTEST_DEFAULTS.load.connections,
      bursts: short?.raceBursts ?? SELFTEST_DEFAULTS.race.bursts,
      width: SELFTEST_DEFAULTS.race.width,
      baseline: SELFTEST_DEFAULTS.race.baselineBursts,
      fuzz: short?.fuzz ?? SELFTEST_DEFAULTS.conformance.fuzz,
      out: directory,
    });
    const { document } = await runGate(gate, { toolVersion: hooks.toolVersion, outDir: directory, ...(hooks.signal ? { signal: hooks.signal } : {}) });
    await hooks.persist(directory, document);
    const findings = findingsOf(document);
    const ok = fault === 'none' ? document.verdict === 'pass' && findings.length === 0 : document.verdict !== 'pass';
    rows.push({ fault, verdict: document.verdict, findings, ok, document, directory });
  }
  return rows;
}

/** The matrix as text: one line per row, then the overall outcome. */
export function formatMatrix(rows: readonly SelftestRow[], complete: boolean): string {
  const width = Math.max(5, ...rows.map((r) => r.fault.length));
  const lines = [`${'fault'.padEnd(width)}  verdict  result      caught by`];
  for (const row of rows) {
    const result = row.fault === 'none' ? (row.ok ? 'clean' : 'FLAGGED') : row.ok ? 'caught' : 'UNDETECTED';
    const by = row.findings.length > 0 ? row.findings.join(', ') : '—';
    lines.push(`${row.fault.padEnd(width)}  ${row.verdict.padEnd(7)}  ${result.padEnd(10)}  ${by}`);
  }
  const bad = rows.filter((r) => !r.ok);
  lines.push(
    !complete
      ? 'selftest: INTERRUPTED — the rows above are what ran'
      : bad.length === 0
        ? `selftest: PASS — the correct service passed with no findings and all ${rows.length - 1} faults were caught`
        : `selftest: FAIL — ${bad.map((r) => (r.fault === 'none' ? 'the correct service was flagged' : `${r.fault} went undetected`)).join('; ')}`,
  );
  return `${lines.join('\n')}\n`;
}
